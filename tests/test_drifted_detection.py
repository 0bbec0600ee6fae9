"""The suite catches real defects: everything passes on `healthy`, and on `drifted` every planted defect
(fixtures/orgs/drifted/DEFECTS.md) fails one of the scenarios named for it, with the defect's category, and
nothing fails that no planted defect explains.

The sign-off names the root causes: on `drifted` one cause per planted defect, naming the configuration item it was
planted in (the test reads the fixture to resolve a workflow or list id to the name a sandbox shows; the harness
never reads it), and no cause that no planted defect explains; on `healthy`, none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DRIFTED = ROOT / "fixtures" / "orgs" / "drifted"
DEFECTS = DRIFTED / "DEFECTS.md"
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
        rows.append({"id": cells[0], "category": CATEGORY_KEYS[cells[3]], "planted": cells[2],
                     "scenarios": {s.strip() for s in cells[5].split(";") if s.strip()}})
    return rows


def planted_items(planted: str) -> set[str]:
    """The names a sandbox shows for each `file: key path` of the `planted in` column: a flow's or rule's API name, a
    workflow's or list's name, `Object.Field`, `object.property`, a mapping row as `object.property` (HubSpot side),
    a connector setting by its path (`lifecycle.never_backwards`: the twin's control plane shows it, as the settings
    page does)."""
    hubspot = yaml.safe_load((DRIFTED / "hubspot.yaml").read_text(encoding="utf-8"))
    salesforce = yaml.safe_load((DRIFTED / "salesforce.yaml").read_text(encoding="utf-8"))
    by_id = {str(e["id"]): e["name"] for key in ("workflows", "lists") for e in hubspot.get(key) or []}
    names = set()
    for entry in (e.strip() for e in planted.split(";")):
        file, _, path = (part.strip() for part in entry.partition(":"))
        bracket = re.search(r"\[(.+)\]", path)
        if path.startswith("mappings."):
            names.add(f"{path.split('.')[1].split('[')[0]}.{bracket.group(1).split('→')[0]}")
        elif file == "connector.yaml":
            names.add(path)
        elif file == "hubspot.yaml" and bracket:
            names.add(by_id[bracket.group(1)])
        elif path.startswith("automation.") and bracket:
            names.add(bracket.group(1))
        elif path.startswith("objects."):
            _, sobject, _, field = path.split(".")
            names.add(f"{sobject}.{field}")
        elif path.startswith("properties."):
            names.add(path.split(".", 1)[1])
        elif path == "access":
            names |= {f"{sobject}.{field}" for user in salesforce["access"].values()
                      for sobject, fields in user["fields"].items() for field in fields}
    return names


def causes_naming(defect: dict, causes: list[dict]) -> list[str]:
    items = planted_items(str(defect["planted"]))
    return [c["id"] for c in causes if items & set(c["names"])]


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


def test_every_planted_defect_has_a_root_cause_and_no_cause_mixes_defects(drifted_run):
    """One cause per configuration item a defect was planted in, at most: a defect planted in one setting and one
    flow (D2) may be two causes, each fixed on its own page; a cause never names items of two defects."""
    causes = drifted_run.signoff["causes"]
    found = {d["id"]: causes_naming(d, causes) for d in planted_defects()}
    listing = [(c["id"], c["item"], c["names"]) for c in causes]
    assert all(ids for ids in found.values()), (found, listing)
    for defect in planted_defects():
        assert len(found[defect["id"]]) <= len(planted_items(str(defect["planted"]))), (defect["id"], found, listing)
    owners = [cause for ids in found.values() for cause in ids]
    assert len(owners) == len(set(owners)), (found, listing)


def test_no_root_cause_is_invented(drifted_run):
    causes = drifted_run.signoff["causes"]
    planted = set().union(*(planted_items(str(d["planted"])) for d in planted_defects()))
    invented = [(c["id"], c["item"], c["names"]) for c in causes if not planted & set(c["names"])]
    assert not invented, invented


def test_each_root_cause_explains_a_scenario_its_defect_names_and_says_what_to_do(drifted_run):
    causes = {c["id"]: c for c in drifted_run.signoff["causes"]}
    for defect in planted_defects():
        for cause_id in causes_naming(defect, list(causes.values())):
            cause = causes[cause_id]
            explained = {s["scenario"] for s in cause["scenarios"]}
            assert explained & defect["scenarios"], (defect["id"], cause["item"], sorted(explained))
            assert cause["what"] and cause["fix"] and cause["change_at"] and cause["owner"], cause
            assert all(s["why"] for s in cause["scenarios"]), cause


def test_healthy_has_no_root_cause(healthy_run):
    assert healthy_run.signoff["causes"] == []
    assert not healthy_run.signoff["unexplained"].get("scenarios")
