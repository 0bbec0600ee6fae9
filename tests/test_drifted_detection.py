"""The suite catches real defects: everything passes on `healthy`, and on `drifted` every planted defect
(fixtures/orgs/drifted/DEFECTS.md) fails one of the scenarios named for it, with the defect's category, and
nothing fails that no planted defect explains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFECTS = ROOT / "fixtures" / "orgs" / "drifted" / "DEFECTS.md"
CATEGORY_KEYS = {"sync timeout": "sync_timeout", "mapping mismatch": "mapping_mismatch",
                 "platform automation": "platform_automation", "duplicates": "duplicates",
                 "permissions": "permissions", "picklists": "picklists", "rate limit": "rate_limit",
                 "test data": "test_data"}


def planted_defects() -> list[dict[str, object]]:
    """The DEFECTS.md table: id, category and the scenarios (`Feature: Scenario`) expected to catch each defect."""
    rows = []
    for line in DEFECTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].startswith("D") or not cells[0][1:].isdigit():
            continue
        rows.append({"id": cells[0], "category": CATEGORY_KEYS[cells[3]],
                     "scenarios": {s.strip() for s in cells[5].split(";") if s.strip()}})
    return rows


@pytest.fixture(scope="module")
def healthy(healthy_run) -> tuple[int, list[dict]]:
    return healthy_run.completed.returncode, healthy_run.results


@pytest.fixture(scope="module")
def drifted(drifted_run) -> tuple[int, list[dict]]:
    return drifted_run.completed.returncode, drifted_run.results


def name(result: dict) -> str:
    return f"{result['feature']}: {result['scenario']}"


def test_everything_passes_on_healthy(healthy):
    code, results = healthy
    failed = [name(r) for r in results if r["outcome"] == "failed"]
    assert code == 0 and not failed, failed
    assert sum(r["outcome"] == "passed" for r in results) >= 50


def test_drifted_ends_no_go(drifted):
    code, _ = drifted
    assert code == 1


def test_every_planted_defect_is_caught_by_its_scenario_with_its_category(drifted):
    _, results = drifted
    failed = {name(r): r["category"] for r in results if r["outcome"] == "failed"}
    missed = []
    for defect in planted_defects():
        caught = [s for s in defect["scenarios"] if failed.get(s) == defect["category"]]
        if not caught:
            missed.append((defect["id"], defect["category"], sorted(defect["scenarios"] & set(failed)),
                           {s: failed[s] for s in defect["scenarios"] if s in failed}))
    assert not missed, missed


def test_nothing_fails_that_no_planted_defect_explains(drifted):
    _, results = drifted
    explained = set().union(*(d["scenarios"] for d in planted_defects()))
    unexplained = [name(r) for r in results if r["outcome"] == "failed" and name(r) not in explained]
    assert not unexplained, unexplained


def test_the_defect_table_names_only_scenarios_that_exist(healthy):
    _, results = healthy
    existing = {name(r) for r in results}
    named = set().union(*(d["scenarios"] for d in planted_defects()))
    assert named <= existing, sorted(named - existing)
