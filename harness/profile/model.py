"""The integration profile: what the team *expects* of the connected sandboxes, validated with pydantic."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Person(Strict):
    name: str = Field(min_length=1)
    email: str | None = None
    role: str | None = None


class Target(Strict):
    kind: Literal["twin", "sandboxes"] = "twin"
    org: str = "healthy"  # twin only: the org fixture under fixtures/orgs/
    sync: Literal["manual", "interval"] = "manual"  # twin only: nudge cycles, or let them run on a timer


class SyncWindow(Strict):
    timeout_seconds: PositiveFloat = 900.0  # HubSpot: changes are checked for every 15 minutes
    first_poll_seconds: PositiveFloat = 0.5
    max_poll_seconds: PositiveFloat = 30.0


class SeedSettings(Strict):
    recipe: str = "../seed/representative.yaml"
    seed: int = 20261128
    scale: PositiveFloat = 1.0


class ExitCriteria(Strict):
    max_failed_scenarios: int = Field(default=0, ge=0)
    min_pass_rate: float = Field(default=1.0, ge=0, le=1)


class Stakeholder(Strict):
    role: str = Field(min_length=1)
    name: str = Field(min_length=1)


class Profile(Strict):
    name: str = Field(min_length=1)
    integration_owner: Person
    target: Target = Target()
    sync_window: SyncWindow = SyncWindow()
    mappings: dict[Literal["contacts", "companies", "deals", "tickets"], str] = Field(min_length=1)
    seed: SeedSettings = SeedSettings()
    exit_criteria: ExitCriteria = ExitCriteria()
    stakeholders: list[Stakeholder] = Field(default_factory=list)

    # Where the profile was read from: relative paths inside it are relative to this file.
    source: Path = Field(default=Path("."), exclude=True)

    def resolve(self, relative: str) -> Path:
        return (self.source.parent / relative).resolve()
