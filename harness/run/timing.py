"""Where a run's time went: one phase table from the runner's own phases and the suite processes' ones.

The runner charges preflight (checks, twin start, connections), seed, reports and cleanup to its ApiBudget; the
pytest session (and each xdist worker) charges each scenario to its feature, the population's reconciliation and the
automation audit to phases of their own, and writes them to `phases/<worker>.json`. Merged here, the suite's row
becomes what the scenarios did not account for (pytest start-up, collection, fixtures), and the rows add up to the
run's wall time (within the workers' overlap when the suite runs in parallel).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

SUITE = "suite"
SUITE_REST = "suite start-up"
# The order a reader expects: the run's life, with the suite's own rows in its place.
BEFORE_SUITE = ("preflight", "seed")
AFTER_SUITE = ("reconciliation", "audit", "reports", "cleanup")


def _merge(rows: list[dict[str, Any]], into: dict[str, dict[str, Any]]) -> None:
    for row in rows:
        name = row["phase"]
        merged = into.setdefault(name, {"phase": name, "seconds": 0.0, "calls": Counter(), "retries": Counter(),
                                        "waited": Counter()})
        merged["seconds"] += float(row.get("seconds", 0.0))
        for key in ("calls", "retries", "waited"):
            merged[key].update({k: v for k, v in (row.get(key) or {}).items()})


def suite_phases(run_dir: Path) -> list[dict[str, Any]]:
    """The suite processes' phase rows, each phase summed over the workers."""
    merged: dict[str, dict[str, Any]] = {}
    for path in sorted((run_dir / "phases").glob("*.json")):
        try:
            _merge(json.loads(path.read_text(encoding="utf-8")), merged)
        except (OSError, ValueError):
            continue  # a worker killed while writing: its share is in the suite's start-up row
    return list(merged.values())


def phase_table(runner: list[dict[str, Any]], suite: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The run's phases in order, each {phase, seconds, calls {system: n}, retries, waited {kind: s}}."""
    rows: dict[str, dict[str, Any]] = {}
    _merge([r for r in runner if r["phase"] != SUITE], rows)
    scenarios: dict[str, dict[str, Any]] = {}
    _merge(suite, scenarios)
    suite_wall = sum(float(r.get("seconds", 0.0)) for r in runner if r["phase"] == SUITE)
    if suite_wall or scenarios:
        rest = scenarios.pop("other", None) or {"phase": SUITE_REST, "seconds": 0.0, "calls": Counter(),
                                                "retries": Counter(), "waited": Counter()}
        rest["phase"] = SUITE_REST
        rest["seconds"] = max(0.0, suite_wall - sum(r["seconds"] for r in scenarios.values()))
        scenarios = {SUITE_REST: rest, **scenarios}
    for name, row in scenarios.items():
        if name in rows:  # e.g. reconciliation run by the runner and a scenario: one row
            _merge([_plain(row)], rows)
        else:
            rows[name] = row
    order = [*BEFORE_SUITE, SUITE_REST]
    features = [n for n in rows if n.startswith("feature: ")]
    ordered = [n for n in order if n in rows] + features + [n for n in AFTER_SUITE if n in rows]
    ordered += [n for n in rows if n not in ordered]
    return [_plain(rows[n]) for n in ordered]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {"phase": row["phase"], "seconds": round(row["seconds"], 2),
            "calls": {k: int(v) for k, v in sorted(row["calls"].items()) if v},
            "retries": {k: int(v) for k, v in sorted(row["retries"].items()) if v},
            "waited": {k: round(float(v), 2) for k, v in sorted(row["waited"].items()) if v}}
