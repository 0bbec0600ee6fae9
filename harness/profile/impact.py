"""`uat impact OLD.csv NEW.csv`: which mappings changed, and the pytest marker expression that selects the
scenarios touching them: the basis of a regression run on every mapping change.

Scenario tags (docs/profile.md, "Scenario tags"): `@object_<name>` for each object a scenario touches, HubSpot
objects in the singular (`contact`, `company`, `deal`, `ticket`) and Salesforce objects in lower case (`lead`,
`account`, `opportunity`, `case`); `@field_<HubSpot property internal name>` for each mapped field. pytest-bdd
turns each tag into a marker of the same name, so `-m "object_contact and field_firstname"` selects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import UserError
from harness.profile.mappings import FieldMapping, load_mappings
from harness.profile.model import SALESFORCE_OBJECTS

OBJECT_TAGS = {"contacts": "contact", "companies": "company", "deals": "deal", "tickets": "ticket"}


@dataclass
class MappingChange:
    kind: str  # added | removed | changed
    hubspot_object: str
    hubspot_property: str
    salesforce_objects: list[str]
    details: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # the sync rules involved, before and after

    @property
    def tags(self) -> list[str]:
        return list(dict.fromkeys([f"object_{OBJECT_TAGS[self.hubspot_object]}",
                                   *[f"object_{s.lower()}" for s in self.salesforce_objects],
                                   field_tag(self.hubspot_property), *[rule_tag(r) for r in self.rules]]))

    def to_json(self) -> dict:
        return {"kind": self.kind, "object": self.hubspot_object, "property": self.hubspot_property,
                "salesforce_objects": self.salesforce_objects, "details": self.details, "tags": self.tags}


def field_tag(prop: str) -> str:
    return f"field_{prop}"


def rule_tag(rule: str) -> str:
    """`Prefer Salesforce unless blank` -> `rule_prefer_salesforce_unless_blank` (the sync-rule scenarios' tags)."""
    return "rule_" + "".join(c if c.isalnum() else "_" for c in rule.lower().replace("'", "")).strip("_")


def object_of(path: Path, override: str | None) -> str:
    name = override or path.stem.lower()
    if name not in SALESFORCE_OBJECTS:
        raise UserError(f"{path}: cannot tell which HubSpot object this mapping CSV is for; name the file "
                        f"contacts.csv, companies.csv, deals.csv or tickets.csv (or, with `uat impact`, pass --object)")
    return name


def _expand(mappings: list[FieldMapping]) -> dict[tuple[str, str], dict[str, FieldMapping]]:
    out: dict[tuple[str, str], dict[str, FieldMapping]] = {}
    for m in mappings:
        for sobject in m.salesforce_objects:
            out.setdefault((m.hubspot_object, m.hubspot_property), {})[sobject] = m
    return out


def diff_mappings(old: list[FieldMapping], new: list[FieldMapping]) -> list[MappingChange]:
    before, after = _expand(old), _expand(new)
    changes: list[MappingChange] = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, {}), after.get(key, {})
        rules = sorted({m.rule.value for m in [*was.values(), *now.values()]})
        if not was:
            changes.append(MappingChange("added", *key, sorted(now), [f"{s}.{m.salesforce_field} ({m.rule.value})"
                                                                      for s, m in sorted(now.items())], rules))
            continue
        if not now:
            changes.append(MappingChange("removed", *key, sorted(was), [f"{s}.{m.salesforce_field} ({m.rule.value})"
                                                                        for s, m in sorted(was.items())], rules))
            continue
        details: list[str] = []
        objects: list[str] = []
        for sobject in sorted(set(was) | set(now)):
            a, b = was.get(sobject), now.get(sobject)
            found: list[str] = []
            if a is None or b is None:
                found.append(f"{sobject} {'added' if a is None else 'removed'}")
            else:
                if a.salesforce_field != b.salesforce_field:
                    found.append(f"{sobject}: field {a.salesforce_field} → {b.salesforce_field}")
                if a.rule is not b.rule:
                    found.append(f"{sobject}: rule {a.rule.value} → {b.rule.value}")
                if a.hubspot_type and b.hubspot_type and \
                        (a.hubspot_type, a.salesforce_type) != (b.hubspot_type, b.salesforce_type):
                    found.append(f"{sobject}: types {a.hubspot_type}/{a.salesforce_type} → "
                                 f"{b.hubspot_type}/{b.salesforce_type}")
            if found:
                objects.append(sobject)
                details.extend(found)
        if details:
            changes.append(MappingChange("changed", *key, objects, details, rules))
    return changes


def marker_expression(changes: list[MappingChange]) -> str:
    """One clause per changed field (the scenarios on that object that name that field), and one per sync rule
    involved (the sync-rule scenarios pick their mappings from the CSV by rule, so a change under a rule is theirs)."""
    clauses = dict.fromkeys([*(f"(object_{OBJECT_TAGS[c.hubspot_object]} and {field_tag(c.hubspot_property)})"
                               for c in changes),
                             *(f"(object_{OBJECT_TAGS[c.hubspot_object]} and {rule_tag(r)})" for c in changes
                               for r in c.rules)])
    return " or ".join(clauses)


def impact(old_path: Path, new_path: Path, hubspot_object: str | None = None) -> tuple[list[MappingChange], str]:
    for path in (Path(old_path), Path(new_path)):
        if not path.is_file():  # said here: the CSV loader's own message points at a profile this command has not
            raise UserError(f"{path}: mapping CSV not found; give the path of an exported mapping CSV")
    obj = object_of(Path(new_path), hubspot_object) if hubspot_object or Path(new_path).stem.lower() in \
        SALESFORCE_OBJECTS else object_of(Path(old_path), hubspot_object)
    changes = diff_mappings(load_mappings(Path(old_path), obj), load_mappings(Path(new_path), obj))
    return changes, marker_expression(changes)
