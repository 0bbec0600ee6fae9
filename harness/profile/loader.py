"""Load and validate a profile; every problem is one line with the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from harness.errors import UserError
from harness.profile.mappings import load_mappings
from harness.profile.model import Profile
from harness.profile.yaml_positions import dotted, line_of, load_yaml_with_lines


def _describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown setting; remove it or check its spelling against docs/profile.md"
    if kind == "missing":
        return "required setting is missing"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def load_profile(path: Path | str) -> Profile:
    path = Path(path)
    data, lines = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: a profile is a YAML mapping of settings (name, integration_owner, mappings, ...)")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        # A misspelt key yields "unknown" and "missing" together: the unknown one is the line to fix.
        first = next((e for e in error.errors() if e.get("type") == "extra_forbidden"), error.errors()[0])
        loc = tuple(first.get("loc", ()))
        line = line_of(lines, loc)
        where = dotted(loc) or "(top level)"
        raise UserError(f"{path}:{line or 1}: {where}: {_describe(first)}") from None
    profile.source = path.resolve()
    profile._lines = lines
    for object_type, relative in profile.mappings.items():
        if not profile.resolve(relative).is_file():
            line = line_of(lines, ("mappings", object_type))
            raise UserError(f"{path}:{line}: mappings.{object_type}: file {relative} not found (paths are relative to "
                            "the profile)")
    export = profile.conformance.connector_export
    if export and not profile.resolve(export).exists():
        raise UserError(f"{path}:{line_of(lines, ('conformance', 'connector_export'))}: conformance.connector_export: "
                        f"{export} not found (relative to the profile); export the field mappings from HubSpot there")
    profile._field_mappings = [row for object_type, csv_path in profile.mapping_files().items()
                               for row in load_mappings(csv_path, object_type)]
    return profile
