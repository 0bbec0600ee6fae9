"""Field mappings written back in the shape of HubSpot's mapping export, one CSV per HubSpot object.

Two sources: the profile's own CSVs (often hand-edited, or exported without the type columns), and the mappings
the twin's connector is actually running (its org fixture, plus any change made through the control plane). Labels
and types are filled from what the target describes (Salesforce describe, HubSpot's properties API), so the
written CSVs carry the type columns that make `uat lint` refuse type-incompatible pairs at load time, and a
`uat impact EXPECTED.csv EXPORTED.csv` shows exactly where a running configuration differs from the governed one.

A real HubSpot portal offers no API for the connector's field mappings: there, the export comes from the
integration's settings page, and this module only fills labels and types.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.errors import UserError
from harness.lint.against import Described
from harness.profile.mappings import FieldMapping, SyncRule, write_mappings
from harness.sandboxes import Sandboxes
from harness.sync.compat import hubspot_field_type, hubspot_field_type_of, salesforce_field_type


def connector_mappings(settings: dict[str, Any]) -> list[FieldMapping]:
    """The connector's mappings (GET /connector/settings on the twin's control plane) as mapping rows."""
    out: list[FieldMapping] = []
    for hubspot_object, rows in (settings.get("mappings") or {}).items():
        for number, row in enumerate(rows, start=2):  # row 1 is the header of the CSV they become
            out.append(FieldMapping(hubspot_object, row["hubspot"], tuple(row["salesforce_objects"]), row["salesforce"],
                                    SyncRule(row["rule"]), number))
    return out


def described(mappings: list[FieldMapping], sandboxes: Sandboxes) -> list[FieldMapping]:
    """Each row with its labels and types as the target describes them; what it cannot describe is left as is."""
    description = Described(sandboxes, {s for m in mappings for s in m.salesforce_objects},
                            {m.hubspot_object for m in mappings}, workflows=False)
    out = []
    for m in mappings:
        prop = description.hs_property(m.hubspot_object, m.hubspot_property)
        sobject, field = next(((s, f) for s, f in ((s, description.sf_field(s, m.salesforce_field))
                                                    for s in m.salesforce_objects) if f), (None, None))
        hs_type = (hubspot_field_type(hubspot_field_type_of(getattr(prop, "type", None), getattr(prop, "field_type", None)))
                   if prop is not None else None)
        sf_type = salesforce_field_type(field.get("type") or "") if field else None
        code = description.sf_field(sobject, f"{m.salesforce_field}Code") if field and sobject else None
        if sf_type == "string" and code and code.get("type") == "picklist" and code.get("compoundFieldName") \
                and code.get("compoundFieldName") == field.get("compoundFieldName"):
            sf_type = "picklist"  # State and Country/Territory Picklists: the text field takes the code picklist's labels
        out.append(replace(m, hubspot_label=getattr(prop, "label", None) or m.hubspot_label,
                           hubspot_type=hs_type or m.hubspot_type,
                           salesforce_label=(field or {}).get("label") or m.salesforce_label,
                           salesforce_type=sf_type or m.salesforce_type))
    return out


def export_mappings(mappings: list[FieldMapping], out_dir: Path) -> dict[str, Path]:
    """Write `<object>.csv` per HubSpot object into `out_dir`; refuses to overwrite the profile's own files."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"--out {out_dir}: cannot create the folder ({error.strerror}); give a writable folder") from None
    sources = {m.source.resolve() for m in mappings if m.source is not None}
    paths = {hubspot_object: out_dir / f"{hubspot_object}.csv" for hubspot_object in sorted({m.hubspot_object
                                                                                            for m in mappings})}
    for path in paths.values():  # all checked before any is written: nothing half-exported
        if path.resolve() in sources:
            raise UserError(f"--out {out_dir}: {path.name} is the profile's own mapping file; export to another "
                            "folder and compare with `uat impact`")
    for hubspot_object, path in paths.items():
        write_mappings(path, sorted((m for m in mappings if m.hubspot_object == hubspot_object), key=lambda m: m.row))
    return paths
