"""Root causes in the Allure report: each failed result explained by a cause carries a `root_cause` label (the
cause's id), and the config lists one category per cause ahead of the failure kinds. Allure puts a result in the first
category that matches, so a failure sits under its cause (the one that explains most, when several do), and a
failure no cause explains under its failure kind, as in the sign-off's "Unexplained".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT_CAUSE_LABEL = "root_cause"


def cause_rules(causes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"root-cause-{c['id']}", "name": f"Root cause {c['id']}: {c['item']}",
             "matchers": {"statuses": ["failed", "broken"], "labels": {ROOT_CAUSE_LABEL: f"^{re.escape(c['id'])}$"}}}
            for c in causes]


def label_root_causes(results_dir: Path, causes: list[dict[str, Any]]) -> int:
    """Add the `root_cause` label to every failed result a cause explains (matched as the sign-off names scenarios:
    `Feature: Scenario`); returns how many results were labelled. Run again, it changes nothing more."""
    by_scenario: dict[str, list[str]] = {}
    for cause in causes:
        for scenario in cause.get("scenarios", []):
            by_scenario.setdefault(scenario["scenario"], []).append(cause["id"])
    labelled = 0
    for path in results_dir.glob("*-result.json"):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if result.get("status") not in {"failed", "broken"}:
            continue
        labels = result.setdefault("labels", [])
        feature = next((label.get("value") for label in labels if label.get("name") == "feature"), "")
        ids = by_scenario.get(f"{feature}: {result.get('name')}", [])
        have = {label.get("value") for label in labels if label.get("name") == ROOT_CAUSE_LABEL}
        missing = [i for i in ids if i not in have]
        if not missing:
            continue
        labels.extend({"name": ROOT_CAUSE_LABEL, "value": i} for i in missing)
        path.write_text(json.dumps(result), encoding="utf-8")
        labelled += 1
    return labelled
