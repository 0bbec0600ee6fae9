"""Seed recipes: YAML that reads as a description of a sandbox (see docs/seeding.md).

Like a Snowfakery recipe it declares counts, references and friends (children per parent), not code: "twelve
accounts split across the regions, each with three contacts and two opportunities". Counts scale with
`--scale`; weights (`{stage: weight}`) are proportions and do not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import UserError
from harness.profile.yaml_positions import line_of, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Region(_Strict):
    territory: str
    countries: list[str] = Field(min_length=1)
    owners: list[str] = Field(default_factory=list)  # e-mail addresses of existing users (Salesforce and HubSpot)
    weight: float = Field(default=1.0, gt=0)


class ContactsPerAccount(_Strict):
    per_account: int = Field(ge=0)
    lifecycle: dict[str, float] = Field(default_factory=lambda: {"salesqualifiedlead": 1, "opportunity": 1,
                                                                 "customer": 1})


class OpportunitiesPerAccount(_Strict):
    per_account: int = Field(ge=0)
    stages: dict[str, float] = Field(default_factory=lambda: {"Prospecting": 1})
    amount: tuple[int, int] = (5_000, 250_000)
    close_in_days: tuple[int, int] = (-90, 180)  # relative to the recipe's reference date, not the clock
    contact_roles: int = Field(default=1, ge=0)  # contact roles per opportunity, from the account's contacts


class PerAccount(_Strict):
    per_account: int = Field(ge=0)


class Accounts(_Strict):
    count: int = Field(ge=0)
    industries: list[str] = Field(min_length=1)
    contacts: ContactsPerAccount | None = None
    opportunities: OpportunitiesPerAccount | None = None
    cases: PerAccount | None = None


class Leads(_Strict):
    count: int = Field(ge=0)
    status: dict[str, float] = Field(default_factory=lambda: {"Open - Not Contacted": 1})
    lifecycle: dict[str, float] = Field(default_factory=lambda: {"lead": 1})
    sources: list[str] = Field(default_factory=lambda: ["Web"])


class PrivateContacts(_Strict):
    count: int = Field(ge=0)
    lifecycle: dict[str, float] = Field(default_factory=lambda: {"salesqualifiedlead": 1})


class HubSpotContacts(_Strict):
    count: int = Field(ge=0)
    lifecycle: dict[str, float] = Field(default_factory=lambda: {"lead": 1})


class Tickets(_Strict):
    count: int = Field(ge=0)
    priorities: list[str] = Field(default_factory=lambda: ["LOW", "MEDIUM", "HIGH"])


class Activities(_Strict):
    salesforce_tasks_per_contact: int = Field(default=0, ge=0)
    hubspot_notes: int = Field(default=0, ge=0)
    hubspot_calls: int = Field(default=0, ge=0)
    hubspot_tasks: int = Field(default=0, ge=0)


class Duplicates(_Strict):
    same_email_twice_in_salesforce: int = Field(default=0, ge=0)  # a Lead and a Contact with one address
    case_and_whitespace_variants: int = Field(default=0, ge=0)  # "Ana.Lopez@..." in Salesforce, "ana.lopez@..." in HubSpot
    one_on_each_side: int = Field(default=0, ge=0)  # a HubSpot contact and a Salesforce Lead with one address


class EdgeCases(_Strict):
    non_ascii_names: int = Field(default=0, ge=0)
    over_long_strings: int = Field(default=0, ge=0)
    long_string_length: int = Field(default=300, ge=1)
    picklist_variants: dict[str, list[str]] = Field(default_factory=dict)  # field family -> spellings as typed


class Recipe(_Strict):
    reference_date: str = "2026-06-30"  # dates are offsets from this, so a recipe gives the same records any day
    regions: dict[str, Region] = Field(min_length=1)
    accounts: Accounts | None = None
    contacts_without_account: PrivateContacts | None = None
    salesforce_leads: Leads | None = None
    hubspot_contacts: HubSpotContacts | None = None
    tickets: Tickets | None = None
    activities: Activities | None = None
    duplicates: Duplicates | None = None
    edge_cases: EdgeCases | None = None
    digest: str = Field(default="", exclude=True)
    source: Path = Field(default=Path("."), exclude=True)


def load_recipe(path: Path) -> Recipe:
    path = Path(path)
    data, lines = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: a seed recipe is a YAML mapping (regions, accounts, salesforce_leads, ...); see "
                        "docs/seeding.md")
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as error:
        # A misspelt key yields "unknown" and "missing" together: the unknown one is the line to fix.
        first = next((e for e in error.errors() if e.get("type") == "extra_forbidden"), error.errors()[0])
        loc = tuple(first.get("loc", ()))
        where = ".".join(str(p) for p in loc)
        message = {"extra_forbidden": "unknown setting; check its spelling against docs/seeding.md",
                   "missing": "required setting is missing"}.get(str(first.get("type")), first.get("msg"))
        raise UserError(f"{path}:{line_of(lines, loc) or 1}: {where}: {message}") from None
    recipe.digest = hashlib.sha256(path.read_bytes()).hexdigest()
    recipe.source = path
    return recipe
