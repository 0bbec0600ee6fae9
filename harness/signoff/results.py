"""Scenario results as the run saw them (`results.jsonl`, written by the pytest plugin)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def read_results(path: Path) -> list[ScenarioResult]:
    """One result per scenario (by node id; the last line wins): under pytest-xdist both a worker and the
    controller may report the same scenario, and a re-run scenario reports again."""
    if not path.exists():
        return []
    latest: dict[str, ScenarioResult] = {}
    known = set(ScenarioResult.__dataclass_fields__)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line of a killed run
        result = ScenarioResult(**{k: v for k, v in data.items() if k in known})
        latest[result.nodeid] = result
    return list(latest.values())
