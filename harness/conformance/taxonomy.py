"""The profile's own value lists against both platforms: the lifecycle taxonomy (every active stage offered, no
retired stage offered, on both sides), the Lead Status values, and the deal pipeline (each Salesforce stage lands on
the profile's HubSpot stage, which exists). Clauses of the `picklist` family: they are picklist values the profile
names, checked one by one."""

from __future__ import annotations

from collections.abc import Iterator

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed


def _hubspot_options(observed: Observed, obj: str, prop: str) -> list[str] | None:
    found = observed.hs_property(obj, prop)
    if found is None:
        return None
    return [str(o["value"]) for o in found.get("options") or [] if not o.get("hidden")]


def taxonomy_clauses(observed: Observed) -> Iterator[Clause]:
    yield from _lifecycle(observed)
    yield from _lead_status(observed)
    yield from _deal_stages(observed)


def _lifecycle(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    life = profile.lifecycle
    if life is None:
        return
    owner = places.functional_owner(profile, "contacts", life.hubspot_property)
    sides: list[tuple[str, list[str] | None, str]] = [
        (f"HubSpot contacts.{life.hubspot_property}", _hubspot_options(observed, "contacts", life.hubspot_property),
         places.hubspot_property("contacts", life.hubspot_property))]
    for sobject in sorted({s for m in profile.field_mappings if m.hubspot_property == life.hubspot_property
                           for s in m.salesforce_objects}):
        accepted = observed.picklist_of(sobject, life.salesforce_field)
        sides.append((f"Salesforce {sobject}.{life.salesforce_field}", accepted[0] if accepted else None,
                      places.salesforce_field(sobject, life.salesforce_field)))
    for label, values, where in sides:
        if values is None:
            continue  # missing or not a picklist: the field clauses name it
        folded = {v.casefold() for v in values}
        for stage in life.stages:
            yield conforms("picklist", f"{label}: active stage {stage!r}", "offered", "offered" if stage.casefold()
                           in folded else "not offered", stage.casefold() in folded, where, owner)
        for stage in life.retired:
            yield conforms("picklist", f"{label}: retired stage {stage!r}", "not offered (retired)",
                           "still offered" if stage.casefold() in folded else "not offered",
                           stage.casefold() not in folded, where, owner)


def _lead_status(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    status = profile.lead_status
    if status is None:
        return
    owner = places.functional_owner(profile, "contacts", status.hubspot_property)
    accepted = observed.picklist_of("Lead", status.salesforce_field)
    if accepted is None:
        return
    values = accepted[0]
    where = places.salesforce_field("Lead", status.salesforce_field)
    for value in status.values:
        yield conforms("picklist", f"Salesforce Lead.{status.salesforce_field}: profile value {value!r}", "offered",
                       "offered" if value in values else "not offered", value in values, where, owner)
    for value in values:
        if value not in status.values:
            yield conforms("picklist", f"Salesforce Lead.{status.salesforce_field}: value {value!r}",
                           "among the profile's lead_status.values", "not in the profile", False,
                           f"{where}; or {places.profile_setting(profile, 'lead_status', 'values')}", owner)


def _deal_stages(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    pipeline = profile.deal_pipeline
    if pipeline is None:
        return
    owner = places.functional_owner(profile, "deals")
    accepted = observed.picklist_of("Opportunity", "StageName")
    try:
        pipelines = observed.sandboxes.hubspot.request("GET", "/crm/v3/pipelines/deals").get("results", [])
    except Exception as error:
        yield not_evaluated("picklist", f"deal pipeline {pipeline.pipeline!r}", "the profile's stage mapping",
                            f"HubSpot pipelines API: {type(error).__name__}", "HubSpot: Settings > Objects > Deals > "
                            "Pipelines", owner)
        return
    found = next((p for p in pipelines if p.get("label") == pipeline.pipeline), None)
    hubspot_stages = {str(s.get("id")) for s in (found or {}).get("stages") or []}
    settings = observed.connector_settings
    running: dict[str, str] | None = None
    if settings is not None:
        for entry in ((settings.get("objects") or {}).get("deals") or {}).get("pipelines") or []:
            if entry.get("pipeline") == pipeline.pipeline:
                running = {str(k): str(v) for k, v in (entry.get("stages") or {}).items()}
    page = f"{places.SALESFORCE_INTEGRATION} > Deals > Pipeline and stage mapping"
    for stage, hubspot_stage in pipeline.stages.items():
        label = f"deal stage {stage!r} -> {pipeline.pipeline} / {hubspot_stage}"
        problems = []
        if accepted is not None and stage not in accepted[0]:
            problems.append(f"Opportunity.StageName has no value {stage!r}")
        if found is None:
            problems.append(f"HubSpot has no deal pipeline {pipeline.pipeline!r}")
        elif hubspot_stage not in hubspot_stages:
            problems.append(f"the HubSpot pipeline has no stage {hubspot_stage!r}")
        if running is not None and running.get(stage) != hubspot_stage:
            problems.append(f"the connector maps it to {running.get(stage) or 'nothing'}")
        if running is None and not problems:
            yield not_evaluated("picklist", label, "the connector maps the stage as the profile says",
                                "the connector's stage mapping cannot be read (no API); the stages exist", page, owner)
            continue
        yield conforms("picklist", label, "both stages exist and the connector maps them as the profile says",
                       "; ".join(problems) or "as the profile says", not problems, page, owner)
