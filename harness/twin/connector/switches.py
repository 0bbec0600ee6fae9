"""Named switches: where HubSpot's documentation is silent, the twin's choice, and the alternatives an org may set.

Every entry is listed in docs/twin-connector.md (a test keeps the two in step). An org fixture overrides one in
`connector.yaml` under `switches:`; anything not set takes the default here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class SwitchError(ValueError):
    """An unknown switch or a value it does not accept; str() starts with the switch name."""


@dataclass(frozen=True)
class Switch:
    name: str
    default: Any
    allowed: tuple[Any, ...] | type
    choice: str  # what the twin does by default, and why


SWITCHES: dict[str, Switch] = {s.name: s for s in [
    Switch("first_sync_match", "oldest", ("oldest", "newest"),
           "On a contact's first sync several Salesforce records may share its e-mail; HubSpot takes 'the first record "
           "returned', which the 2017 article says is in general the oldest."),
    Switch("lead_conversion_keeps_lead_id", True, bool,
           "After a Lead converts, the contact follows the converted Contact (salesforcecontactid); whether "
           "salesforceleadid is cleared is not documented. Default: it stays, as observed in public exports."),
    Switch("lead_conversion_company", "follow_converted_account", ("follow_converted_account", "keep"),
           "After conversion the contact is associated with the company of the converted Account (created from the "
           "Account if not yet synced). With auto-created companies this is the documented duplicate company."),
    Switch("salesforce_merge", "relink_to_master", ("relink_to_master", "orphan"),
           "A contact linked to a losing Salesforce record relinks to the merge master; 'orphan' leaves it unlinked "
           "with salesforcedeleted=true (third-party sources describe both, 'depending on your settings')."),
    Switch("salesforce_delete_marks_contact", True, bool,
           "With 'Deleting Contacts' set to do nothing, the contact is unlinked and salesforcedeleted set to true "
           "(the property exists; its exact use is not documented)."),
    Switch("required_field_placeholder", "[not provided]", str,
           "Salesforce requires LastName (and Company on Leads); a contact without them is created with this value "
           "rather than failing."),
    Switch("new_mapping_backfill", "on_next_trigger", ("on_next_trigger", "never"),
           "Documented: a new mapping does not sync existing values retroactively. Default: a pair's value crosses "
           "when that record next syncs for another reason (as a manual resync would); 'never' waits for the field "
           "itself to change."),
    Switch("two_way_salesforce_timestamp", "record", ("record",),
           "Two-way conflicts compare HubSpot's property timestamp with the Salesforce record's LastModifiedDate: "
           "Salesforce keeps no per-field modification time without field history."),
    Switch("retry_after_cycles", 1, int,
           "Documented: erroring records are retried every 30 minutes. The twin retries them on the next cycle "
           "(or after this many cycles), within the documented 75% allocation rule."),
    Switch("unmatched_owner_on_create", "integration_user", ("integration_user", "assignment_rules"),
           "Documented: a new account or opportunity whose HubSpot owner matches no Salesforce user is owned by the "
           "integration user; a new Lead gets lead assignment rules, which the twin models as the integration user "
           "unless the org fixture defines an assignment owner."),
    Switch("unknown_salesforce_owner", "create_salesforce_owner", ("create_salesforce_owner", "leave_unset",
                                                                   "keep_hubspot"),
           "Documented: any Salesforce owner (user or queue) becomes a HubSpot 'Salesforce owner' when it owns a "
           "synced record; the twin mints that owner in the portal. The alternatives model a portal that cannot: "
           "the HubSpot owner is cleared ('leave_unset') or left as it was ('keep_hubspot')."),
    Switch("ticket_link_property", "salesforcecaseid", str,
           "The HubSpot ticket property holding the Case id; only one (Japanese) document names it."),
    Switch("activity_subject", "{type}: {title}", str,
           "The Salesforce Task Subject written for a HubSpot activity (not documented); {type} and {title} are "
           "filled in."),
    Switch("hubspot_company_merge", "blocked", ("blocked", "allowed"),
           "Third-party sources: merging HubSpot companies is not possible while the integration is on; the "
           "connector refuses to sync a company merged anyway and records an error."),
    Switch("deal_unmapped_stage", "error", ("error", "first_stage"),
           "An opportunity stage with no HubSpot stage mapped: a Sync Health error (picklists) by default."),
]}


def resolve_switches(given: dict[str, Any]) -> dict[str, Any]:
    """The full switch table: the org's values over the defaults, each checked."""
    resolved = {name: switch.default for name, switch in SWITCHES.items()}
    for name, value in given.items():
        switch = SWITCHES.get(name)
        if switch is None:
            raise SwitchError(f"{name}: unknown switch; known: {', '.join(sorted(SWITCHES))}")
        if isinstance(switch.allowed, type):
            if switch.allowed is int and isinstance(value, bool) or not isinstance(value, switch.allowed):
                raise SwitchError(f"{name}: {value!r} is not a {switch.allowed.__name__}")
        elif value not in switch.allowed:
            raise SwitchError(f"{name}: {value!r} is not allowed; use one of {list(switch.allowed)}")
        resolved[name] = value
    return resolved
