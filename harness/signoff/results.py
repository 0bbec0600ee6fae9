"""Scenario results as the run saw them (`results.jsonl`, written by the pytest plugin)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PARAMETRIZED = re.compile(r"\[(.+)\]$")


@dataclass
class ScenarioResult:
    nodeid: str
    feature: str
    scenario: str
    outcome: str  # passed | failed | skipped
    duration: float
    tags: list[str] = field(default_factory=list)
    message: str | None = None
    category: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def example(self) -> dict[str, str] | None:
        """A Scenario Outline row's example values (the Allure hooks record them; older runs: the node id's)."""
        recorded = (self.evidence or {}).get("example")
        if isinstance(recorded, dict) and recorded:
            return {str(k): str(v) for k, v in recorded.items()}
        found = _PARAMETRIZED.search(self.nodeid)
        return {"example": found.group(1)} if found else None

    @property
    def title(self) -> str:
        """The scenario's name, with an outline row's example values: which country failed, not just that one did."""
        example = self.example
        if not example:
            return self.scenario
        values = ", ".join(v if k == "example" else f"{k}: {v}" for k, v in example.items())
        return f"{self.scenario} ({values})"


def json_lines(path: Path) -> Iterator[Any]:
    """Each JSON line of a run-folder journal, skipping blanks and a torn last line of a killed process."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue


def read_results(path: Path) -> list[ScenarioResult]:
    """One result per scenario (by node id; the last line wins): under pytest-xdist both a worker and the
    controller may report the same scenario, and a re-run scenario reports again."""
    if not path.exists():
        return []
    latest: dict[str, ScenarioResult] = {}
    known = set(ScenarioResult.__dataclass_fields__)
    for data in json_lines(path):
        result = ScenarioResult(**{k: v for k, v in data.items() if k in known})
        latest[result.nodeid] = result
    return list(latest.values())
