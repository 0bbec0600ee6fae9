"""A pytest plugin the runner loads into the suite's process (`-p harness.run.progress_events`): it tells the
parent how many scenarios were selected and which feature runs now, as lines of `progress.jsonl` in the run
folder. Results (scenarios done) already arrive in `results.jsonl`; the parent follows both
(harness/run/progress.py). Appends of one short line are atomic, so xdist workers share the file safely.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

EVENTS = "progress.jsonl"


def _write(event: dict[str, Any]) -> None:
    run_dir = os.environ.get("UAT_RUN_DIR")
    if run_dir:
        with open(Path(run_dir) / EVENTS, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")


def feature_of(item: pytest.Item) -> str:
    """pytest-bdd documents each scenario function as "<feature>: <scenario>"."""
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    return doc.split(": ", 1)[0] if ": " in doc else item.name


def pytest_collection_finish(session: pytest.Session) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") or getattr(session.config.option, "numprocesses", None):
        return  # under xdist the controller collects nothing: its workers' collection is counted below
    _write({"total": len(session.items)})


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    # Every worker collects the same items; the first one to finish gives the total.
    if not getattr(pytest_xdist_node_collection_finished, "told", False):
        pytest_xdist_node_collection_finished.told = True  # type: ignore[attr-defined]
        _write({"total": len(ids)})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _write({"running": feature_of(item), "scenario": item.name})
