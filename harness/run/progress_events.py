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
    """The Gherkin feature's name, known before the scenario's fixtures run (a reconciliation fixture takes seconds).

    pytest-bdd keeps each scenario function's template in a registry (not a documented API, hence the fallback:
    the feature file's name from the function's docstring, "<feature file>: <scenario>")."""
    function = getattr(item, "obj", None)
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry  # deferred: optional internals

        template = scenario_wrapper_template_registry.get(function) if function is not None else None
        if template is not None and template.feature.name:
            return str(template.feature.name)
    except (ImportError, AttributeError, TypeError):
        pass
    doc = getattr(function, "__doc__", None) or ""
    return Path(doc.split(": ", 1)[0]).stem.replace("_", " ") if ": " in doc else item.name


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
