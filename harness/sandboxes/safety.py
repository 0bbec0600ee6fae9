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


def allow_read_only(organization: dict[str, Any], portal: dict[str, Any], read_only: bool) -> str:
    """The guard's one exception: `uat monitor`, whose connections cannot write (harness/sandboxes/readonly.py
    refuses every write before it is sent), may read production. `read_only` is checked on the connections
    themselves (readonly.is_read_only), never taken from a flag; without it, the guard above applies unchanged.
    Returns the line monitor says at start."""
    if not read_only:
        assert_salesforce_sandbox(organization)
        assert_hubspot_sandbox(portal)
    org_kind = "sandbox" if organization.get("IsSandbox") is True else "PRODUCTION org"
    portal_kind = str(portal.get("accountType") or "unknown").upper()
    portal_kind = "sandbox" if portal_kind in SANDBOX_ACCOUNT_TYPES else f"PRODUCTION portal ({portal_kind})"
    return (f"production guard: monitor mode is read-only (every write refused before it is sent), so it may read "
            f"production; Salesforce {organization.get('Id')} is a {org_kind}, HubSpot {portal.get('portalId')} "
            f"is a {portal_kind}")
