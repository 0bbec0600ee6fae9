"""Mapping rows, sync rules, and the fields and properties they name.

Every row of the profile's mapping CSVs is looked up, per Salesforce object, among the rows the connector actually
runs: the same HubSpot property to the same Salesforce field (`mapping`), under the same sync rule and so the same
direction (`sync_rule`). A row the connector runs that the profile does not state is an extra mapping: it differs.
Each mapped field and property must exist, with types the connector can sync (`field`).
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed
from harness.profile.mappings import FieldMapping
from harness.sync.compat import compatible, hubspot_field_type_of
from harness.sync.rules import SyncRule

Key = tuple[str, str, str]  # (HubSpot object, property, Salesforce object)


def item(hubspot_object: str, prop: str, sobject: str, field: str) -> str:
    return f"{hubspot_object}: {prop} <-> {sobject}.{field}"


def _expand(rows: list[FieldMapping]) -> dict[Key, list[FieldMapping]]:
    out: dict[Key, list[FieldMapping]] = {}
    for m in rows:
        for sobject in m.salesforce_objects:
            out.setdefault((m.hubspot_object, m.hubspot_property, sobject), []).append(m)
    return out


def mapping_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    actual_by_object = observed.mappings
    expected = _expand(profile.field_mappings)
    for (obj, prop, sobject), rows in expected.items():
        m = rows[0]
        name = item(obj, prop, sobject, m.salesforce_field)
        owner = places.functional_owner(profile, obj, prop)
        where = places.mapping_row(m, obj)
        want = f"{prop} -> {sobject}.{m.salesforce_field}, {m.rule.value}"
        running = None if actual_by_object is None else actual_by_object.get(obj)
        if running is None:
            reason = observed.why.get(f"connector mappings {obj}") or observed.why.get("connector mappings") or \
                observed.why.get("connector settings", "the connector's mappings could not be read")
            yield not_evaluated("mapping", name, want, reason, where, owner)
            yield not_evaluated("sync_rule", name, m.rule.value, reason, where, owner)
            continue
        actual = _expand(running).get((obj, prop, sobject), [])
        same_field = [a for a in actual if a.salesforce_field.lower() == m.salesforce_field.lower()]
        if same_field:
            found = f"mapped to {sobject}.{same_field[0].salesforce_field}"
        elif actual:
            found = "mapped to " + ", ".join(f"{sobject}.{a.salesforce_field}" for a in actual) + " instead"
        else:
            found = "not mapped in the connector"
        yield conforms("mapping", name, f"{prop} mapped to {sobject}.{m.salesforce_field}", found, bool(same_field),
                       where, owner)
        compared = same_field or actual
        rules = sorted({a.rule.value for a in compared})
        yield conforms("sync_rule", name, m.rule.value, ", ".join(rules) if rules else "not mapped",
                       bool(compared) and rules == [m.rule.value], where, owner)
    if actual_by_object is None:
        return
    for obj, running in actual_by_object.items():
        for (a_obj, prop, sobject), rows in _expand(running).items():
            wanted = {m.salesforce_field.lower() for m in expected.get((a_obj, prop, sobject), [])}
            for a in rows:
                if a.salesforce_field.lower() in wanted:
                    continue
                yield conforms("mapping", item(a_obj, prop, sobject, a.salesforce_field),
                               "no such mapping (the profile does not state it)",
                               f"the connector runs it ({a.rule.value})", False, places.mapping_row(None, obj),
                               places.functional_owner(profile, obj, prop))


def field_clauses(observed: Observed) -> Iterator[Clause]:
    """Every mapped field and property exists, with compatible types: the profile's rows and any extra row the
    connector runs (a mapping to a field that does not exist is named by its field)."""
    profile = observed.profile
    rows = list(profile.field_mappings)
    known = {(m.hubspot_object, m.hubspot_property, s, m.salesforce_field.lower()) for m in rows
             for s in m.salesforce_objects}
    for running in (observed.mappings or {}).values():
        for a in running:
            if any((a.hubspot_object, a.hubspot_property, s, a.salesforce_field.lower()) not in known
                   for s in a.salesforce_objects):
                rows.append(a)
    seen: set[tuple[str, str, str, str]] = set()
    for m in rows:
        for sobject in m.salesforce_objects:
            key = (m.hubspot_object, m.hubspot_property, sobject, m.salesforce_field.lower())
            if key in seen:
                continue
            seen.add(key)
            yield _field_clause(observed, m, sobject)


def _field_clause(observed: Observed, m: FieldMapping, sobject: str) -> Clause:
    profile = observed.profile
    name = item(m.hubspot_object, m.hubspot_property, sobject, m.salesforce_field)
    owner = places.functional_owner(profile, m.hubspot_object, m.hubspot_property)
    expected = "both exist" + ("" if m.rule is SyncRule.DONT_SYNC else " with compatible types")
    described = observed.sobject(sobject)
    properties = observed.properties(m.hubspot_object)
    if described is None and f"describe {sobject}" in observed.why and "NOT_FOUND" not in observed.why[
            f"describe {sobject}"] and "404" not in observed.why[f"describe {sobject}"]:
        return not_evaluated("field", name, expected, f"Salesforce describe {sobject}: {observed.why[f'describe {sobject}']}",
                             places.salesforce_field(sobject, m.salesforce_field), owner)
    if described is None:
        return conforms("field", name, expected, f"the org has no object {sobject} (or the API user cannot see it)",
                        False, places.salesforce_field(sobject, m.salesforce_field), owner)
    field = described.get(m.salesforce_field.lower())
    if field is None:
        return conforms("field", name, expected, f"{sobject} has no field {m.salesforce_field} (or the API user "
                        "cannot see it)", False, places.salesforce_field(sobject, m.salesforce_field), owner)
    if properties is None:
        return not_evaluated("field", name, expected, f"HubSpot properties of {m.hubspot_object}: "
                             f"{observed.why.get(f'properties {m.hubspot_object}', 'unreadable')}",
                             places.hubspot_property(m.hubspot_object, m.hubspot_property), owner)
    prop = properties.get(m.hubspot_property)
    if prop is None:
        return conforms("field", name, expected, f"HubSpot {m.hubspot_object} have no property {m.hubspot_property}",
                        False, places.hubspot_property(m.hubspot_object, m.hubspot_property), owner)
    hs_type = hubspot_field_type_of(prop.get("type"), prop.get("fieldType"))
    sf_type = str(field["type"])
    if sf_type == "string" and observed.picklist_of(sobject, m.salesforce_field):
        sf_type = "picklist"  # State and Country/Territory Picklists: the text field takes the picklist's labels
    types = f"{hs_type} <-> {sf_type}"
    if m.rule is SyncRule.DONT_SYNC:  # nothing crosses a Don't-sync row: its types cannot clash
        return conforms("field", name, expected, f"both exist ({types}, not synced)", True,
                        places.mapping_row(m, m.hubspot_object), owner)
    if not compatible(hs_type, sf_type):
        return conforms("field", name, expected, f"incompatible types: {types}", False,
                        places.hubspot_property(m.hubspot_object, m.hubspot_property), owner)
    shorter = _shorter_than_siblings(observed, m, sobject, field)
    if shorter:
        return conforms("field", name, expected + f", as long as {shorter[0]}", shorter[1], False,
                        places.salesforce_field(sobject, m.salesforce_field), owner)
    return conforms("field", name, expected, f"both exist ({types})", True,
                    places.hubspot_property(m.hubspot_object, m.hubspot_property), owner)


TEXT_TYPES = {"string", "textarea", "email", "phone", "url"}


def _shorter_than_siblings(observed: Observed, m: FieldMapping, sobject: str,
                           field: dict[str, object]) -> tuple[str, str] | None:
    """One HubSpot property feeding a text field on several objects (a contact's Lead and Contact): a value that
    fits the longest is refused by a shorter one (STRING_TOO_LONG), e.g. when the Lead converts. None when it fits."""
    length = field.get("length")
    if field.get("type") not in TEXT_TYPES or not isinstance(length, int) or length <= 0:
        return None
    for other in m.salesforce_objects:
        sibling = observed.sf_field(other, m.salesforce_field) if other != sobject else None
        other_length = (sibling or {}).get("length")
        if sibling and sibling.get("type") in TEXT_TYPES and isinstance(other_length, int) and other_length > length:
            return (f"{other}.{m.salesforce_field}",
                    f"{sobject}.{m.salesforce_field} holds {length} characters, {other}.{m.salesforce_field} "
                    f"{other_length}: a value that syncs to {other} is refused on {sobject} (STRING_TOO_LONG)")
    return None
