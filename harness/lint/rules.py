"""The governance rules on the profile and its mapping CSVs (no sandbox needed).

Each rule is the integration guide's "common mistake" or governance gap turned into a check
(`shared/seed`, "Common Integration Mistakes" and "Governance Framework"). A rule returns findings; the
registry keeps id, title and order so the docs and the JSON output agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from harness.lint.findings import Severity
from harness.profile.mappings import FieldMapping, SyncRule
from harness.profile.model import Direction, Profile, SystemOfRecord


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    check: Callable[[Profile, list[FieldMapping]], Iterator[tuple[Severity, str, str, str]]]


RULES: list[Rule] = []
OWNER_PROPERTIES = {"hubspot_owner_id"}
OWNER_FIELDS = {"ownerid"}
# Which sync rules honour each direction of the source-of-truth map. The connector has no "always use HubSpot"
# rule, so a HubSpot-owned field can only be Two-way.
ALLOWED_RULES = {
    Direction.BOTH: {SyncRule.TWO_WAY},
    Direction.FROM_SALESFORCE: {SyncRule.ALWAYS_USE_SALESFORCE, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK},
    Direction.FROM_HUBSPOT: {SyncRule.TWO_WAY},
    Direction.GOVERNED: {SyncRule.TWO_WAY},
    Direction.NONE: {SyncRule.DONT_SYNC},
}
PLACEHOLDER_OWNERS = {"", "tbd", "tba", "n/a", "na", "none", "unknown", "todo", "?", "-", "owner", "everyone", "nobody"}
TEAM_WORDS = ("team", "committee", "department", "group", "vendor", "agency", "partner", "ops", "everyone")


def rule(rule_id: str, title: str) -> Callable:
    def register(check: Callable) -> Callable:
        RULES.append(Rule(rule_id, title, check))
        return check
    return register


def is_owner(mapping: FieldMapping) -> bool:
    return mapping.hubspot_property in OWNER_PROPERTIES or mapping.salesforce_field.lower() in OWNER_FIELDS


def _at(profile: Profile, *path: object) -> str:
    return f"{profile.source}:{profile.line(*path)}"


# -- GOV001 ------------------------------------------------------------------------------------------
@rule("GOV001", "lifecycle stage synced as a plain field")
def lifecycle_as_plain_field(profile: Profile) -> Iterator:
    prop = profile.lifecycle.hubspot_property if profile.lifecycle else "lifecyclestage"
    for m in (m for m in profile.field_mappings if m.hubspot_property == prop and m.rule is not SyncRule.DONT_SYNC):
        if profile.lifecycle is None:
            yield (Severity.ERROR, f"{prop} is mapped ({m.rule.value}) but the profile has no lifecycle taxonomy",
                   "add a `lifecycle` section: stages in order, retired stages, salesforce_owns_from, timestamps",
                   m.where)
            continue
        owner = profile.ownership(m.hubspot_object, prop)
        if owner is None or owner.direction is not Direction.GOVERNED:
            yield (Severity.ERROR, f"{prop} is mapped {m.rule.value} as an ordinary field: the source-of-truth map "
                   f"does not mark it governed", "add a source_of_truth row for it with direction: governed and "
                   "system_of_record: governed (HubSpot below the boundary, Salesforce from it)", m.where)
        if not profile.lifecycle.forward_only:
            yield (Severity.ERROR, "lifecycle.forward_only is false: a synced stage can move backwards and undo funnel "
                   "history", "set lifecycle.forward_only: true", _at(profile, "lifecycle", "forward_only"))
        if m.rule is not SyncRule.TWO_WAY:
            yield (Severity.ERROR, f"{prop} is '{m.rule.value}': HubSpot can never move it, so stages up to "
                   f"{profile.lifecycle.salesforce_owns_from} appear stuck", "map it Two-way and govern it "
                   "(forward only, boundary at salesforce_owns_from)", m.where)


# -- GOV002 ------------------------------------------------------------------------------------------
@rule("GOV002", "Lead Status mapped to Lifecycle Stage")
def lead_status_to_lifecycle(profile: Profile) -> Iterator:
    life_prop = profile.lifecycle.hubspot_property if profile.lifecycle else "lifecyclestage"
    life_field = (profile.lifecycle.salesforce_field if profile.lifecycle else "Lifecycle_Stage__c").lower()
    status_prop = profile.lead_status.hubspot_property if profile.lead_status else "hs_lead_status"
    status_field = (profile.lead_status.salesforce_field if profile.lead_status else "Status").lower()
    for m in profile.field_mappings:
        crossed = (m.hubspot_property == status_prop and m.salesforce_field.lower() == life_field) or \
                  (m.hubspot_property == life_prop and m.salesforce_field.lower() == status_field
                   and "Lead" in m.salesforce_objects)
        if crossed:
            yield (Severity.ERROR, f"{m.hubspot_property} is mapped to {m.salesforce_field}: Lead Status (what sales is "
                   "doing) and Lifecycle Stage (where the record is in the funnel) answer different questions",
                   f"map {status_prop} to Lead.{profile.lead_status.salesforce_field if profile.lead_status else 'Status'}"
                   f" and {life_prop} to {life_field}, each with its own rule", m.where)
    if profile.lifecycle and profile.lead_status:
        shared = sorted({v.casefold() for v in profile.lead_status.values} & {s.casefold() for s in
                                                                              profile.lifecycle.stages})
        if shared:
            yield (Severity.WARNING, f"Lead Status values {shared} are also lifecycle stages: the two taxonomies are "
                   "being conflated", "give Lead Status its own vocabulary (e.g. Open, Working, Converted)",
                   _at(profile, "lead_status", "values"))


# -- GOV003 ------------------------------------------------------------------------------------------
@rule("GOV003", "owner field owned by both systems")
def owner_owned_by_both(profile: Profile) -> Iterator:
    for m in (m for m in profile.field_mappings if is_owner(m) and m.rule is not SyncRule.DONT_SYNC):
        owner = profile.ownership(m.hubspot_object, m.hubspot_property)
        if owner is None:
            yield (Severity.ERROR, f"{m.key} ↔ {m.salesforce_field} is synced but no system of record is named for "
                   "the owner", f"add source_of_truth row {{object: {m.hubspot_object}, field: {m.hubspot_property}, "
                   "system_of_record: salesforce, direction: from_salesforce}", m.where)
        elif owner.system_of_record not in (SystemOfRecord.SALESFORCE, SystemOfRecord.HUBSPOT) or \
                owner.direction in (Direction.BOTH, Direction.GOVERNED):
            yield (Severity.ERROR, f"{m.key} is owned by both systems ({owner.system_of_record.value}, "
                   f"{owner.direction.value}): owner changes round-trip and bury real changes in audit-log noise",
                   "name one system of record for ownership (usually Salesforce: assignment rules and territories) "
                   "and give it direction from_salesforce", _at(profile, "source_of_truth",
                                                               profile.source_of_truth.index(owner)))


# -- GOV004 and GOV011 -------------------------------------------------------------------------------
@rule("GOV004", "mapping rule contradicts the source-of-truth map")
def rule_contradicts_source_of_truth(profile: Profile) -> Iterator:
    for m in profile.field_mappings:
        owner = profile.ownership(m.hubspot_object, m.hubspot_property)
        if owner is None:
            continue
        allowed = set(ALLOWED_RULES[owner.direction])
        if is_owner(m) and owner.direction is Direction.FROM_SALESFORCE:
            allowed.add(SyncRule.TWO_WAY)  # the connector maps owners Two-way only (HubSpot KB, owner mapping)
        if m.rule not in allowed:
            yield (Severity.ERROR, f"{m.key} → {'/'.join(m.salesforce_objects)}.{m.salesforce_field} is "
                   f"'{m.rule.value}' but the source-of-truth map says {owner.key} is "
                   f"{owner.direction.value} (system of record: {owner.system_of_record.value})",
                   f"change the sync rule to {' or '.join(sorted(r.value for r in allowed))}, or correct the "
                   "source-of-truth map if the mapping is right", m.where)


@rule("GOV011", "mapped field without a system of record")
def unowned_mapping(profile: Profile) -> Iterator:
    for m in profile.field_mappings:
        if profile.ownership(m.hubspot_object, m.hubspot_property) is None:
            yield (Severity.WARNING, f"{m.key} is mapped but the source-of-truth map covers neither the field nor "
                   f"{m.hubspot_object}", f"add a source_of_truth row for {m.hubspot_object} (or for the field)",
                   m.where)


# -- GOV005 ------------------------------------------------------------------------------------------
@rule("GOV005", "retired stage still referenced")
def retired_stage_referenced(profile: Profile) -> Iterator:
    if profile.lifecycle is None or not profile.lifecycle.retired:
        return
    retired = {s.casefold(): s for s in profile.lifecycle.retired}
    fix = "remove the retired stage, or move it back to lifecycle.stages if it is in use again"
    for m in profile.field_mappings:
        for stage_key, stage in retired.items():
            if stage_key in m.hubspot_property.casefold() or stage_key in m.salesforce_field.casefold():
                yield (Severity.ERROR, f"mapping {m.key} ↔ {m.salesforce_field} belongs to retired stage {stage}",
                       "delete the mapping (and the automation that stamps it)", m.where)
    for index, stamp in enumerate(profile.lifecycle.timestamps):
        if stamp.stage.casefold() in retired:
            yield (Severity.ERROR, f"lifecycle.timestamps names retired stage {stamp.stage}", fix,
                   _at(profile, "lifecycle", "timestamps", index))
    for name, table in profile.normalisation.items():
        for value in [*table.values, *table.variants.values(), *table.variants.keys()]:
            if value.casefold() in retired:
                yield (Severity.ERROR, f"normalisation.{name} maps to or from retired stage {value}", fix,
                       _at(profile, "normalisation", name))
    if profile.inclusion_list:
        for index, condition in enumerate(profile.inclusion_list.filters):
            values = condition.value if isinstance(condition.value, list) else [condition.value]
            for value in (v for v in values if v and v.casefold() in retired):
                yield (Severity.ERROR, f"inclusion_list filter on {condition.property} uses retired stage {value}",
                       fix, _at(profile, "inclusion_list", "filters", index))


# -- GOV006 ------------------------------------------------------------------------------------------
@rule("GOV006", "lifecycle timestamp fields missing or mutable")
def lifecycle_timestamps(profile: Profile) -> Iterator:
    life = profile.lifecycle
    if life is None:
        return
    boundary = life.rank(life.salesforce_owns_from)
    handoff = life.stages[boundary - 1] if boundary > 0 else None
    stamped = {t.stage for t in life.timestamps}
    for stage in (s for s in (handoff, life.salesforce_owns_from) if s):
        if stage not in stamped:
            yield (Severity.ERROR, f"no timestamp field for {stage}: the handoff around the Salesforce boundary cannot "
                   "be measured", f"add lifecycle.timestamps entry {{stage: {stage}, hubspot: ..., salesforce: ..., "
                   "immutable: true}", _at(profile, "lifecycle", "timestamps"))
    by_property = {m.hubspot_property: m for m in profile.field_mappings}
    for index, stamp in enumerate(life.timestamps):
        where = _at(profile, "lifecycle", "timestamps", index)
        if not stamp.immutable:
            yield (Severity.ERROR, f"{stamp.stage} timestamp is not immutable: conversion maths changes every time it "
                   "is re-stamped", "set immutable: true (stamped on first entry, never overwritten)", where)
        if not (stamp.hubspot and stamp.salesforce):
            yield (Severity.ERROR, f"{stamp.stage} timestamp lacks a field on one side (hubspot: {stamp.hubspot}, "
                   f"salesforce: {stamp.salesforce})", "name both fields so the funnel can be read on the record in "
                   "either system", where)
            continue
        mapping = by_property.get(stamp.hubspot)
        if mapping is None or mapping.rule is SyncRule.DONT_SYNC:
            yield (Severity.ERROR, f"{stamp.hubspot} is not synced to {stamp.salesforce}", "map the pair 'Prefer "
                   "Salesforce unless blank' so it is stamped once and then kept", where)
        elif mapping.salesforce_field.lower() != stamp.salesforce.lower():
            yield (Severity.ERROR, f"{stamp.hubspot} is mapped to {mapping.salesforce_field}, not {stamp.salesforce}",
                   "fix the mapping CSV or the profile", mapping.where)
        elif stamp.immutable and mapping.rule is SyncRule.TWO_WAY:
            yield (Severity.ERROR, f"{stamp.hubspot} ↔ {stamp.salesforce} is Two-way: the latest write re-stamps an "
                   "immutable timestamp", "use 'Prefer Salesforce unless blank' (HubSpot fills it once)",
                   mapping.where)
