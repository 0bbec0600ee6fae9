"""Recipe + seed + scale -> the exact list of records to create. Pure and deterministic: no I/O, no clock.

The run tag goes only into e-mail addresses (plus-addressing on reserved example.* domains), so two runs of
the same recipe, seed and scale plan the same people, and no real person is ever written to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from .recipe import Recipe

RESERVED_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class PlannedRecord:
    system: str  # "hubspot" | "salesforce"
    object: str  # "contacts" | "Lead" | ...
    key: str  # stable within a plan: e.g. "hubspot.contacts.0"
    data: dict[str, Any]


@dataclass
class SeedPlan:
    seed: int
    scale: float
    records: list[PlannedRecord] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            name = f"{record.system}.{record.object}"
            out[name] = out.get(name, 0) + 1
        return out


def _email(fake: Faker, first: str, last: str, index: int, run_tag: str) -> str:
    local = f"{first}.{last}.{index}".lower().replace(" ", "").replace("'", "")
    domain = RESERVED_DOMAINS[index % len(RESERVED_DOMAINS)]
    return f"{local}+{run_tag}@{domain}"


def plan_from_recipe(recipe: Recipe, seed: int, scale: float, run_tag: str) -> SeedPlan:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    plan = SeedPlan(seed=seed, scale=scale)
    contacts = recipe.hubspot.contacts
    if contacts:
        for index in range(round(contacts.count * scale)):
            first, last = fake.first_name(), fake.last_name()
            plan.records.append(PlannedRecord("hubspot", "contacts", f"hubspot.contacts.{index}", {
                "email": _email(fake, first, last, index, run_tag), "firstname": first, "lastname": last,
                "company": fake.company(), "lifecyclestage": contacts.lifecyclestage}))
    leads = recipe.salesforce.leads
    if leads:
        for index in range(round(leads.count * scale)):
            first, last = fake.first_name(), fake.last_name()
            plan.records.append(PlannedRecord("salesforce", "Lead", f"salesforce.Lead.{index}", {
                "FirstName": first, "LastName": last, "Company": fake.company(),
                "Email": _email(fake, first, last, 1000 + index, run_tag)}))
    return plan
