"""The profile (mapping CSVs, source-of-truth map, normalisation tables, tolerances, key totals) turned into the
engine's plain specs, and the population projected onto them.

A HubSpot object can pair with several Salesforce objects (contacts with Leads and Contacts, under different
field names: Country vs MailingCountry), so Salesforce records are projected onto one row per HubSpot property
(`sf:<property>`): the engine then compares one population with one population, whatever the object mix.
"""

from __future__ import annotations

from typing import Any

from harness.profile import FieldMapping, Profile
from harness.reconcile.population import Population
from harness.reconcile.scope import in_inclusion_list
from harness.reconcile.spec import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec
from harness.sandboxes.catalog import FieldCatalog
from harness.sync.objects import LINKS

NATURAL_KEYS = {"contacts": ("email", "Email"), "companies": ("domain", "Website")}
LINK = "_sf_link"


def _synonyms(profile: Profile, hubspot_object: str, prop: str, sf_fields: list[str]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for table in profile.normalisation.values():
        if f"{hubspot_object}.{prop}" in table.hubspot or any(f in table.salesforce for f in sf_fields):
            pairs += [(value, value) for value in table.values]
            pairs += list(table.variants.items())
    return tuple(pairs)


def _owner_synonyms(owners: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Salesforce User id -> HubSpot owner id: owners are the same people under two id spaces."""
    return tuple(owners.items())


def field_specs(profile: Profile, catalog: FieldCatalog, hubspot_object: str,
                owners: dict[str, str]) -> tuple[FieldSpec, ...]:
    by_property: dict[str, list[FieldMapping]] = {}
    for mapping in profile.field_mappings:
        if mapping.hubspot_object == hubspot_object:
            by_property.setdefault(mapping.hubspot_property, []).append(mapping)
    specs = []
    for prop, rows in by_property.items():
        first = rows[0]
        sf_fields = [f"{o}.{m.salesforce_field}" for m in rows for o in m.salesforce_objects]
        described = next((catalog.salesforce(o, m.salesforce_field) for m in rows for o in m.salesforce_objects
                          if catalog.salesforce(o, m.salesforce_field)), None)
        kind = FieldKind(described.kind) if described else FieldKind.STRING
        ownership = profile.ownership(hubspot_object, prop)
        system = ownership.system_of_record.value if ownership else "salesforce"
        synonyms = _owner_synonyms(owners) if first.salesforce_field == "OwnerId" else \
            _synonyms(profile, hubspot_object, prop, sf_fields)
        hubspot_side = catalog.hubspot(hubspot_object, prop)
        specs.append(FieldSpec(prop, f"sf:{prop}", first.rule, kind, synonyms,
                               "salesforce" if system in {"salesforce", "governed", "both"} else "hubspot",
                               label="/".join(dict.fromkeys(sf_fields)),
                               hubspot_read_only=bool(hubspot_side and (hubspot_side.read_only or hubspot_side.calculated))))
    return tuple(specs)


def object_spec(profile: Profile, catalog: FieldCatalog, hubspot_object: str,
                owners: dict[str, str]) -> ObjectSpec:
    tolerance = (profile.reconciliation.objects.get(hubspot_object) if profile.reconciliation else None)
    salesforce_objects = tolerance.salesforce if tolerance else [s for _, s in LINKS.get(hubspot_object, [])]
    fields = field_specs(profile, catalog, hubspot_object, owners)
    totals = []
    for total in profile.reconciliation.key_totals if profile.reconciliation else []:
        hs_object, hs_value = total.hubspot.split(".", 1)
        if hs_object != hubspot_object:
            continue
        sf_value = f"x:{total.salesforce.split('.', 1)[1]}"
        group = total.group_by or {}
        hs_group = group.get("hubspot", "").split(".", 1)[-1] or None
        sf_group = f"x:{group['salesforce'].split('.', 1)[1]}" if group.get("salesforce") else None
        stage_map: tuple[tuple[str, str], ...] = ()
        if hs_group == "dealstage" and profile.deal_pipeline:
            stage_map = tuple(profile.deal_pipeline.stages.items())
        totals.append(KeyTotalSpec(total.name, hs_group, sf_group, hs_value if total.aggregate == "sum" else None,
                                   sf_value if total.aggregate == "sum" else None, total.tolerance, stage_map))
    key = NATURAL_KEYS.get(hubspot_object, (None, None))
    return ObjectSpec(f"{hubspot_object} <-> {'/'.join(salesforce_objects)}", hubspot_object, "/".join(salesforce_objects),
                      LINK, fields, key[0], "natural" if key[1] else None,
                      count_tolerance_pct=tolerance.max_count_diff_percent if tolerance else 0.0,
                      count_tolerance_abs=tolerance.max_count_diff if tolerance else 0, totals=tuple(totals))


def project(profile: Profile, population: Population, spec: ObjectSpec,
            extra_fields: set[str], set_aside: set[tuple[str, str]] | None = None,
            ) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, Any]]]:
    """HubSpot rows (in scope, with their link) and Salesforce rows projected onto `sf:<property>` columns;
    `set_aside` (sObject, id) are Salesforce records reported elsewhere (planted duplicates awaiting a merge)."""
    hubspot_rows = []
    for hs_id, props in population.hubspot.get(spec.hubspot_object, {}).items():
        if spec.hubspot_object == "contacts" and not in_inclusion_list(profile, props):
            continue
        link = population.link_of(spec.hubspot_object, props)
        hubspot_rows.append((hs_id, {**props, LINK: link[1] if link else None}))
    salesforce_rows = []
    field_of: dict[tuple[str, str], str] = {}
    for mapping in profile.field_mappings:
        if mapping.hubspot_object == spec.hubspot_object:
            for sobject in mapping.salesforce_objects:
                field_of[(sobject, mapping.hubspot_property)] = mapping.salesforce_field
    natural_field = NATURAL_KEYS.get(spec.hubspot_object, (None, None))[1]
    for sobject in spec.salesforce_object.split("/"):
        for sf_id, record in population.salesforce.get(sobject, {}).items():
            if record.get("IsDeleted") or (sobject == "Lead" and record.get("IsConverted")):
                continue  # merged-away, deleted and converted records are orphan classes, not population
            if set_aside and (sobject, sf_id) in set_aside:
                continue
            row: dict[str, Any] = {"Id": sf_id, "natural": record.get(natural_field) if natural_field else None}
            for f in spec.fields:
                source = field_of.get((sobject, f.hubspot))
                row[f.salesforce] = record.get(source) if source else None
            for name in extra_fields:
                row[f"x:{name}"] = record.get(name)
            salesforce_rows.append(row)
    return hubspot_rows, salesforce_rows


def wanted_fields(profile: Profile) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Which HubSpot properties and Salesforce fields the reconciliation reads, per object."""
    hubspot: dict[str, set[str]] = {}
    salesforce: dict[str, set[str]] = {}
    for mapping in profile.field_mappings:
        hubspot.setdefault(mapping.hubspot_object, set()).add(mapping.hubspot_property)
        for sobject in mapping.salesforce_objects:
            salesforce.setdefault(sobject, set()).add(mapping.salesforce_field)
    for total in profile.reconciliation.key_totals if profile.reconciliation else []:
        for side, target in ((total.hubspot, hubspot), (total.salesforce, salesforce)):
            obj, name = side.split(".", 1)
            target.setdefault(obj, set()).add(name)
        for side_name, value in (total.group_by or {}).items():
            obj, name = value.split(".", 1)
            (hubspot if side_name == "hubspot" else salesforce).setdefault(obj, set()).add(name)
    if profile.inclusion_list:
        hubspot.setdefault("contacts", set()).update(r.property for r in profile.inclusion_list.filters)
    hubspot.setdefault("contacts", set()).add("email")
    return hubspot, salesforce
