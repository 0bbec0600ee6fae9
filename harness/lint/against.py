"""`uat lint --against`: the profile compared with what the connected sandboxes describe.

Reads Salesforce describe (fields, types, picklist values), HubSpot's properties API (types, options) and its
workflows (what automation writes), all through the real clients; each divergence is a finding. What cannot be
read (an API the portal or org does not offer) is reported as a note, never guessed. The configuration clauses
(mapping rows, sync rules, fields, picklists both ways, owners, FLS, required fields, delete policy, automation) come
from the one conformance engine the run's conformance phase uses (harness/conformance): CONF001-CONF009.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.audit.read import read_hubspot_workflows
from harness.conformance import ConformanceReport, Status, check_conformance
from harness.lint.findings import Finding, Severity
from harness.profile.mappings import FieldMapping, SyncRule
from harness.profile.model import Direction, Profile
from harness.sandboxes import Sandboxes
from harness.sync.compat import hubspot_field_type_of

TITLES = {
    "DRIFT000": "sandbox description unavailable",
    "DRIFT003": "mapping CSV's type differs from the portal",
    "DRIFT004": "lifecycle stages differ from the sandboxes",
    "DRIFT005": "Lead Status values differ from the sandboxes",
    "DRIFT006": "picklist values not normalised in the sandboxes",
    "DRIFT007": "lifecycle timestamp field missing in the sandboxes",
    "DRIFT008": "HubSpot workflow contradicts the profile",
}


class Described:
    """What the sandboxes say about themselves, read once."""

    def __init__(self, sandboxes: Sandboxes, objects: set[str], hubspot_objects: set[str],
                 workflows: bool = True) -> None:
        """`workflows=False`: skip reading HubSpot workflows (a caller that needs only fields and properties)."""
        self.notes: list[str] = []
        self.salesforce: dict[str, dict[str, dict[str, Any]] | None] = {}
        for name in sorted(objects):
            try:
                fields = sandboxes.salesforce.call(f"describe {name}", sandboxes.salesforce.sobject(name).describe)["fields"]
                self.salesforce[name] = {f["name"].lower(): f for f in fields}
            except Exception as error:  # an object the org lacks answers 404
                self.salesforce[name] = None
                self.notes.append(f"Salesforce describe {name}: {type(error).__name__}")
        self.hubspot: dict[str, dict[str, Any] | None] = {}
        for name in sorted(hubspot_objects):
            try:
                response = sandboxes.hubspot._call(sandboxes.hubspot.client.crm.properties.core_api.get_all, name)
                self.hubspot[name] = {p.name: p for p in response.results or []}
            except Exception as error:
                self.hubspot[name] = None
                self.notes.append(f"HubSpot properties of {name}: {getattr(error, 'status', type(error).__name__)}")
        self.workflows: list[dict[str, Any]] | None = None
        if not workflows:
            return
        try:
            self.workflows = read_hubspot_workflows(sandboxes)
        except Exception as error:
            status = getattr(getattr(error, "response", None), "status_code", None)
            self.notes.append(f"HubSpot workflows: {status or type(error).__name__}")

    def sf_field(self, sobject: str, field: str) -> dict[str, Any] | None:
        return (self.salesforce.get(sobject) or {}).get(field.lower())

    def hs_property(self, hubspot_object: str, name: str) -> Any:
        return (self.hubspot.get(hubspot_object) or {}).get(name)


def _options(prop: Any) -> list[str]:
    return [str(o.value) for o in (getattr(prop, "options", None) or []) if not getattr(o, "hidden", False)]


def _picklist(field: dict[str, Any] | None) -> list[str]:
    return [v["value"] for v in (field or {}).get("picklistValues", []) if v.get("active", True)]


def _csv_type_checks(described: Described, mappings: list[FieldMapping]) -> Iterator[tuple]:
    """The CSV's own type column against the portal (existence and compatibility are conformance clauses)."""
    for m in mappings:
        prop = described.hs_property(m.hubspot_object, m.hubspot_property)
        if prop is None or m.rule is SyncRule.DONT_SYNC or not m.hubspot_type:
            continue
        hs_type = hubspot_field_type_of(getattr(prop, "type", None), getattr(prop, "field_type", None))
        if m.hubspot_type != hs_type:
            yield ("DRIFT003", Severity.WARNING, f"{m.key}: the CSV says {m.hubspot_type}, the portal says {hs_type}",
                   "re-export the mapping CSV", m.where)


def conformance_findings(report: ConformanceReport) -> list[Finding]:
    """Configuration conformance, the run's phase, as lint findings: a differing clause is an error under its
    family's rule (CONF001...), a clause this target cannot answer a note (CONF000), never a pass."""
    findings = []
    for clause in report.clauses:
        if clause.status is Status.DIFFERS:
            owner = f" Functional owner: {clause.functional_owner}." if clause.functional_owner else ""
            findings.append(Finding(clause.family.rule, clause.family.title, Severity.ERROR,
                                    f"{clause.item}: expected {clause.expected}, found {clause.actual}",
                                    f"change it at {clause.change_at}.{owner}", clause.item))
        elif clause.status is Status.NOT_EVALUATED:
            findings.append(Finding("CONF000", "conformance clause not evaluated", Severity.INFO,
                                    f"{clause.kind}: {clause.item}: not evaluated ({clause.reason})",
                                    "check it by hand, or give the harness what it needs to read it "
                                    "(docs/conformance.md)", clause.item))
    return findings


def _lifecycle_checks(profile: Profile, described: Described) -> Iterator[tuple]:
    life = profile.lifecycle
    if life is None:
        return
    where = f"{profile.source}:{profile.line('lifecycle')}"
    retired = {s.casefold() for s in life.retired}
    active = {s.casefold() for s in life.stages}
    sides = [("HubSpot contacts." + life.hubspot_property, _options(described.hs_property("contacts", life.hubspot_property)),
              described.hubspot.get("contacts") is not None)]
    for sobject in ("Lead", "Contact"):
        field = described.sf_field(sobject, life.salesforce_field)
        sides.append((f"Salesforce {sobject}.{life.salesforce_field}", _picklist(field), field is not None))
    for label, values, readable in sides:
        if not readable:
            continue
        folded = {v.casefold() for v in values}
        missing = [s for s in life.stages if s.casefold() not in folded]
        if missing:
            yield ("DRIFT004", Severity.ERROR, f"{label} lacks active stage(s) {missing}",
                   "add them to the picklist / property options", where)
        still = [v for v in values if v.casefold() in retired]
        if still:
            yield ("DRIFT004", Severity.ERROR, f"{label} still offers retired stage(s) {still}",
                   "deactivate the retired values so nothing can set them", where)
        unknown = [v for v in values if v.casefold() not in active | retired]
        if unknown:
            yield ("DRIFT004", Severity.WARNING, f"{label} offers stage(s) {unknown} the taxonomy does not know",
                   "add them to lifecycle.stages or lifecycle.retired", where)
    for index, stamp in enumerate(life.timestamps):
        at = f"{profile.source}:{profile.line('lifecycle', 'timestamps', index)}"
        if stamp.hubspot and described.hubspot.get("contacts") is not None and \
                described.hs_property("contacts", stamp.hubspot) is None:
            yield ("DRIFT007", Severity.ERROR, f"HubSpot contacts have no {stamp.hubspot}", "fix the property name", at)
        for sobject in ("Lead", "Contact"):
            if stamp.salesforce and described.salesforce.get(sobject) and described.sf_field(sobject, stamp.salesforce) is None:
                yield ("DRIFT007", Severity.ERROR, f"Salesforce {sobject} has no {stamp.salesforce}",
                       f"create the {stamp.stage} date field on {sobject}", at)


def _lead_status_checks(profile: Profile, described: Described) -> Iterator[tuple]:
    status = profile.lead_status
    if status is None:
        return
    where = f"{profile.source}:{profile.line('lead_status')}"
    field = described.sf_field("Lead", status.salesforce_field)
    if field is not None:
        actual = _picklist(field)
        if set(actual) != set(status.values):
            yield ("DRIFT005", Severity.ERROR, f"Lead.{status.salesforce_field} offers {actual}, the profile expects "
                   f"{status.values}", "align the profile with the org's Lead Status values (or the org with it)", where)
    prop = described.hs_property("contacts", status.hubspot_property)
    if prop is not None:
        missing = [v for v in status.values if v not in _options(prop)]
        if missing:
            yield ("DRIFT005", Severity.ERROR, f"HubSpot {status.hubspot_property} has no option(s) {missing}: the "
                   "Salesforce values the connector writes will be refused (Sync Health: picklists)",
                   f"add the Salesforce Lead Status values as options of {status.hubspot_property}", where)


def _normalisation_checks(profile: Profile, described: Described) -> Iterator[tuple]:
    for name, table in profile.normalisation.items():
        where = f"{profile.source}:{profile.line('normalisation', name)}"
        canonical = {v.casefold() for v in table.values}
        located: list[tuple[str, list[str]]] = []
        for location in table.hubspot:
            obj, _, prop = location.partition(".")
            options = _options(described.hs_property(obj, prop))
            if options:
                located.append((f"HubSpot {location}", options))
        for location in table.salesforce:
            sobject, _, field = location.partition(".")
            values = _picklist(described.sf_field(sobject, field))
            if values:
                located.append((f"Salesforce {location}", values))
        for label, values in located:
            odd = [v for v in values if v.casefold() not in canonical]
            if odd:
                yield ("DRIFT006", Severity.ERROR, f"{label} offers {odd}, not canonical {name} values",
                       f"replace them with {table.values} (or add them to normalisation.{name}.values)", where)
            absent = [v for v in table.values if v.casefold() not in {x.casefold() for x in values}]
            if absent:
                yield ("DRIFT006", Severity.WARNING, f"{label} lacks canonical {name} value(s) {absent}",
                       "add them so both sides can hold every canonical value", where)


def _workflow_checks(profile: Profile, described: Described) -> Iterator[tuple]:
    if not described.workflows:
        return
    retired = {s.casefold() for s in (profile.lifecycle.retired if profile.lifecycle else [])}
    life_prop = profile.lifecycle.hubspot_property if profile.lifecycle else "lifecyclestage"
    for flow in described.workflows:
        if not flow.get("isEnabled", True):
            continue
        for action in flow.get("actions", []) or []:
            fields = action.get("fields") or {}
            prop = fields.get("property_name") or fields.get("propertyName")
            value = str(((fields.get("value") or {}).get("staticValue")) or "")
            if not prop:
                continue
            where = f"HubSpot workflow {flow.get('name') or flow.get('id')}"
            if prop == life_prop and value.casefold() in retired:
                yield ("DRIFT008", Severity.ERROR, f"{where} sets {prop} to retired stage {value}",
                       "turn the workflow off or move it to an active stage", where)
            owner = profile.ownership("contacts", prop)
            if owner and owner.field == prop and owner.direction is Direction.FROM_SALESFORCE:
                severity = Severity.ERROR if prop == "hubspot_owner_id" else Severity.WARNING
                yield ("DRIFT008", severity, f"{where} writes {prop}, which the source-of-truth map gives to "
                       "Salesforce: the values round-trip or are overwritten", "move the automation to Salesforce or "
                       "drop the action", where)


def lint_against(profile: Profile, sandboxes: Sandboxes) -> list[Finding]:
    objects = {s for m in profile.field_mappings for s in m.salesforce_objects} | ({"Lead", "Contact"} if profile.lifecycle else set())
    for table in profile.normalisation.values():
        objects |= {location.partition(".")[0] for location in table.salesforce}
    hubspot_objects = {m.hubspot_object for m in profile.field_mappings} | {location.partition(".")[0] for table in
                                                              profile.normalisation.values() for location in table.hubspot}
    described = Described(sandboxes, objects, hubspot_objects)
    findings = [Finding("DRIFT000", TITLES["DRIFT000"], Severity.INFO, f"could not read {note}; checks that need it "
                        "were skipped", "grant the integration user access to that API, or ignore on a twin that lacks "
                        "it", "sandboxes") for note in described.notes]
    for check in (_csv_type_checks(described, profile.field_mappings), _lifecycle_checks(profile, described),
                  _lead_status_checks(profile, described), _normalisation_checks(profile, described),
                  _workflow_checks(profile, described)):
        for rule, severity, message, fix, where in check:
            findings.append(Finding(rule, TITLES[rule], severity, message, fix, where))
    return findings + conformance_findings(check_conformance(profile, sandboxes))
