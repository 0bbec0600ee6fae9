"""Seed recipes: YAML that reads as a description of a sandbox (see docs/seeding.md).

Like a Snowfakery recipe it declares counts, references and friends (children per parent), not code: "twelve
accounts split across the regions, each with three contacts and two opportunities". Counts scale with
`--scale`; weights (`{stage: weight}`) are proportions and do not.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from harness.errors import UserError
from harness.profile.yaml_positions import dotted, line_of, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _some_weight(weights: dict[str, float]) -> dict[str, float]:
    if weights and not any(w > 0 for w in weights.values()):
        raise ValueError("at least one weight must be above 0")
    return weights


def _ordered(pair: tuple[int, int]) -> tuple[int, int]:
    if pair[0] > pair[1]:
        raise ValueError(f"[{pair[0]}, {pair[1]}]: the first number is the lower bound; swap them")
    return pair


def _iso_date(value: object) -> object:
    """YAML reads an unquoted 2026-06-30 as a date; a quoted one stays text and must still be a real day."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD") from None
    return value


# Proportions: {value: weight}, none negative, at least one above 0.
Weights = Annotated[dict[str, Annotated[float, Field(ge=0)]], AfterValidator(_some_weight)]
Range = Annotated[tuple[int, int], AfterValidator(_ordered)]
Count = Annotated[int, Field(ge=0)]


class Region(_Strict):
    territory: str
    countries: list[str] = Field(min_length=1)
    owners: list[str] = Field(default_factory=list)  # e-mail addresses of existing users (Salesforce and HubSpot)
    weight: float = Field(default=1.0, gt=0)


class ContactsPerAccount(_Strict):
    per_account: int = Field(ge=0)
    lifecycle: Weights = Field(default_factory=lambda: {"salesqualifiedlead": 1, "opportunity": 1,
                                                                 "customer": 1})


class OpportunitiesPerAccount(_Strict):
    per_account: int = Field(ge=0)
    stages: Weights = Field(default_factory=lambda: {"Prospecting": 1})
    amount: Range = (5_000, 250_000)
    close_in_days: Range = (-90, 180)  # relative to the recipe's reference date, not the clock
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
    status: Weights = Field(default_factory=lambda: {"Open - Not Contacted": 1})
    lifecycle: Weights = Field(default_factory=lambda: {"lead": 1})
    sources: list[str] = Field(default_factory=lambda: ["Web"], min_length=1)


class PrivateContacts(_Strict):
    count: int = Field(ge=0)
    lifecycle: Weights = Field(default_factory=lambda: {"salesqualifiedlead": 1})


class HubSpotContacts(_Strict):
    count: int = Field(ge=0)
    lifecycle: Weights = Field(default_factory=lambda: {"lead": 1})


class Tickets(_Strict):
    count: int = Field(ge=0)
    priorities: list[str] = Field(default_factory=lambda: ["LOW", "MEDIUM", "HIGH"], min_length=1)


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
    long_string_length: int = Field(default=300, ge=1, le=131_072)  # Salesforce's longest text
    picklist_variants: dict[str, list[str]] = Field(default_factory=dict)  # field family -> spellings as typed


class Recipe(_Strict):
    reference_date: Annotated[str, BeforeValidator(_iso_date)] = "2026-06-30"  # dates are offsets from this, so a recipe gives the same records any day
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
    lines: dict = Field(default_factory=dict, exclude=True)  # key path -> line, for errors found later

    def line(self, *path: object) -> int:
        return line_of(self.lines, tuple(path)) or 1

    def estimated_records(self, scale: float) -> float:
        """How many records the recipe plans at `scale`, worked out from its counts without planning them (a count
        of 10**12 must be refused, not generated). Floats: a huge count or scale stays a number, never a hang."""
        def n(count: float) -> float:
            return count * scale

        total = 0.0
        if self.accounts:
            accounts = n(self.accounts.count)
            contacts = accounts * (self.accounts.contacts.per_account if self.accounts.contacts else 0)
            opportunities = accounts * (self.accounts.opportunities.per_account if self.accounts.opportunities else 0)
            roles = opportunities * (self.accounts.opportunities.contact_roles if self.accounts.opportunities else 0)
            cases = accounts * (self.accounts.cases.per_account if self.accounts.cases else 0)
            tasks = contacts * (self.activities.salesforce_tasks_per_contact if self.activities else 0)
            total += accounts + contacts + opportunities + roles + cases + tasks
        for section in (self.contacts_without_account, self.salesforce_leads, self.hubspot_contacts, self.tickets):
            total += n(section.count) if section else 0
        if self.activities:
            total += n(self.activities.hubspot_notes + self.activities.hubspot_calls + self.activities.hubspot_tasks)
        if self.duplicates:
            total += 2 * n(self.duplicates.same_email_twice_in_salesforce + self.duplicates.one_on_each_side
                           + self.duplicates.case_and_whitespace_variants)
        if self.edge_cases:
            total += n(self.edge_cases.non_ascii_names + self.edge_cases.over_long_strings)
            total += n(sum(len(v) for v in self.edge_cases.picklist_variants.values()))
        return total if math.isfinite(total) else math.inf


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
        where = dotted(loc)
        message = {"extra_forbidden": "unknown setting; check its spelling against docs/seeding.md",
                   "missing": "required setting is missing"}.get(str(first.get("type")),
                                                                 str(first.get("msg")).removeprefix("Value error, "))
        raise UserError(f"{path}:{line_of(lines, loc) or 1}: {where}: {message}") from None
    recipe.digest = hashlib.sha256(path.read_bytes()).hexdigest()
    recipe.source = path
    recipe.lines = lines
    return recipe
