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
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(ScenarioResult(**json.loads(line)))
    return out
