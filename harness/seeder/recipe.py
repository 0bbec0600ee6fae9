"""Seed recipes: YAML that reads as a description of a sandbox (see docs/seeding.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError
from ..profile.yaml_positions import line_of, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactsSpec(_Strict):
    count: int = Field(ge=0)
    lifecyclestage: str = "lead"


class LeadsSpec(_Strict):
    count: int = Field(ge=0)


class HubSpotSpec(_Strict):
    contacts: ContactsSpec | None = None


class SalesforceSpec(_Strict):
    leads: LeadsSpec | None = None


class Recipe(_Strict):
    hubspot: HubSpotSpec = HubSpotSpec()
    salesforce: SalesforceSpec = SalesforceSpec()
    digest: str = Field(default="", exclude=True)
    source: Path = Field(default=Path("."), exclude=True)


def load_recipe(path: Path) -> Recipe:
    data, lines = load_yaml_with_lines(path)
    try:
        recipe = Recipe.model_validate(data or {})
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first.get("loc", ()))
        where = ".".join(str(p) for p in loc)
        raise UserError(f"{path}:{line_of(lines, loc) or 1}: {where}: {first.get('msg')}") from None
    recipe.digest = hashlib.sha256(path.read_bytes()).hexdigest()
    recipe.source = path
    return recipe
