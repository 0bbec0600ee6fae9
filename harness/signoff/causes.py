"""Root causes: the run's failures grouped under the configuration item that explains them.

A NO-GO is read by the people who must fix it, so its first section says what is wrong in the configuration, where
to change it, who owns it and what to do, with the failing scenarios and Sync Health errors as evidence. Causes
come only from what a real sandbox also shows (cause_items.py: conformance clauses, the automation audit and its
catalogue, the active duplicate rules; Sync Health error payloads), never from the twin's fixtures.

A failure is linked to a cause only for a reason that can be stated (and is, in `why`): its Sync Health error is the
one the item produces, its message names the item, it differs on a field the item governs with a value the item
writes, or its records carry values the item filters out. A failure with no such reason stays "unexplained" with its
evidence: a guessed link would send someone to fix the wrong thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.signoff.cause_items import Candidates, Cause, automation_page
from harness.signoff.health import error_property, readable_message
from harness.signoff.results import ScenarioResult
from harness.signoff.seeded import expected_reason

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

_RECORDED = re.compile(r"recorded (\w+) error (\w+): ([^\n]+)")
_SOBJECT = re.compile(r"'salesforce_object': '(\w+)'")  # the Sync Health error the failure carries
_WORD = re.compile(r"[A-Za-z_][\w]*")
_IDS = re.compile(r"\b(\d{6,}|[a-zA-Z0-9]{3}[0-9][a-zA-Z0-9]{11}(?:[a-zA-Z0-9]{3})?)\b")
# Failure kinds a cause of each linking mode can produce (a field named in a sync timeout is not a wrong mapping)
_MODE_CATEGORIES = {
    "mapping": {"mapping_mismatch", "picklists"}, "fls": {"permissions"}, "duplicates": {"duplicates"},
    "automation": {"platform_automation", "mapping_mismatch"}, "retired": {"platform_automation", "picklists"},
    "writes": {"platform_automation"}, "inclusion": {"sync_timeout"}, "named": set(),
}


@dataclass
class Failure:
    result: ScenarioResult
    defect: dict[str, Any]
    text: str
    words: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.result.feature}: {self.result.title}"


def _failures(results: list[ScenarioResult], defects: list[dict[str, Any]]) -> list[Failure]:
    by_node = {d.get("nodeid"): d for d in defects}
    out = []
    for r in results:
        if r.outcome != "failed":
            continue
        example = " ".join(f"'{k}': '{v}'" for k, v in (r.example or {}).items())
        text = f"{r.message or ''}\n{example}"
        words = {w.lower() for w in _WORD.findall(text)} | {t[len("field_"):].lower() for t in r.tags
                                                            if t.startswith("field_")}
        out.append(Failure(r, by_node.get(r.nodeid, {}), text, words))
    return out


def _error_key(error: dict[str, Any]) -> tuple[str, str, str | None]:
    return str(error.get("category") or "other"), str(error.get("code") or ""), error_property(error.get("message"))


def _error_causes(error: dict[str, Any], causes: list[Cause]) -> list[Cause]:
    category, _code, prop = _error_key(error)
    prop = (prop or "").lower()
    if category == "duplicates":
        sobject = str(error.get("salesforce_object") or "")
        return [c for c in causes if c.mode == "duplicates" and sobject.lower() in c.names]
    if category == "permissions":
        return [c for c in causes if c.mode == "fls" and prop in c.fields]
    if category in {"picklists", "property_values", "field_mappings"} and prop:
        mapped = [c for c in causes if c.mode == "mapping" and prop in c.fields]
        return [c for c in mapped if c.kind == "mapping row"] or mapped
    return []


def _why(cause: Cause, failure: Failure, errors_by_id: dict[str, list[dict[str, Any]]]) -> str | None:
    """The reason `failure` is evidence of `cause`, or None: a link that cannot be stated is not made."""
    text, words = failure.text, failure.words
    for clause in cause.evidence:
        item = clause.split(": expected ")[0]
        if item and f"- {item}:" in text:
            return f"its clause {item!r} differs"
    if "conformance" in failure.result.tags:
        return None  # a conformance scenario is explained by the clauses it lists, nothing else
    sobject = _SOBJECT.search(text)
    for line in _RECORDED.findall(text):
        error = {"category": line[0], "code": line[1], "message": line[2],
                 "salesforce_object": sobject.group(1) if sobject else ""}
        if cause in _error_causes(error, [cause]):
            prop = error_property(line[2])
            return f"its record met the Sync Health error {line[1]}" + (f" on {prop}" if prop else "")
    category = failure.result.category or "other"
    named = [n for n in cause.names if n and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text.lower())]
    if named and cause.mode in {"automation", "retired", "writes", "named"}:
        shown = next((n for n in cause.named if n.lower() == named[0]), named[0])
        return f"it names {shown!r}"
    for record_id in dict.fromkeys(_IDS.findall(text)):
        for error in errors_by_id.get(record_id, []):
            if cause in _error_causes(error, [cause]):
                return f"its record {record_id} met the Sync Health error {error.get('code')}"
    if category not in _MODE_CATEGORIES.get(cause.mode, set()):
        return None
    lowered = text.lower()
    touched = sorted(cause.fields & words, key=lambda w: (w not in lowered, w))  # what the message says first
    if cause.mode == "mapping" and touched:
        return f"it differs on {touched[0]}, which this item governs"
    if cause.mode in {"automation", "writes"} and touched:
        if not cause.values:
            return f"it differs on {touched[0]}, which this automation writes"
        value = next((v for v in cause.values if f"'{v.lower()}'" in lowered), None)
        if value:
            return f"it found {touched[0]} = '{value}', the value this automation writes"
    if cause.mode == "retired" and ({"lifecyclestage", "lifecycle_stage__c"} & words or touched):
        value = next((v for v in sorted(cause.values) if v.lower() in words), None)
        if value:
            return f"it shows the retired stage '{value}'"
    if cause.mode == "inclusion":
        for prop, values in cause.excluded.items():
            hit = next((v for v in sorted(values) if re.search(rf"'{prop}': '{re.escape(v)}'", text, re.I)), None)
            if hit:
                return f"its record has {prop} '{hit}', which the list's filter keeps out"
    return None


def _duplicate_causes(candidates: Candidates, failures: list[Failure], errors: list[dict[str, Any]],
                      rules: list[dict[str, Any]] | None) -> None:
    objects = {str(e.get("salesforce_object") or "Lead") for e in errors if _error_key(e)[0] == "duplicates"}
    if not objects:  # a duplicates failure without its Sync Health error: the objects it touches that have rules
        tagged = {t[len("object_"):].capitalize() for f in failures if f.result.category == "duplicates"
                  for t in f.result.tags if t.startswith("object_")}
        objects = {str(r.get("SobjectType")) for r in rules or [] if r.get("IsActive")} & tagged
    for sobject in sorted(objects):
        active = [r for r in rules or [] if str(r.get("SobjectType")) == sobject and r.get("IsActive")]
        names = [str(r.get("DeveloperName")) for r in active]
        cause = candidates.get(("duplicates", sobject), kind="duplicate rule", category="duplicates", mode="duplicates",
                               item=f"Salesforce duplicate rule {', '.join(names)} on {sobject}" if names else
                               f"Salesforce duplicate rules on {sobject} (not read in this run)",
                               what=(f"Salesforce's active duplicate rule {', '.join(names)}" if names else
                                     "A Salesforce duplicate rule") + f" refuses as duplicates {sobject} records "
                                    "HubSpot holds as different people (DUPLICATES_DETECTED): the two systems "
                                    "deduplicate on different keys.",
                               fix=f"match {sobject}s on the key HubSpot deduplicates on (e-mail), or let the rule "
                                   f"alert instead of block, so every HubSpot contact can sync")
        cause.names.update({sobject.lower(), *(n.lower() for n in names)})
        cause.name(*names)
        for name in names:
            cause.add(item=f"Salesforce duplicate rule '{name}' ({sobject}, active)",
                      change_at=f"Salesforce Setup > Duplicate Management > Duplicate Rules > {name}")
        if not names:
            cause.add(change_at="Salesforce Setup > Duplicate Management > Duplicate Rules")


def _writer_causes(candidates: Candidates, failures: list[Failure], catalogue: list[dict[str, Any]] | None) -> None:
    """Automation writing a field a failure names, where no other cause explains the failure: the audit's catalogue
    says which active automation sets it, and which inactive guard (a validation rule) tests it."""
    for failure in failures:
        if failure.result.category != "platform_automation":
            continue
        for entry in catalogue or []:
            touched = {str(t.get("field") or "").lower() for t in entry.get("touches", []) if t.get("sets")}
            hit = sorted(touched & failure.words)
            if not entry.get("active") or not hit or any(str(entry.get("name")).lower() in c.names
                                                         for c in candidates.by_key.values() if c.mode != "writes"):
                continue
            target = hit[0]
            sf_name = next(str(t.get("field")) for t in entry["touches"] if str(t.get("field")).lower() == target)
            cause = candidates.get(("writes", target), kind="flow" if entry.get("kind") == "Flow" else entry["kind"],
                                   category="platform_automation", mode="writes",
                                   item=f"Automation that writes {sf_name}", what="",
                                   fix=f"let {sf_name} be written once: restore the 'only when blank' condition of "
                                       f"the automation that sets it, and the rule that keeps it unchanged")
            cause.fields.add(target)
            cause.names.add(str(entry["name"]).lower())
            cause.name(str(entry["name"]))
            cause.add(item=f"{entry['system']} {entry['kind']} '{entry['name']}' ({entry.get('object')}, active)",
                      change_at=automation_page(entry["system"], entry["kind"], entry["name"]),
                      evidence=f"{entry['system']} {entry['kind']} '{entry['name']}' (active) sets "
                               f"{entry.get('object')}.{sf_name}", owner=failure.defect.get("owner"))
    for cause in [c for c in candidates.by_key.values() if c.mode == "writes"]:
        target = next(iter(cause.fields))
        guards = [e for e in catalogue or [] if not e.get("active") and e.get("kind") == "ValidationRule"
                  and any(str(t.get("field") or "").lower() == target for t in e.get("touches", []))]
        for guard in guards:
            cause.name(str(guard["name"]))
            cause.add(item=f"salesforce ValidationRule '{guard['name']}' ({guard.get('object')}, inactive)",
                      change_at=automation_page("salesforce", "ValidationRule", guard["name"]),
                      evidence=f"validation rule '{guard['name']}' on {guard.get('object')} tests it but is inactive")
        writers = [i for i in cause.items if not any(m in i for m in ("(inactive)", ", inactive)", ", missing)"))]
        cause.what = (f"{len(writers)} active automation(s) write {cause.item.split()[-1]} on every save "
                      + (f"and the guard that kept it unchanged is inactive ({len(guards)} validation rule(s))"
                         if guards else "") + ", so the value a failure relies on moves.")


def missing_records(reconciliation: Any) -> list[str]:
    """The ids of the records reconciliation found on one side only (its orphan records), when the run-level report
    lists them (`reconciliation/report.json`)."""
    orphans = reconciliation.get("orphans") if isinstance(reconciliation, dict) else None
    records = orphans.get("records") if isinstance(orphans, dict) else None
    return [str(r["id"]) for r in records or [] if isinstance(r, dict) and r.get("id")
            and r.get("kind") in {"never_synced", "salesforce_unsynced"}]


def _missing_why(cause: Cause, failure: Failure, missing: list[str],
                 errors_by_id: dict[str, list[dict[str, Any]]]) -> str | None:
    """A reconciliation count, total or orphan failure and the records missing on one side: those that met a Sync
    Health error this cause explains are part of what it measured."""
    if "reconciliation" not in failure.result.tags or not re.search(r"counts|totals|orphan", failure.text):
        return None
    hit = [i for i in missing if any(cause in _error_causes(e, [cause]) for e in errors_by_id.get(i, []))]
    if not hit:
        return None
    return (f"{len(hit)} of the {len(missing)} records missing on one side met Sync Health errors of this cause "
            f"(e.g. {', '.join(hit[:3])})")


def infer_causes(profile: Profile, results: list[ScenarioResult], defects: list[dict[str, Any]],
                 conformance: dict[str, Any] | None, audit: list[dict[str, Any]] | None,
                 configuration: dict[str, Any] | None, sync_health: dict[str, Any] | None,
                 seeded: dict[str, str] | None = None,
                 missing: list[str] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(causes, unexplained): each cause with the failing scenarios and Sync Health errors it explains. `missing`:
    the ids of the records reconciliation found on one side only (`missing_records`)."""
    lifecycle = getattr(profile, "lifecycle", None)
    candidates = Candidates(list(getattr(lifecycle, "retired", None) or []))
    for clause in (conformance or {}).get("clauses", []) or []:
        if clause.get("status") == "differs":
            candidates.add_clause(clause)
    for finding in audit or []:
        if finding.get("severity") == "error":
            candidates.add_finding(finding)
    failures = _failures(results, defects)
    errors = [e for e in (sync_health or {}).get("errors", []) or []
              if not expected_reason(e, str(e.get("code") or ""), seeded or {})]
    _duplicate_causes(candidates, failures, errors, (configuration or {}).get("duplicate_rules"))
    _writer_causes(candidates, failures, (configuration or {}).get("automation"))
    causes = list(candidates.by_key.values())
    for cause in causes:
        # A Salesforce field an automation writes is seen in HubSpot under the property mapped to it.
        if cause.mode in {"automation", "retired", "writes", "fls"}:
            cause.fields |= {m.hubspot_property.lower() for m in getattr(profile, "field_mappings", None) or []
                             if m.salesforce_field.lower() in cause.fields}
    errors_by_id: dict[str, list[dict[str, Any]]] = {}
    for error in errors:
        for record_id in (error.get("hubspot_id"), error.get("salesforce_id")):
            if record_id:
                errors_by_id.setdefault(str(record_id), []).append(error)
    explained: dict[int, list[dict[str, Any]]] = {id(c): [] for c in causes}
    unexplained_failures = []
    for failure in failures:
        links = [(c, why) for c in causes
                 if (why := _why(c, failure, errors_by_id) or _missing_why(c, failure, missing or [], errors_by_id))]
        for cause, why in links:
            explained[id(cause)].append({"scenario": failure.name, "defect": failure.defect.get("id"),
                                         "category": failure.result.category, "why": why,
                                         "owner": failure.defect.get("owner")})
        if not links:
            unexplained_failures.append({"scenario": failure.name, "defect": failure.defect.get("id"),
                                         "category": failure.result.category,
                                         "summary": failure.defect.get("summary") or "",
                                         "evidence": failure.defect.get("evidence") or ""})
    grouped = _group_errors(errors, causes)
    out = []
    for cause in causes:
        scenarios, sync = explained[id(cause)], grouped.pop(id(cause), [])
        if not scenarios and not sync:
            continue  # a configuration difference no failure shows: conformance lists it, it explains nothing here
        if not cause.owner:
            cause.owner = next((s["owner"] for s in scenarios if s.get("owner")), "")
        out.append(_as_dict(cause, scenarios, sync))
    out.sort(key=lambda c: (-len(c["scenarios"]), -sum(g["records"] for g in c["sync_errors"]), c["item"]))
    for number, cause in enumerate(out, start=1):
        cause["id"] = f"C{number}"
    return out, {"scenarios": unexplained_failures, "sync_errors": grouped.pop(0, [])}


def _group_errors(errors: list[dict[str, Any]], causes: list[Cause]) -> dict[int, list[dict[str, Any]]]:
    """Sync Health errors by the cause that explains them (key 0: none), grouped by (category, code, property)."""
    out: dict[int, dict[tuple[str, str, str | None], dict[str, Any]]] = {}
    for error in errors:
        owners = _error_causes(error, causes) or [None]
        for cause in owners:
            groups = out.setdefault(id(cause) if cause else 0, {})
            category, code, prop = _error_key(error)
            group = groups.setdefault((category, code, prop), {
                "category": category, "code": code, "property": prop, "records": 0, "_ids": set(),
                "sample": readable_message(error.get("message"))})
            group["_ids"].add((error.get("hubspot_id"), error.get("salesforce_id")))
    return {key: [{**{k: v for k, v in g.items() if k != "_ids"}, "records": len(g["_ids"])}
                  for g in groups.values()] for key, groups in out.items()}


def _what(cause: Cause) -> str:
    if cause.what:
        return cause.what
    if cause.mode == "retired":
        setters = [i for i in cause.items if "'" in i]
        offered = [i for i in cause.items if i.endswith(" picklist")]
        return (f"The retired lifecycle stage(s) {', '.join(sorted(cause.values))} are still "
                + (f"offered by {', '.join(offered)}" if offered else "offered")
                + (f" and set by {', '.join(setters)}" if setters else "") + ", so records still land in them.")
    return f"{cause.item}: " + "; ".join(cause.evidence[:1])


def _as_dict(cause: Cause, scenarios: list[dict[str, Any]], sync: list[dict[str, Any]]) -> dict[str, Any]:
    for scenario in scenarios:
        scenario.pop("owner", None)
    return {"id": "", "kind": cause.kind, "item": cause.item, "names": cause.named, "items": cause.items,
            "what": _what(cause),
            "change_at": cause.change_at, "owner": cause.owner or "", "fix": cause.fix,
            "category": cause.category, "evidence": cause.evidence, "scenarios": scenarios, "sync_errors": sync}
