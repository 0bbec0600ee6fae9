"""The governance rules on what configuration conformance needs from the profile (docs/conformance.md): a delete
policy per synced object, the owner list, a one-to-one picklist value mapping, (against real sandboxes) the
connector's mapping export, the connector's settings, and the automation that keeps immutable timestamps immutable.
Without them the run cannot check those clauses and lists them as residual risks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from harness.conformance.settings import SETTINGS, stated
from harness.lint.findings import Severity
from harness.lint.rules import _at, is_owner, rule
from harness.profile.model import Profile

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- GOV013 ------------------------------------------------------------------------------------------
@rule("GOV013", "delete policy missing")
def delete_policy_missing(profile: Profile) -> Iterator:
    for obj in profile.mappings:
        if obj not in profile.delete_policy:
            yield (Severity.WARNING, f"{obj} is synced but the profile states no delete policy: what a delete on "
                   "either side does is not checked", f"add delete_policy.{obj}: {{on_salesforce_delete: delete | "
                   "do_nothing, on_hubspot_delete: delete | do_nothing}}", _at(profile, "delete_policy"))
    for obj in profile.delete_policy:
        if obj not in profile.mappings:
            yield (Severity.WARNING, f"delete_policy.{obj}: {obj} is not synced (no mapping CSV)",
                   f"remove delete_policy.{obj} or map the object", _at(profile, "delete_policy", obj))


# -- GOV014 ------------------------------------------------------------------------------------------
@rule("GOV014", "owner list empty or malformed")
def owner_list(profile: Profile) -> Iterator:
    owner_mapped = any(is_owner(m) for m in profile.field_mappings)
    if not profile.owners and owner_mapped:
        yield (Severity.WARNING, "owners are mapped but the profile lists no owners: only the current record owners "
               "are checked for a counterpart", "list the people who own synced records under `owners` "
               "({email, name}); each must be a Salesforce user and a HubSpot owner", _at(profile, "owners"))
    counts = Counter(o.email.casefold() for o in profile.owners)
    for index, owner in enumerate(profile.owners):
        if not EMAIL.match(owner.email):
            yield (Severity.ERROR, f"owners[{index}]: {owner.email!r} is not an e-mail address (the connector "
                   "matches owners by e-mail)", "give the owner's e-mail", _at(profile, "owners", index))
        elif counts[owner.email.casefold()] > 1:
            yield (Severity.ERROR, f"owners[{index}]: {owner.email} is listed {counts[owner.email.casefold()]} times",
                   "keep one entry per person", _at(profile, "owners", index))


# -- GOV015 ------------------------------------------------------------------------------------------
@rule("GOV015", "picklist value mapping not one to one")
def picklist_value_mapping(profile: Profile) -> Iterator:
    for name, table in profile.normalisation.items():
        where = _at(profile, "normalisation", name, "hubspot_values")
        for canonical in table.hubspot_values:
            if canonical not in table.values:
                yield (Severity.ERROR, f"normalisation.{name}.hubspot_values renames {canonical!r}, which is not one "
                       f"of its canonical values", f"use one of {table.values}", where)
        targets = Counter(table.hubspot_value(v) for v in table.values)
        for option, count in targets.items():
            if count > 1:
                shared = [v for v in table.values if table.hubspot_value(v) == option]
                yield (Severity.ERROR, f"normalisation.{name}: {shared} all become HubSpot option {option!r}, so a "
                       "value coming back from HubSpot cannot be told apart", "map each canonical value to its own "
                       "HubSpot option", where)


# -- GOV016 ------------------------------------------------------------------------------------------
@rule("GOV016", "no connector mapping export to compare with")  # a missing file is refused at load
def connector_export_missing(profile: Profile) -> Iterator:
    if profile.target.kind == "sandboxes" and not profile.conformance.connector_export:
        yield (Severity.WARNING, "against real sandboxes the connector's mappings can only be compared with an "
               "export: without conformance.connector_export every mapping and sync-rule clause is not evaluated",
               "export the field mappings from HubSpot's Salesforce integration settings and set "
               "conformance.connector_export to the file or folder", _at(profile, "conformance"))


# -- GOV017 ------------------------------------------------------------------------------------------
@rule("GOV017", "connector settings not stated")
def connector_settings_unstated(profile: Profile) -> Iterator:
    missing = []
    for setting in SETTINGS:
        if setting.hubspot_object and setting.hubspot_object not in profile.mappings:
            continue
        if stated(profile, setting) is None:
            missing.append(".".join(setting.profile))
    if missing:
        yield (Severity.WARNING, f"the profile does not state {len(missing)} connector setting(s) ({', '.join(missing)}):"
               " what the integration's settings pages say is not checked", "state them under `connector` "
               "(docs/profile.md lists each key and its values)", _at(profile, "connector"))


# -- GOV018 ------------------------------------------------------------------------------------------
@rule("GOV018", "immutable timestamp with no write-once rule required")
def immutable_timestamp_unguarded(profile: Profile) -> Iterator:
    life = profile.lifecycle
    if life is None:
        return
    rules = profile.required_automation.validation_rules
    for index, stamp in enumerate(life.timestamps):
        if not stamp.immutable or not stamp.salesforce:
            continue
        guarded = {r.object for r in rules if (r.field or "").lower() == stamp.salesforce.lower()}
        carriers = sorted({o for m in profile.field_mappings if m.salesforce_field.lower() == stamp.salesforce.lower()
                           for o in m.salesforce_objects}) or sorted(guarded) or ["its object"]
        unguarded = [o for o in carriers if o not in guarded]
        if unguarded:
            yield (Severity.WARNING, f"lifecycle.timestamps[{index}]: {stamp.salesforce} is immutable, but "
                   f"required_automation lists no validation rule keeping it write-once on {', '.join(unguarded)}: "
                   "nothing checks that the guard exists", "list each object's write-once validation rule under "
                   f"required_automation.validation_rules with `field: {stamp.salesforce}`",
                   _at(profile, "lifecycle", "timestamps", index))
