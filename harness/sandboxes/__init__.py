"""Connections to both platforms, built only from the real clients; the twin is just another target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.sandboxes.budget import ApiBudget
from harness.sandboxes.control import TwinControl
from harness.sandboxes.credentials import Credentials, credentials_from_env
from harness.sandboxes.hubspot import HubSpotSandbox
from harness.sandboxes.safety import assert_hubspot_sandbox, assert_salesforce_sandbox
from harness.sandboxes.salesforce import SalesforceSandbox


@dataclass
class Sandboxes:
    salesforce: SalesforceSandbox
    hubspot: HubSpotSandbox
    control: TwinControl | None
    budget: ApiBudget
    organization: dict[str, Any]
    portal: dict[str, Any]
    credentials: Credentials

    def nudge(self) -> None:
        """Ask the twin for a connector cycle now; against real sandboxes there is nothing to ask, only to wait."""
        if self.control is not None:
            self.control.sync_cycle()


def connect(credentials: Credentials | None = None, budget: ApiBudget | None = None) -> Sandboxes:
    """Connect both sides and refuse production before anything is written."""
    credentials = credentials or credentials_from_env()
    budget = budget or ApiBudget()
    salesforce = SalesforceSandbox.connect(credentials.salesforce, credentials.ca_bundle, budget)
    hubspot = HubSpotSandbox.connect(credentials.hubspot, credentials.ca_bundle, budget)
    organization = salesforce.organization()
    assert_salesforce_sandbox(organization)
    portal = hubspot.account()
    assert_hubspot_sandbox(portal)
    control = TwinControl(credentials.control, credentials.ca_bundle) if credentials.control else None
    return Sandboxes(salesforce, hubspot, control, budget, organization, portal, credentials)


__all__ = ["ApiBudget", "Sandboxes", "connect"]
