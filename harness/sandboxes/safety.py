"""Refuse production: check what the platforms say about themselves, never trust a flag."""

from __future__ import annotations

from typing import Any

from harness.errors import ProductionRefused

SANDBOX_ACCOUNT_TYPES = {"SANDBOX", "DEVELOPER_TEST", "DEVELOPER"}


def assert_salesforce_sandbox(organization: dict[str, Any]) -> None:
    if organization.get("IsSandbox") is not True:
        raise ProductionRefused(f"Salesforce org {organization.get('Id')} ({organization.get('Name')}) is not a sandbox "
                                "(Organization.IsSandbox = false); the harness only runs against sandboxes: point "
                                "UAT_SF_* at a sandbox")


def assert_hubspot_sandbox(account: dict[str, Any]) -> None:
    kind = str(account.get("accountType", "")).upper()
    if kind not in SANDBOX_ACCOUNT_TYPES:
        raise ProductionRefused(f"HubSpot portal {account.get('portalId')} is a {kind or 'unknown'} account, not a sandbox; "
                                "the harness only runs against sandbox or developer test portals: use a sandbox "
                                "private-app token in UAT_HUBSPOT_TOKEN")
