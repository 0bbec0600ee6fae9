"""Field mappings in the shape of HubSpot's mapping export: one CSV per HubSpot object.

Columns (header names matched case-insensitively, extra columns kept but ignored):
`HubSpot property` (label), `HubSpot property internal name`, `Salesforce object` (one or several joined by
`;`), `Salesforce field` (label), `Salesforce field API name`, `Sync rule`. See docs/profile.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..errors import UserError


class SyncRule(StrEnum):
    TWO_WAY = "Two-way"
    PREFER_SALESFORCE_UNLESS_BLANK = "Prefer Salesforce unless blank"
    ALWAYS_USE_SALESFORCE = "Always use Salesforce"
    DONT_SYNC = "Don't sync"


REQUIRED_COLUMNS = ["HubSpot property internal name", "Salesforce object", "Salesforce field API name", "Sync rule"]
ALL_COLUMNS = ["HubSpot property", "HubSpot property internal name", "Salesforce object", "Salesforce field",
               "Salesforce field API name", "Sync rule"]


@dataclass(frozen=True)
class FieldMapping:
    hubspot_object: str
    hubspot_property: str
    salesforce_objects: tuple[str, ...]
    salesforce_field: str
    rule: SyncRule
    row: int

    @property
    def key(self) -> str:
        return f"{self.hubspot_object}.{self.hubspot_property}"


def _rule(text: str) -> SyncRule | None:
    wanted = text.strip().lower().replace("’", "'")
    for rule in SyncRule:
        if rule.value.lower() == wanted:
            return rule
    return None


def load_mappings(path: Path, hubspot_object: str) -> list[FieldMapping]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # HubSpot's export, like Excel's, may start with a BOM
    except FileNotFoundError:
        raise UserError(f"{path}: mapping CSV not found; check `mappings.{hubspot_object}` in the profile") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 (byte {error.start}); re-export the mapping CSV as UTF-8") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UserError(f"{path}: empty mapping CSV; expected a header row with {', '.join(REQUIRED_COLUMNS)}")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c.lower() not in header]
    if missing:
        raise UserError(f"{path}:1: missing column(s) {', '.join(missing)}; the header must include "
                        f"{', '.join(REQUIRED_COLUMNS)}")
    index = {name: header.index(name.lower()) for name in REQUIRED_COLUMNS}
    mappings: list[FieldMapping] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            raise UserError(f"{path}:{number}: row has {len(cells)} cells, the header has {len(header)}")
        prop = cells[index["HubSpot property internal name"]].strip()
        objects = tuple(o.strip() for o in cells[index["Salesforce object"]].split(";") if o.strip())
        field = cells[index["Salesforce field API name"]].strip()
        rule_text = cells[index["Sync rule"]]
        rule = _rule(rule_text)
        if not prop or not field or not objects:
            raise UserError(f"{path}:{number}: HubSpot property, Salesforce object and Salesforce field API name are "
                            "all required")
        if rule is None:
            raise UserError(f"{path}:{number}: unknown sync rule {rule_text.strip()!r}; use one of "
                            f"{', '.join(r.value for r in SyncRule)}")
        for sobject in objects:
            previous = seen.get((prop, sobject))
            if previous:
                raise UserError(f"{path}:{number}: duplicate mapping for {prop} on {sobject} (first at row {previous}); "
                                "keep one row per HubSpot property and Salesforce object")
            seen[(prop, sobject)] = number
        mappings.append(FieldMapping(hubspot_object, prop, objects, field, rule, number))
    return mappings


def write_mappings(path: Path, mappings: list[FieldMapping]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALL_COLUMNS)
        for m in mappings:
            writer.writerow([m.hubspot_property, m.hubspot_property, ";".join(m.salesforce_objects), m.salesforce_field,
                             m.salesforce_field, m.rule.value])
