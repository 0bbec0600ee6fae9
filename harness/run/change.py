"""The mapping change of a regression run (`uat run --impacted-by OLD.csv`): the rows that differ between the old
CSV and the profile's CSV for the same HubSpot object, and nothing else.

A regression run tests *the change*, so the target must run it:
- with a control plane (the twin), the change is applied to the connector's mapping list as an admin would apply it
  in HubSpot's Salesforce integration settings: added rows added, removed rows removed, changed rows changed; every
  other setting stays as the org has it, so drift elsewhere is still caught by configuration conformance;
- without one (real sandboxes), nobody but the admin may change the connector: the changed rows are compared with
  the connector's mapping export (`conformance.connector_export`) and the run stops before writing anything when
  the export does not show the change yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import UserError
from harness.profile import Profile
from harness.profile.impact import MappingChange, diff_mappings, marker_expression, object_of
from harness.profile.mappings import FieldMapping, load_mappings
from harness.sandboxes.control import ConnectorRefused, TwinControl

EXPORT_HOW = ("export the field mappings from HubSpot (Settings > Integrations > Salesforce > Field mappings > "
              "Export) and set `conformance.connector_export` in the profile to the CSV or its folder")


@dataclass
class MappingChangeSet:
    """One `--impacted-by OLD.csv`: its object, the profile's rows for that object and what changed."""

    old: Path
    hubspot_object: str
    new_rows: list[FieldMapping]
    changes: list[MappingChange]

    @property
    def expression(self) -> str:
        return marker_expression(self.changes)

    def keys(self) -> set[tuple[str, str]]:
        """(HubSpot property, Salesforce object) pairs the change touches: the unit HubSpot maps one row per."""
        out: set[tuple[str, str]] = set()
        for change in self.changes:
            for sobject in change.salesforce_objects:
                out.add((change.hubspot_property, sobject))
        return out

    def wanted(self) -> dict[tuple[str, str], FieldMapping]:
        """What the profile says for each touched pair (absent: the pair is no longer mapped)."""
        keys = self.keys()
        return {(m.hubspot_property, s): m for m in self.new_rows for s in m.salesforce_objects
                if (m.hubspot_property, s) in keys}


def load_changes(profile: Profile, old_files: list[Path]) -> list[MappingChangeSet]:
    """Each OLD.csv against the profile's rows for its object (the object comes from the file's name)."""
    out: list[MappingChangeSet] = []
    for old in old_files:
        if not old.is_file():
            raise UserError(f"--impacted-by {old}: file not found; give the mapping CSV as it was before the change")
        hubspot_object = object_of(old, None)
        if hubspot_object not in profile.mappings:
            raise UserError(f"--impacted-by {old}: the profile {profile.source} maps no {hubspot_object}; "
                            "check `mappings` in the profile")
        new_rows = [m for m in profile.field_mappings if m.hubspot_object == hubspot_object]
        changes = diff_mappings(load_mappings(old, hubspot_object), new_rows)
        out.append(MappingChangeSet(old, hubspot_object, new_rows, changes))
    return out


def describe_change(change: MappingChange) -> str:
    """One line per applied row, as the progress and the sign-off's selection text say it."""
    return f"{change.hubspot_object}.{change.hubspot_property} {change.kind}: {'; '.join(change.details)}"


def connector_rows_after(rows: list[dict[str, Any]], change: MappingChangeSet) -> list[dict[str, Any]]:
    """The connector's mapping list for the object with the change made in it, every untouched row as it was.

    A connector row may map one property on several Salesforce objects (Lead and Contact); when the change touches
    only one of them, the row keeps the others and the touched object gets the profile's row."""
    touched = change.keys()
    wanted = change.wanted()
    out: list[dict[str, Any]] = []
    for row in rows:
        objects = list(row.get("salesforce_objects") or [])
        kept = [s for s in objects if (row["hubspot"], s) not in touched]
        if kept == objects:
            out.append(row)
        elif kept:
            out.append({**row, "salesforce_objects": kept})
    # The profile's rows for the touched pairs, one connector row per profile row (its objects that were touched).
    added: dict[int, dict[str, Any]] = {}
    for (prop, sobject), mapping in sorted(wanted.items()):
        entry = added.setdefault(id(mapping), {"hubspot": prop, "salesforce": mapping.salesforce_field,
                                               "rule": mapping.rule.value, "salesforce_objects": []})
        entry["salesforce_objects"].append(sobject)
    out.extend(added.values())
    return out


def apply_to_connector(control: TwinControl, changes: list[MappingChangeSet]) -> list[str]:
    """Make the change on the connector through its control plane; the lines say which rows were applied."""
    lines: list[str] = []
    settings = control.connector_settings()
    patch: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        if not change.changes:
            continue
        current = patch.get(change.hubspot_object, (settings.get("mappings") or {}).get(change.hubspot_object, []))
        patch[change.hubspot_object] = connector_rows_after(current, change)
        lines.extend(describe_change(c) for c in change.changes)
    if patch:
        try:
            control.change_connector_settings({"mappings": patch})
        except ConnectorRefused as error:
            raise UserError(f"--impacted-by: the connector refused the change ({error}); fix the row in the "
                            "profile's mapping CSV") from None
    return lines


def _export_files(profile: Profile) -> dict[str, Path]:
    export = profile.conformance.connector_export
    if not export:
        raise UserError("--impacted-by: the change cannot be confirmed on the sandboxes (no mapping export to compare "
                        f"with); {EXPORT_HOW}")
    path = profile.resolve(export)
    if not path.exists():
        raise UserError(f"{profile.source}: conformance.connector_export {export!r}: {path} does not exist; "
                        f"{EXPORT_HOW}")
    return {path.stem.lower(): path} if path.is_file() else {p.stem.lower(): p for p in sorted(path.glob("*.csv"))}


def check_applied(profile: Profile, changes: list[MappingChangeSet]) -> list[str]:
    """Against sandboxes without a control plane: the connector's export must already show every changed row."""
    touched = [c for c in changes if c.changes]
    if not touched:
        return []
    files = _export_files(profile)
    lines: list[str] = []
    for change in touched:
        export = files.get(change.hubspot_object)
        if export is None:
            raise UserError(f"--impacted-by {change.old}: the change cannot be confirmed: the mapping export "
                            f"{profile.conformance.connector_export} has no {change.hubspot_object}.csv; {EXPORT_HOW}")
        actual = {(m.hubspot_property, s): m for m in load_mappings(export, change.hubspot_object)
                  for s in m.salesforce_objects}
        wanted = change.wanted()
        for prop, sobject in sorted(change.keys()):
            now, want = actual.get((prop, sobject)), wanted.get((prop, sobject))
            if _same(now, want):
                continue
            raise UserError(f"--impacted-by {change.old}: the change is not applied yet: {change.hubspot_object}."
                            f"{prop} on {sobject} is {_says(now)} in the connector's export {export}, the profile says "
                            f"{_says(want)}; apply it in HubSpot's Salesforce integration settings, export the "
                            "mappings again, then rerun")
        lines.extend(f"{describe_change(c)} (in the export {export.name})" for c in change.changes)
    return lines


def _same(a: FieldMapping | None, b: FieldMapping | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.salesforce_field.lower() == b.salesforce_field.lower() and a.rule is b.rule


def _says(m: FieldMapping | None) -> str:
    return "not mapped" if m is None else f"{m.salesforce_field} ({m.rule.value})"
