"""The twin as a target: its connection details expressed as the same credentials and environment that real
sandboxes use, so everything downstream takes one code path."""

from __future__ import annotations

from typing import Any

from harness.sandboxes.credentials import (
    Credentials,
    HubSpotCredentials,
    SalesforceCredentials,
    Secret,
    TwinControlCredentials,
)


def twin_environment(info: dict[str, Any]) -> dict[str, str]:
    return {
        "UAT_SF_INSTANCE_URL": info["salesforce_url"], "UAT_SF_ACCESS_TOKEN": info["salesforce_session_id"],
        "UAT_HUBSPOT_TOKEN": info["hubspot_token"], "UAT_HUBSPOT_HOST": info["hubspot_url"],
        "UAT_CA_BUNDLE": info["ca_bundle"],
        "UAT_TWIN_CONTROL_URL": info["control_url"], "UAT_TWIN_CONTROL_TOKEN": info["control_token"],
    }


def twin_credentials(info: dict[str, Any]) -> Credentials:
    return Credentials(
        salesforce=SalesforceCredentials("session", instance_url=info["salesforce_url"],
                                         access_token=Secret(info["salesforce_session_id"])),
        hubspot=HubSpotCredentials(Secret(info["hubspot_token"]), info["hubspot_url"]),
        ca_bundle=info["ca_bundle"],
        control=TwinControlCredentials(info["control_url"], Secret(info["control_token"])),
    )
