"""Configuration items that can explain a run's failures, read from evidence a real sandbox also gives: the
configuration conformance clauses (`conformance.json`), the automation audit's findings and catalogue (Tooling API,
HubSpot flows), the active Salesforce duplicate rules (SOQL on DuplicateRule).

Each item becomes a candidate `Cause`; `causes.py` links the failures to them and keeps the ones that explain
something. Clause and finding texts are parsed by the shapes `harness/conformance` and `harness/audit` give them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# "contacts: hs_lead_status <-> Lead.Status", "contacts.country <-> Lead.Country: any value"
_PAIR = re.compile(r"^(\w+)[:.] ?(\w+) <-> (\w+)\.(\w+)")
# "salesforce Flow 'Name' (active) sets Contact.Lifecycle_Stage__c to 'lead'"
_AUTOMATION = re.compile(r"^(salesforce|hubspot) ([\w ]+?) '(.+?)' \((active|inactive)\) sets (\w+)\.(\w+)"
                         r"(?: to '(.*)')?")
_NAMED = re.compile(r"(salesforce|hubspot) ([\w ]+?) '(.+?)' \((active|inactive)\)")
_QUOTED = re.compile(r"'([^']+)'")
_FIELD = re.compile(r"\b(\w+)\.(\w+)\b")
_INCLUSION = re.compile(r"inclusion list '(.+?)': (\w+) is none of \[(.*)\]")
# "flow Lead_Stamp_SQL_Date on Lead", "validation rule Lead.SQL_Date_Write_Once", "duplicate rule Lead.Rule_Name"
_REQUIRED = re.compile(r"^(flow|validation rule|duplicate rule) (?:(\w+)\.)?(\w+)(?: on (\w+))?$")
_GUARDS = re.compile(r"\bguards (\w+)")
# "lifecycle.never_backwards (a lifecycle stage never moves back down the funnel)"
_SETTING = re.compile(r"^([\w.]+) \((.+)\)$")


@dataclass
class Cause:
    """A configuration item and what the run shows of it. `fields`, `values`, `names`, `excluded` say which
    failures it can explain (causes.py): the fields and properties it governs, the values it writes, the names a
    failure may quote, the values an inclusion-list filter keeps out."""

    key: tuple[str, ...]
    kind: str  # mapping row, HubSpot property, picklist options, FLS entry, flow, workflow, duplicate rule, ...
    item: str
    what: str
    fix: str
    category: str
    owner: str | None = None
    change_at: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # every configuration item to change, named
    evidence: list[str] = field(default_factory=list)  # the clauses and findings that name it
    fields: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    excluded: dict[str, set[str]] = field(default_factory=dict)
    mode: str = "mapping"  # how failures link to it (causes.py)
    named: list[str] = field(default_factory=list)  # the items' own names: API names, object.property, rule names

    def name(self, *names: str) -> None:
        self.named.extend(n for n in names if n and n not in self.named)

    def add(self, *, item: str | None = None, change_at: str | None = None, evidence: str | None = None,
            owner: str | None = None) -> None:
        if item and item not in self.items:
            self.items.append(item)
        if change_at and change_at not in self.change_at:
            self.change_at.append(change_at)
        if evidence and evidence not in self.evidence:
            self.evidence.append(evidence)
        self.owner = self.owner or owner


def _clause_line(clause: dict[str, Any]) -> str:
    return f"{clause.get('item')}: expected {clause.get('expected')}, found {clause.get('actual')}"


class Candidates:
    """The candidate causes, keyed by configuration item (one cause per item, however many clauses name it)."""

    def __init__(self, retired: list[str]) -> None:
        self.retired = {s.lower() for s in retired}
        self.by_key: dict[tuple[str, ...], Cause] = {}

    def get(self, key: tuple[str, ...], **create: Any) -> Cause:
        if key not in self.by_key:
            self.by_key[key] = Cause(key=key, **create)
        return self.by_key[key]

    # -- the retired lifecycle stages: one cause, whatever still offers or sets them --------------------
    def retired_stages(self) -> Cause:
        return self.get(("retired",), kind="lifecycle stage taxonomy", item="Retired lifecycle stages still in use",
                        what="", category="platform_automation", mode="retired",
                        fix="deactivate the automation that sets a retired stage and remove the retired stages from "
                            "both platforms' lifecycle stage options")

    def is_retired(self, value: str | None) -> bool:
        return bool(value) and value.strip().lower() in self.retired

    # -- conformance ------------------------------------------------------------------------------------
    def add_clause(self, clause: dict[str, Any]) -> None:
        kind, item = clause.get("kind"), str(clause.get("item") or "")
        where, owner, line = clause.get("change_at"), clause.get("functional_owner"), _clause_line(clause)
        pair = _PAIR.match(item)
        quoted = _QUOTED.findall(item)
        if kind == "automation":
            self._automation_clause(item, where, owner, line)
        elif kind == "picklist" and quoted and self.is_retired(quoted[-1]):
            cause = self.retired_stages()
            cause.values.add(quoted[-1])
            cause.fields.update(_bare_fields(item))
            offered = _offering_side(item, pair)
            cause.add(item=f"{offered} picklist", change_at=where, evidence=line, owner=owner)
            cause.name(offered)
        elif kind in {"mapping", "sync_rule", "field", "picklist"} and pair:
            self._property_clause(kind, pair, clause, where, owner, line)
        elif kind == "field_security" and pair:
            sobject, sf_field = pair.group(3), pair.group(4)
            verb = "edit" if "edit" in str(clause.get("expected")) else "read"
            cause = self.get(("fls", sf_field), kind="FLS entry", category="permissions", mode="fls",
                             item=f"Field-level security of {sf_field} for the integration user",
                             what=f"The integration user {clause.get('actual')} {sf_field}, which the connector must "
                                  f"{'edit' if 'edit' in str(clause.get('expected')) else 'read'}.",
                             fix=f"grant the integration user's profile or permission set "
                                 f"{'edit' if 'edit' in str(clause.get('expected')) else 'read'} access to {sf_field}")
            cause.fields.update({sf_field.lower(), pair.group(2).lower()})
            cause.name(f"{sobject}.{sf_field}")
            cause.add(item=f"{sobject}.{sf_field} (field-level security)", change_at=where, evidence=line, owner=owner)
            sobjects = "/".join(i.split(".")[0] for i in cause.named)
            actual = str(clause.get("actual"))
            cause.what = (f"The integration user must {verb} {sobjects}.{sf_field} for the connector, but "
                          f"{actual}{'' if actual.endswith(' it') else ' it'}.")
        elif kind == "required_automation" and _REQUIRED.match(item):
            self._required_clause(clause, where, owner, line)
        elif kind == "connector_setting" and _SETTING.match(item):
            setting, meaning = _SETTING.match(item).groups()  # type: ignore[union-attr]
            cause = self.get(("connector", setting), kind="connector setting", category="mapping_mismatch",
                             mode="named", item=f"Connector setting {setting}",
                             what=f"The connector runs with {setting} = {clause.get('actual')} ({meaning}); the "
                                  f"profile says {clause.get('expected')}.",
                             fix=f"set {setting} to {clause.get('expected')} on the integration's settings page, or "
                                 "correct the profile's `connector` section if the page is right")
            cause.names.add(setting.lower())
            cause.name(setting)
            cause.add(item=item, change_at=where, evidence=line, owner=owner)
        elif kind == "inclusion_list":
            found = _INCLUSION.search(item)
            name = found.group(1) if found else item
            cause = self.get(("inclusion", name), kind="inclusion-list filter", category="sync_timeout",
                             mode="inclusion", item=f"Inclusion list '{name}'",
                             what=f"The inclusion list the connector syncs through differs from the profile: {item} "
                                  f"({clause.get('actual')}), so those contacts never reach Salesforce.",
                             fix="make the list's filters exactly the profile's inclusion_list filters")
            if found:
                cause.excluded.setdefault(found.group(2).lower(), set()).update(_QUOTED.findall(found.group(3)))
            cause.names.add(name.lower())
            cause.name(name)
            cause.add(item=item, change_at=where, evidence=line, owner=owner)
        else:  # owner, required, delete_policy, picklists without a pair: one cause per clause item
            cause = self.get((str(kind), item), kind=str(kind).replace("_", " "), item=item, category="mapping_mismatch",
                             mode="named", what=f"{item}: expected {clause.get('expected')}, found {clause.get('actual')}.",
                             fix=f"make it {clause.get('expected')}")
            cause.names.update(q.lower() for q in quoted)
            cause.name(item)
            cause.add(item=item, change_at=where, evidence=line, owner=owner)

    def _required_clause(self, clause: dict[str, Any], where: str | None, owner: str | None, line: str) -> None:
        """Automation the profile requires: a duplicate rule joins its object's duplicate management (one cause per
        object, as duplicates found in the run are); a write-once rule joins the cause of the field it guards."""
        item = str(clause.get("item"))
        what, sobject, name, trigger = _REQUIRED.match(item).groups()  # type: ignore[union-attr]
        sobject = sobject or trigger or ""
        expected, actual = clause.get("expected"), clause.get("actual")
        guarded = _GUARDS.search(str(expected or ""))
        if what == "duplicate rule":
            cause = self.get(("duplicates", sobject), kind="duplicate rule", category="duplicates", mode="duplicates",
                             item=f"Salesforce duplicate management of {sobject}",
                             what=f"{sobject}'s duplicate rules differ from the agreed deduplication: {item} is "
                                  f"{actual} (expected {expected}).",
                             fix=f"make {sobject}'s duplicate rules the ones the profile lists (required_automation."
                                 "duplicate_rules), matching on the key HubSpot deduplicates on")
            cause.names.update({sobject.lower(), name.lower()})
        elif what == "validation rule" and guarded:
            target = guarded.group(1)
            cause = self.get(("writes", target.lower()), kind="validation rule", category="platform_automation",
                             mode="writes", item=f"Automation that writes {target}", what="",
                             fix=f"let {target} be written once: restore the 'only when blank' condition of the "
                                 "automation that sets it, and the rule that keeps it unchanged")
            cause.fields.add(target.lower())
            item = f"salesforce ValidationRule '{name}' ({sobject}, {'inactive' if actual == 'inactive' else 'missing'})"
        else:
            cause = self.get(("required", sobject, name), kind=what, category="platform_automation", mode="named",
                             item=f"Salesforce {what} {sobject + '.' if what != 'flow' else ''}{name}",
                             what=f"The {what} {name} the governance relies on is {actual} (expected {expected}).",
                             fix=f"restore and activate the {what} {name}, or remove it from the profile's "
                                 "required_automation if the governance changed")
        cause.names.add(name.lower())
        cause.name(name)
        cause.add(item=item, change_at=where, evidence=line, owner=owner)

    def _property_clause(self, kind: str, pair: re.Match[str], clause: dict[str, Any], where: str | None,
                         owner: str | None, line: str) -> None:
        item, expected, actual = str(clause.get("item")), clause.get("expected"), clause.get("actual")
        hs_object, prop, sobject, sf_field = pair.groups()
        mapping = kind in {"mapping", "sync_rule"}
        key = ("mapping" if mapping else "property", prop)
        if mapping:
            cause = self.get(key, kind="mapping row", category="mapping_mismatch", mode="mapping",
                             item=f"Field mapping of {hs_object}.{prop}", what="",
                             fix=f"map {hs_object}.{prop} as the profile's mapping row says (the connector's field "
                                 f"mappings), or correct the profile if the connector is right")
        else:
            cause = self.get(key, kind="HubSpot property" if kind == "field" else "picklist options",
                             category="picklists" if kind == "picklist" else "mapping_mismatch", mode="mapping",
                             item=f"HubSpot property {prop}", what="",
                             fix=f"give HubSpot's {prop} the type and options of the Salesforce field it maps to "
                                 f"(a dropdown of the same values)")
        if kind == "field" and cause.kind == "picklist options":
            cause.kind = "HubSpot property"
        cause.fields.update({prop.lower(), sf_field.lower()})
        for _, found in _FIELD.findall(line):
            if found.endswith("__c") or found[0].isupper():
                cause.fields.add(found.lower())
        cause.name(f"{hs_object}.{prop}")
        cause.add(item=item, change_at=where, evidence=line, owner=owner)
        if len(cause.evidence) == 1:
            cause.what = f"{cause.item}: the profile expects {expected}; the target has {actual} ({item})."
        else:
            cause.what = re.sub(r"\)\.$|, and \d+ more\)\.$", "", cause.what) + f", and {len(cause.evidence) - 1} more)."

    def _automation_clause(self, item: str, where: str | None, owner: str | None, line: str) -> None:
        found = _AUTOMATION.match(item)
        if not found:
            return
        system, kind, name, _state, obj, target, value = found.groups()
        if self.is_retired(value):
            cause = self.retired_stages()
            cause.values.add(value)
            cause.what = ""
        else:
            cause = self.automation(system, kind, name)
            if value:
                cause.values.add(value)
            cause.what = (f"The active {_system(system)} {kind.lower()} '{name}' sets {obj}.{target}"
                          + (f" to '{value}'" if value else "") + ", a field the other system owns, and the sync "
                          "carries its change back.")
        cause.fields.update({target.lower()})
        cause.names.add(name.lower())
        cause.name(name)
        cause.add(item=f"{_system(system)} {kind} '{name}'", change_at=where, evidence=line, owner=owner)

    def automation(self, system: str, kind: str, name: str) -> Cause:
        label = "flow" if kind.lower() == "flow" else "workflow" if kind.lower() == "workflow" else kind
        return self.get(("automation", name), kind=label, item=f"{_system(system)} {kind} '{name}'", what="",
                        category="platform_automation", mode="automation",
                        fix=f"deactivate '{name}' or move what it does to the field's system of record")

    # -- automation audit --------------------------------------------------------------------------------
    def add_finding(self, finding: dict[str, Any]) -> None:
        named = _NAMED.findall(str(finding.get("where") or ""))
        line = f"{finding.get('id')} {finding.get('where')}: {finding.get('message')} (fix: {finding.get('fix')})"
        message = str(finding.get("message") or "")
        retired = [v for v in _QUOTED.findall(message) if self.is_retired(v)]
        for system, kind, name, _state in named:
            cause = next((c for c in self.by_key.values() if name.lower() in c.names), None)
            if cause is None:
                if retired:
                    cause = self.retired_stages()
                    cause.values.update(retired)
                else:
                    cause = self.automation(system, kind, name)
                    cause.what = f"The active {_system(system)} {kind.lower()} '{name}' {message}."
                    cause.fix = str(finding.get("fix") or cause.fix)
                cause.names.add(name.lower())
                cause.name(name)
                cause.add(item=f"{_system(system)} {kind} '{name}'", change_at=_automation_page(system, kind, name))
            cause.fields.update(w.lower() for w in re.findall(r"\b\w+__c\b|\b[a-z]+_[a-z_]+\b", message))
            cause.add(evidence=line)


def _system(system: str) -> str:
    return {"salesforce": "Salesforce", "hubspot": "HubSpot"}.get(system, system)


def _bare_fields(item: str) -> set[str]:
    return {f.lower() for _, f in _FIELD.findall(item)}


def _offering_side(item: str, pair: re.Match[str] | None) -> str:
    """The field that offers the value a picklist clause names: "<-> Lead.F: Salesforce value 'x'" is Salesforce's,
    "HubSpot option 'x'" HubSpot's; a clause about one side ("Salesforce Lead.F: retired stage 'x'") names it."""
    if pair and "HubSpot option" in item:
        return f"{pair.group(1)}.{pair.group(2)}"
    if pair:
        return f"{pair.group(3)}.{pair.group(4)}"
    found = _FIELD.search(item)
    return found.group(0) if found else item


def _automation_page(system: str, kind: str, name: str) -> str:
    if system == "hubspot":
        return f"HubSpot: Automation > Workflows > {name}"
    if kind.lower() == "validationrule":
        return f"Salesforce Setup > Object Manager > Validation Rules > {name}"
    return f"Salesforce Setup > Process Automation > Flows > {name}"


def automation_page(system: str, kind: str, name: str) -> str:
    return _automation_page(system, kind, name)
