"""The connector's settings pages against the profile's `connector` section: which record HubSpot creates in
Salesforce, which side's changes travel, company auto-creation and associations, deal creation and the deal stage
rule, automatic lifecycle transitions, owner sync, and the conflict rule.

HubSpot offers no API for these pages: on the twin they are read from its control plane; against real sandboxes
every stated setting is not evaluated and listed as a residual risk to confirm on the page it names. A setting the
profile leaves unset is not evaluated either, with that reason: nothing passes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed


@dataclass(frozen=True)
class Setting:
    profile: tuple[str, ...]  # path under the profile's `connector`
    connector: tuple[str, ...]  # path in the connector's settings (docs/twin-connector.md)
    page: str  # where it is on the integration's settings pages
    meaning: str  # what it decides, in words
    hubspot_object: str | None = None  # whose functional owner answers for it
    # How the connector's node reads in the profile's terms (an activity type's {sync, task_type} -> its task type
    # or "off"); None: as it is.
    read: Callable[[Any], Any] | None = None


def _task_type(node: Any) -> Any:
    if not isinstance(node, dict):
        return None
    return node.get("task_type") if node.get("sync", True) else "off"


ACTIVITY_SETTINGS = tuple(
    [Setting(("activities", "hubspot_to_salesforce", kind), ("objects", "activities", "hubspot_to_salesforce", kind),
             "Activities", f"the Salesforce Task type a HubSpot {kind[:-1]} becomes (off: not synced)", "contacts",
             _task_type) for kind in ("notes", "calls", "emails", "meetings", "tasks")]
    + [Setting(("activities", "salesforce_to_hubspot", kind), ("objects", "activities", "salesforce_to_hubspot", kind),
               "Activities", f"whether Salesforce {kind} reach HubSpot", "contacts")
       for kind in ("tasks", "emails", "calls", "meetings")])


SETTINGS = (
    Setting(("contacts", "create_in_salesforce_as"), ("objects", "contacts", "create_in_salesforce_as"),
            "Contacts > Sync settings", "the record HubSpot creates in Salesforce", "contacts"),
    Setting(("contacts", "on_hubspot_create_or_update"), ("objects", "contacts", "on_hubspot_create_or_update"),
            "Contacts > Sync settings", "whether HubSpot contact changes reach Salesforce", "contacts"),
    Setting(("contacts", "on_salesforce_create_or_update"), ("objects", "contacts", "on_salesforce_create_or_update"),
            "Contacts > Sync settings", "whether Salesforce Lead and Contact changes reach HubSpot", "contacts"),
    Setting(("companies", "enabled"), ("objects", "companies", "enabled"),
            "Companies", "whether companies sync with accounts", "companies"),
    Setting(("companies", "hubspot_auto_create_companies"), ("objects", "companies", "hubspot_auto_create_companies"),
            "Companies > Sync settings", "whether HubSpot creates a company for every contact", "companies"),
    Setting(("companies", "sync_associations"), ("objects", "companies", "sync_associations"),
            "Companies > Sync settings", "whether company associations follow the accounts", "companies"),
    Setting(("deals", "enabled"), ("objects", "deals", "enabled"),
            "Deals", "whether deals sync with opportunities", "deals"),
    Setting(("deals", "on_hubspot_create"), ("objects", "deals", "on_hubspot_create"),
            "Deals > Sync settings", "whether a HubSpot deal creates an opportunity", "deals"),
    Setting(("deals", "stage_rule"), ("objects", "deals", "stage_rule"),
            "Deals > Sync settings > Deal stage", "which side's deal stage wins", "deals"),
    Setting(("activities", "enabled"), ("objects", "activities", "enabled"),
            "Activities", "whether activities sync", "contacts"),
    *ACTIVITY_SETTINGS,
    Setting(("lifecycle", "company_to_contacts"), ("lifecycle", "company_to_contacts"),
            "Companies > Sync settings > Lifecycle stage", "a company's lifecycle stage reaches its contacts",
            "companies"),
    Setting(("lifecycle", "automatic_transitions"), ("lifecycle", "automatic_transitions"),
            "Contacts > Sync settings > Lifecycle stage", "opportunity and customer stages set from opportunities",
            "contacts"),
    Setting(("lifecycle", "never_backwards"), ("lifecycle", "never_backwards"),
            "Contacts > Sync settings > Lifecycle stage", "a lifecycle stage never moves back down the funnel",
            "contacts"),
    Setting(("owners", "sync"), ("owners", "sync"),
            "Users", "record owners sync between Salesforce users and HubSpot owners", None),
    Setting(("conflict_rule",), ("conflict_rule",),
            "Contacts > Sync settings > Resolve sync conflict", "which side wins a Two-way field changed on both",
            "contacts"),
)


def _at(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        node = getattr(node, key, None) if not isinstance(node, dict) else node.get(key)
        if node is None:
            return None
    return node


def stated(profile: Any, setting: Setting) -> Any:
    """The profile's value of a setting; None when the profile leaves it unset."""
    return _at(profile.connector, setting.profile) if profile.connector is not None else None


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def connector_setting_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    for setting in SETTINGS:
        name = ".".join(setting.profile)
        label = f"{name} ({setting.meaning})"
        page = f"{places.SALESFORCE_INTEGRATION} > {setting.page}"
        owner = (places.functional_owner(profile, setting.hubspot_object) if setting.hubspot_object
                 else places.integration_owner(profile))
        if setting.hubspot_object and setting.hubspot_object not in profile.mappings:
            continue  # an object the profile does not sync: its settings are not the team's contract
        expected = stated(profile, setting)
        if expected is None:
            yield not_evaluated("connector_setting", label, "the profile's setting",
                                f"the profile does not state it (`connector.{name}`)",
                                places.profile_setting(profile, "connector"), owner)
            continue
        settings = observed.connector_settings
        if settings is None:
            yield not_evaluated("connector_setting", label, _shown(expected), observed.why.get("connector settings", ""),
                                page, owner)
            continue
        actual = _at(settings, setting.connector)
        if actual is not None and setting.read is not None:
            actual = setting.read(actual)
        if actual is None:
            yield not_evaluated("connector_setting", label, _shown(expected), "the connector's settings do not say",
                                page, owner)
            continue
        yield conforms("connector_setting", label, _shown(expected), _shown(actual), actual == expected, page, owner)
