"""Governance rules on data quality and sign-off: picklists, owner, reconciliation, deduplication, stakeholders."""

from __future__ import annotations

from collections.abc import Iterator

from harness.lint.findings import Severity
from harness.lint.rules import PLACEHOLDER_OWNERS, TEAM_WORDS, _at, is_owner, rule
from harness.profile.mappings import SyncRule
from harness.profile.model import Profile


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


# -- GOV007 ------------------------------------------------------------------------------------------
@rule("GOV007", "picklist values not normalised across the two sides")
def picklists_not_normalised(profile: Profile) -> Iterator:
    covered: set[str] = set()
    for name, table in profile.normalisation.items():
        where = _at(profile, "normalisation", name)
        covered.update(table.hubspot)
        canon: dict[str, str] = {}
        for value in table.values:
            if _fold(value) in canon:
                yield (Severity.ERROR, f"normalisation.{name}: {value!r} and {canon[_fold(value)]!r} are the same "
                       "value spelled twice", "keep one canonical spelling; list the other under variants", where)
            canon[_fold(value)] = value
        seen: dict[str, str] = {}
        for variant, target in table.variants.items():
            if target not in table.values:
                yield (Severity.ERROR, f"normalisation.{name}: variant {variant!r} folds into {target!r}, which is not "
                       f"a canonical value", f"use one of {table.values}", where)
            if _fold(variant) in canon and canon[_fold(variant)] != target:
                yield (Severity.ERROR, f"normalisation.{name}: {variant!r} is a canonical value and also a variant "
                       f"of {target!r}", "a spelling folds into exactly one canonical value", where)
            if _fold(variant) in seen and seen[_fold(variant)] != target:
                yield (Severity.ERROR, f"normalisation.{name}: {variant!r} folds into both {seen[_fold(variant)]!r} "
                       f"and {target!r}", "a spelling folds into exactly one canonical value", where)
            seen[_fold(variant)] = target
        for location in table.hubspot:
            obj, _, prop = location.partition(".")
            if not any(m.hubspot_object == obj and m.hubspot_property == prop for m in profile.field_mappings):
                yield (Severity.WARNING, f"normalisation.{name} applies to {location}, which no mapping syncs",
                       "fix the location (object.property) or remove it", where)
    special = {profile.lifecycle.hubspot_property if profile.lifecycle else "lifecyclestage",
               profile.lead_status.hubspot_property if profile.lead_status else "hs_lead_status"}
    for m in profile.field_mappings:
        enumerated = m.hubspot_type in {"select", "radio", "checkbox"} or m.salesforce_type in {"picklist",
                                                                                                "multipicklist"}
        if (enumerated and m.rule is not SyncRule.DONT_SYNC and not is_owner(m) and m.hubspot_property not in special
                and m.key not in covered):
            yield (Severity.ERROR, f"{m.key} ↔ {m.salesforce_field} is a picklist with no normalisation table: "
                   "spelling variants will fragment it across the two sides", "add a normalisation table listing "
                   f"its canonical values and `hubspot: [{m.key}]`", m.where)
    if profile.lead_status:
        unknown = [v for v in profile.lead_status.converted if v not in profile.lead_status.values]
        if unknown:
            yield (Severity.ERROR, f"lead_status.converted {unknown} are not Lead Status values",
                   "list converted values among lead_status.values", _at(profile, "lead_status", "converted"))
    elif any(m.hubspot_property == "hs_lead_status" for m in profile.field_mappings):
        yield (Severity.ERROR, "hs_lead_status is mapped but the profile lists no Lead Status values",
               "add a lead_status section with the Salesforce Lead Status values", _at(profile, "mappings"))


# -- GOV008 ------------------------------------------------------------------------------------------
@rule("GOV008", "no named integration owner")
def no_integration_owner(profile: Profile) -> Iterator:
    owner = profile.integration_owner
    fix = "name one person (not a team, committee or vendor) as integration_owner, with an e-mail"
    if owner is None:
        yield (Severity.ERROR, "no integration owner: mappings drift and error logs go unread", fix,
               _at(profile, "integration_owner"))
        return
    name = _fold(owner.name)
    if name in PLACEHOLDER_OWNERS or any(word in name.split() for word in TEAM_WORDS):
        yield (Severity.ERROR, f"integration owner {owner.name!r} is not a named person", fix,
               _at(profile, "integration_owner", "name"))
    elif not owner.email:
        yield (Severity.WARNING, f"integration owner {owner.name} has no e-mail", "add integration_owner.email",
               _at(profile, "integration_owner"))


# -- GOV009 ------------------------------------------------------------------------------------------
@rule("GOV009", "no reconciliation thresholds")
def no_reconciliation_thresholds(profile: Profile) -> Iterator:
    recon = profile.reconciliation
    if recon is None or not recon.objects:
        yield (Severity.ERROR, "no reconciliation thresholds: drift is found at the next QBR instead of in UAT",
               "add reconciliation.objects with a count tolerance per synced object, and key_totals",
               _at(profile, "reconciliation"))
        return
    for obj in profile.mappings:
        if obj not in recon.objects:
            yield (Severity.ERROR, f"{obj} is synced but has no reconciliation tolerance",
                   f"add reconciliation.objects.{obj} with salesforce objects and max_count_diff",
                   _at(profile, "reconciliation", "objects"))
    if not recon.key_totals:
        yield (Severity.WARNING, "no key field totals: counts can match while amounts drift",
               "add reconciliation.key_totals (e.g. opportunity amount by stage)", _at(profile, "reconciliation"))


# -- GOV010 ------------------------------------------------------------------------------------------
@rule("GOV010", "deduplication keys differ between the two systems")
def dedupe_keys_differ(profile: Profile) -> Iterator:
    dedupe = profile.deduplication
    if dedupe is None or not dedupe.hubspot:
        yield (Severity.WARNING, "no deduplication keys: each system will dedupe on its own terms",
               "add deduplication.hubspot and deduplication.salesforce (e-mail for people, domain for companies)",
               _at(profile, "deduplication"))
        return
    for obj, keys in dedupe.hubspot.items():
        for sobject in {s for m in profile.field_mappings if m.hubspot_object == obj for s in m.salesforce_objects}:
            translated = set()
            for key in keys:
                match = next((m for m in profile.field_mappings if m.hubspot_object == obj and m.hubspot_property == key
                              and sobject in m.salesforce_objects), None)
                translated.add(match.salesforce_field.lower() if match else f"(unmapped {key})")
            actual = {f.lower() for f in dedupe.salesforce.get(sobject, [])}
            if not actual:
                continue  # Salesforce has no duplicate rule on this object: nothing to disagree with
            if translated != actual:
                yield (Severity.ERROR, f"HubSpot dedupes {obj} on {keys} (= {sobject} {sorted(translated)}) but "
                       f"Salesforce dedupes {sobject} on {dedupe.salesforce[sobject]}: one system merges what the "
                       "other splits", "agree one matching key for both (typically e-mail, and company domain)",
                       _at(profile, "deduplication", "salesforce", sobject))


# -- GOV012 ------------------------------------------------------------------------------------------
@rule("GOV012", "sign-off stakeholders incomplete")
def stakeholders_incomplete(profile: Profile) -> Iterator:
    roles = " ".join(_fold(s.role) for s in profile.stakeholders)
    for needed, words in (("Marketing Ops", ("marketing",)), ("Sales Ops", ("sales",)),
                          ("business", ("business", "executive", "sponsor", "owner"))):
        if not any(word in roles for word in words):
            yield (Severity.WARNING, f"no {needed} stakeholder signs off", f"add a stakeholders entry for {needed}",
                   _at(profile, "stakeholders"))
