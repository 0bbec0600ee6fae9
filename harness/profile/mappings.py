"""Field mappings in the shape of HubSpot's mapping export: one CSV per HubSpot object.

Columns (header names matched case-insensitively; unknown extra columns are kept by HubSpot's export and ignored
here): `HubSpot property` (label), `HubSpot property internal name`, `HubSpot field type`, `Salesforce object`
(one or several joined by `;`), `Salesforce field` (label), `Salesforce field API name`, `Salesforce field type`,
`Sync rule`. The two type columns are optional; when present, type-incompatible pairs are refused at load time.
See docs/profile.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UserError
from harness.profile.model import SALESFORCE_OBJECTS
from harness.sync.compat import compatible, hubspot_field_type, salesforce_field_type
from harness.sync.rules import SyncRule

REQUIRED_COLUMNS = ["HubSpot property internal name", "Salesforce object", "Salesforce field API name", "Sync rule"]
ALL_COLUMNS = ["HubSpot property", "HubSpot property internal name", "HubSpot field type", "Salesforce object",
               "Salesforce field", "Salesforce field API name", "Salesforce field type", "Sync rule"]
HUBSPOT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
SALESFORCE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class FieldMapping:
    hubspot_object: str
    hubspot_property: str
    salesforce_objects: tuple[str, ...]
    salesforce_field: str
    rule: SyncRule
    row: int
    hubspot_label: str = ""
    salesforce_label: str = ""
    hubspot_type: str | None = None  # HubSpot fieldType (select, text, date...), when the CSV says
    salesforce_type: str | None = None  # Salesforce describe type (picklist, string, date...), when the CSV says
    source: Path | None = None

    @property
    def key(self) -> str:
        return f"{self.hubspot_object}.{self.hubspot_property}"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.row}" if self.source else f"row {self.row}"


def _rule(text: str) -> SyncRule | None:
    wanted = " ".join(text.split()).lower().replace("’", "'")
    for rule in SyncRule:
        if rule.value.lower() == wanted:
            return rule
    return None


def _read_rows(path: Path, hubspot_object: str) -> list[list[str]]:
    if path.exists() and not path.is_file():
        raise UserError(f"{path}: not a regular file; give the mapping CSV HubSpot exported")
    if path.is_file() and path.stat().st_size > 50_000_000:  # thousands of mappings are kilobytes
        raise UserError(f"{path}: {path.stat().st_size:,} bytes, far more than a mapping export; check the path")
    try:
        text = path.read_text(encoding="utf-8-sig")  # HubSpot's export, like Excel's, may start with a BOM
    except FileNotFoundError:
        raise UserError(f"{path}: mapping CSV not found; check `mappings.{hubspot_object}` in the profile") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 (byte {error.start}); re-export the mapping CSV as UTF-8") from None
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as error:  # a NUL byte, a cell over the csv module's field limit, a stray quote at the end
        raise UserError(f"{path}:{reader.line_num}: not a readable CSV ({error}); re-export the mapping CSV") from None


def load_mappings(path: Path, hubspot_object: str,
                  schema: Mapping[str, Mapping[str, str]] | None = None) -> list[FieldMapping]:
    """Read one object's mapping CSV; every problem is one line with the file and the row number.

    `schema`, when given, is what the sandboxes describe: {"hubspot": {property: fieldType}, "<sObject>":
    {field: type}}; properties or fields missing from it are refused like any other bad row.
    """
    path = Path(path)
    rows = _read_rows(path, hubspot_object)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UserError(f"{path}: empty mapping CSV; expected a header row with {', '.join(REQUIRED_COLUMNS)}")
    header = [" ".join(cell.split()).lower() for cell in rows[0]]
    repeated = sorted({rows[0][i].strip() for i, name in enumerate(header) if name and header.index(name) != i})
    if repeated:  # csv would silently read the first of the two, whichever the export meant
        raise UserError(f"{path}:1: duplicate column(s) {', '.join(repr(c) for c in repeated)}; keep one of each")
    missing = [c for c in REQUIRED_COLUMNS if c.lower() not in header]
    if missing:
        raise UserError(f"{path}:1: missing column(s) {', '.join(missing)}; the header must include "
                        f"{', '.join(REQUIRED_COLUMNS)}")
    if not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise UserError(f"{path}: a header and no mapping rows; export the {hubspot_object} mappings again")
    index = {name: header.index(name.lower()) for name in ALL_COLUMNS if name.lower() in header}
    allowed_objects = SALESFORCE_OBJECTS.get(hubspot_object, ())
    mappings: list[FieldMapping] = []
    seen: dict[tuple[str, str], int] = {}
    seen_fields: dict[tuple[str, str], tuple[str, int]] = {}

    def cell(cells: list[str], column: str) -> str:
        return cells[index[column]].strip() if column in index else ""

    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            raise UserError(f"{path}:{number}: row has {len(cells)} cells, the header has {len(header)}; re-export "
                            "the CSV or quote values that contain commas")
        prop = cell(cells, "HubSpot property internal name")
        objects = tuple(o.strip() for o in cell(cells, "Salesforce object").split(";") if o.strip())
        field = cell(cells, "Salesforce field API name")
        rule_text = cell(cells, "Sync rule")
        if not prop or not field or not objects:
            raise UserError(f"{path}:{number}: HubSpot property internal name, Salesforce object and Salesforce "
                            "field API name are all required")
        rule = _rule(rule_text)
        if rule is None:
            raise UserError(f"{path}:{number}: unknown sync rule {rule_text!r}; use one of "
                            f"{', '.join(r.value for r in SyncRule)}")
        if not HUBSPOT_NAME.match(prop):
            raise UserError(f"{path}:{number}: HubSpot property {prop!r} is not an internal name (lower case letters, "
                            "digits and _); use the internal name, not the label")
        if not SALESFORCE_NAME.match(field):
            raise UserError(f"{path}:{number}: Salesforce field {field!r} is not an API name; use the API name "
                            "(e.g. Lifecycle_Stage__c), not the label")
        for sobject in objects:
            if allowed_objects and sobject not in allowed_objects:
                raise UserError(f"{path}:{number}: Salesforce object {sobject!r} does not sync with HubSpot "
                                f"{hubspot_object}; use {' or '.join(allowed_objects)}")
        hs_type_text, sf_type_text = cell(cells, "HubSpot field type"), cell(cells, "Salesforce field type")
        hs_type = hubspot_field_type(hs_type_text) if hs_type_text else None
        sf_type = salesforce_field_type(sf_type_text) if sf_type_text else None
        if hs_type_text and hs_type is None:
            raise UserError(f"{path}:{number}: unknown HubSpot field type {hs_type_text!r}; use a HubSpot field type "
                            "such as text, textarea, select, radio, checkbox, booleancheckbox, number, date")
        if sf_type_text and sf_type is None:
            raise UserError(f"{path}:{number}: unknown Salesforce field type {sf_type_text!r}; use a describe type "
                            "such as string, picklist, reference, date, double")
        if schema is not None:
            hs_type, sf_type = _check_schema(path, number, schema, hubspot_object, prop, objects, field, hs_type,
                                             sf_type)
        # A "Don't sync" row records a deliberate non-mapping: no value crosses, so the types cannot clash.
        if hs_type and sf_type and rule is not SyncRule.DONT_SYNC and not compatible(hs_type, sf_type):
            raise UserError(f"{path}:{number}: {prop} ({hs_type}) cannot be mapped to {field} ({sf_type}): HubSpot "
                            "only syncs compatible types (see docs/profile.md, 'Type compatibility')")
        for sobject in objects:
            previous = seen.get((prop, sobject))
            if previous:
                raise UserError(f"{path}:{number}: duplicate mapping for {prop} on {sobject} (first at row {previous}); "
                                "keep one row per HubSpot property and Salesforce object")
            seen[(prop, sobject)] = number
            taken = seen_fields.get((sobject, field.lower()))
            if taken:
                raise UserError(f"{path}:{number}: {sobject}.{field} is already mapped from {taken[0]} at row {taken[1]}; "
                                "a Salesforce field takes one HubSpot property")
            seen_fields[(sobject, field.lower())] = (prop, number)
        mappings.append(FieldMapping(hubspot_object, prop, objects, field, rule, number,
                                     hubspot_label=cell(cells, "HubSpot property"),
                                     salesforce_label=cell(cells, "Salesforce field"),
                                     hubspot_type=hs_type, salesforce_type=sf_type, source=path))
    return mappings


def _check_schema(path: Path, number: int, schema: Mapping[str, Mapping[str, str]], hubspot_object: str, prop: str,
                  objects: tuple[str, ...], field: str, hs_type: str | None,
                  sf_type: str | None) -> tuple[str | None, str | None]:
    properties = schema.get(f"hubspot.{hubspot_object}", {})
    if properties and prop not in properties:
        raise UserError(f"{path}:{number}: HubSpot {hubspot_object} has no property {prop!r}; create it in the portal "
                        "or fix the internal name")
    actual_sf = None
    for sobject in objects:
        fields = {name.lower(): kind for name, kind in schema.get(sobject, {}).items()}
        if fields and field.lower() not in fields:
            raise UserError(f"{path}:{number}: Salesforce {sobject} has no field {field!r}; create it or fix the API "
                            "name")
        actual_sf = fields.get(field.lower(), actual_sf)
    return properties.get(prop, hs_type), actual_sf or sf_type


def write_mappings(path: Path, mappings: list[FieldMapping]) -> None:
    """Write mappings back in the export's shape (labels fall back to the internal names)."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALL_COLUMNS)
        for m in mappings:
            writer.writerow([m.hubspot_label or m.hubspot_property, m.hubspot_property, m.hubspot_type or "",
                             ";".join(m.salesforce_objects), m.salesforce_label or m.salesforce_field,
                             m.salesforce_field, m.salesforce_type or "", m.rule.value])
