"""Where a person changes each configuration item: the setup page on the platform, or the profile's own file when
the profile is what is out of date. Named as the admin navigates, so a NO-GO says where to go."""

from __future__ import annotations

from pathlib import Path

from harness.profile import Profile
from harness.profile.mappings import FieldMapping

TAB = {"contacts": "Contacts", "companies": "Companies", "deals": "Deals", "tickets": "Tickets"}
SALESFORCE_INTEGRATION = "HubSpot: Settings > Integrations > Connected apps > Salesforce"


def relative(path: Path | str | None) -> str:
    if path is None:
        return ""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def mapping_row(mapping: FieldMapping | None, hubspot_object: str) -> str:
    page = f"{SALESFORCE_INTEGRATION} > {TAB.get(hubspot_object, hubspot_object)} > Field mappings"
    if mapping is not None and mapping.source is not None:
        return f"{page}; or {relative(mapping.source)}:{mapping.row} if the profile is out of date"
    return page


def salesforce_field(sobject: str, field: str) -> str:
    return f"Salesforce Setup > Object Manager > {sobject} > Fields & Relationships > {field}"


def hubspot_property(hubspot_object: str, name: str) -> str:
    return f"HubSpot: Settings > Data Management > Properties > {TAB.get(hubspot_object, hubspot_object)} > {name}"


def field_security(sobject: str, field: str) -> str:
    return (f"{salesforce_field(sobject, field)} > Set Field-Level Security (the integration user's profile or "
            "permission set)")


def validation_rule(sobject: str, name: str) -> str:
    return f"Salesforce Setup > Object Manager > {sobject} > Validation Rules > {name}"


def delete_setting(hubspot_object: str) -> str:
    return f"{SALESFORCE_INTEGRATION} > {TAB.get(hubspot_object, hubspot_object)} > Sync settings (deletes)"


def duplicate_rule(name: str) -> str:
    return f"Salesforce Setup > Duplicate Management > Duplicate Rules > {name}"


def owners() -> str:
    return "HubSpot: Settings > Users & Teams, and Salesforce Setup > Users (the same e-mail on both)"


def automation(system: str, kind: str, name: str) -> str:
    if system == "hubspot":
        return f"HubSpot: Automation > Workflows > {name}"
    if kind == "Flow":
        return f"Salesforce Setup > Process Automation > Flows > {name}"
    return f"Salesforce Setup > {kind} > {name}"


def profile_setting(profile: Profile, *path: object) -> str:
    return f"{relative(profile.source)}:{profile.line(*path)} ({'.'.join(str(p) for p in path)})"


def integration_owner(profile: Profile) -> str | None:
    """Who answers for what no source-of-truth row covers: the integration's owner."""
    return profile.integration_owner.name if profile.integration_owner else None


def functional_owner(profile: Profile, hubspot_object: str, prop: str | None = None) -> str | None:
    row = profile.ownership(hubspot_object, prop)
    if row is not None:
        return row.functional_owner
    return integration_owner(profile)
