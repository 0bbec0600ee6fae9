"""The pytest side of a UAT run: profile, sandboxes (twin or real), run folder and ledger as fixtures, and
one line per scenario in `results.jsonl` for the sign-off report.

`uat run` sets the environment (UAT_PROFILE, UAT_RUN_DIR and the target's credentials) and runs pytest in a
subprocess. Run pytest on the suite directly and the session starts a twin itself when no credentials are
set, so a QA lead can iterate on one feature file with plain `pytest`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.steps import step_function_context_registry

from harness.errors import UserError
from harness.paths import PROJECT_ROOT
from harness.profile import Profile, load_profile
from harness.run.context import RunContext, create_run, open_run
from harness.run.ledger import Ledger
from harness.sandboxes import ApiBudget, Sandboxes, connect
from harness.sandboxes.credentials import credentials_from_env, has_credentials
from harness.sandboxes.twin_target import twin_credentials
from harness.signoff.categories import classify
from harness.uat.waiter import Waiter
from harness.uat.world import World

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"


def _fail_setup(error: UserError) -> None:
    pytest.exit(str(error), returncode=2)


@pytest.fixture(scope="session")
def uat_profile() -> Profile:
    try:
        return load_profile(os.environ.get("UAT_PROFILE", str(DEFAULT_PROFILE)))
    except UserError as error:
        _fail_setup(error)
        raise


@pytest.fixture(scope="session")
def uat_run() -> RunContext:
    run_dir = os.environ.get("UAT_RUN_DIR")
    return open_run(Path(run_dir)) if run_dir else create_run(run_id="adhoc-" + time.strftime("%Y%m%d-%H%M%S"))


@pytest.fixture(scope="session")
def ledger(uat_run: RunContext) -> Ledger:
    return uat_run.ledger


_BUDGETS: list[Any] = []  # the session's API budget, written to the run folder when the session ends
# One budget for the process, there before the first connection: a scenario's phase opens before its steps ask for
# the sandboxes, so the first scenario's time and calls are its feature's too.
_BUDGET = ApiBudget()


@pytest.fixture(scope="session")
def sandboxes(uat_profile: Profile) -> Iterator[Sandboxes]:
    try:
        if has_credentials():
            connected = connect(credentials_from_env(), _BUDGET)
            _BUDGETS.append(connected.budget)
            yield connected
            return
        if uat_profile.target.kind != "twin":
            raise UserError(f"{uat_profile.source}: target.kind is sandboxes but no credentials are set; export the "
                            "UAT_SF_* and UAT_HUBSPOT_* variables (README, 'Real sandboxes')")
        # deferred: only an ad-hoc pytest session starts a twin of its own (`uat run` passes credentials)
        from harness.sandboxes.twin_start import start_twin

        with start_twin(uat_profile.target.org, sync=uat_profile.target.sync) as twin:
            connected = connect(twin_credentials(twin.info()), _BUDGET)
            _BUDGETS.append(connected.budget)
            yield connected
    except UserError as error:
        _fail_setup(error)


@pytest.fixture(scope="session")
def waiter(uat_profile: Profile, sandboxes: Sandboxes) -> Waiter:
    window = uat_profile.sync_window
    return Waiter(timeout=window.timeout_seconds, first_poll=window.first_poll_seconds, max_poll=window.max_poll_seconds,
                  nudge=sandboxes.nudge if sandboxes.control is not None else None,
                  on_wait=lambda seconds: sandboxes.budget.waited("sync", seconds))


# Steps pass what they produce to later steps as pytest-bdd target fixtures. What a scenario created or acted on is
# also evidence for the reader (Allure's "records this scenario acted on"): `scenario_records` collects each target
# fixture as its step returns it, except the ones below, which are not records of one scenario but results the
# whole run shares (computed once, each attached as evidence of its own) and the platforms' picklist definitions.
NOT_SCENARIO_RECORDS = {"reconciliation", "audit", "conformance_report", "picklist_comparison"}


@pytest.fixture
def scenario_records() -> dict[str, Any]:
    """What this scenario's steps produced, by fixture name; read by the report, never by a step."""
    return {}


def _target_fixture(step_func: Any, step: Any) -> str | None:
    """The fixture name the step definition that just ran gave its return value (pytest-bdd's `target_fixture`)."""
    for context in step_function_context_registry.values():
        if context.step_func is step_func and context.type in {step.type, None} and context.parser.is_matching(step.name):
            return context.target_fixture
    return None


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any,
                          step_func_args: dict[str, Any]) -> None:
    name = _target_fixture(step_func, step)
    if name and name not in NOT_SCENARIO_RECORDS:
        request.getfixturevalue("scenario_records")[name] = request.getfixturevalue(name)


@pytest.fixture(scope="session")
def world(sandboxes: Sandboxes, waiter: Waiter, ledger: Ledger, uat_profile: Profile, uat_run: RunContext) -> World:
    """Everything a step needs (harness.uat.world): the steps call the library with it."""
    return World(sandboxes, waiter, ledger, uat_profile, uat_run.tag, uat_run.run_dir)


# -- results.jsonl ------------------------------------------------------------------------------------
_PHASE = pytest.StashKey[contextlib.ExitStack]()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    node = request.node
    node.user_properties.append(("uat_feature", feature.name))
    node.user_properties.append(("uat_scenario", scenario.name))
    node.user_properties.append(("uat_tags", sorted(set(scenario.tags) | set(feature.tags))))
    phase = contextlib.ExitStack()  # the run's phase table: a scenario's time, calls and waits are its feature's
    phase.enter_context(_BUDGET.phase(f"feature: {feature.name}"))
    node.stash[_PHASE] = phase


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    phase = request.node.stash.get(_PHASE, None)
    if phase is not None:
        phase.close()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    properties = dict(report.user_properties)
    if "uat_feature" not in properties:
        return
    final = report.when == "call" or (report.when == "setup" and report.outcome != "passed")
    if not final:
        return
    if getattr(report, "node", None) is not None:
        return  # the xdist controller sees each worker's report again: the worker already wrote it
    run_dir = os.environ.get("UAT_RUN_DIR")
    if not run_dir:
        return
    message = None
    if report.outcome == "failed":
        message = getattr(report.longrepr, "reprcrash", None)
        message = message.message if message is not None else str(report.longrepr)
    elif report.outcome == "skipped" and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2])
    line = {"nodeid": report.nodeid, "feature": properties["uat_feature"], "scenario": properties["uat_scenario"],
            "outcome": report.outcome, "duration": round(report.duration, 3), "tags": properties.get("uat_tags", []),
            "message": message, "category": classify(message) if report.outcome == "failed" else None,
            "evidence": properties.get("uat_evidence", {})}
    with open(Path(run_dir) / "results.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, default=str) + "\n")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The suite's API calls, per process, for the runner to add to the run's budget."""
    run_dir = os.environ.get("UAT_RUN_DIR")
    if not run_dir or not _BUDGETS:
        return
    folder = Path(run_dir) / "api-usage"
    folder.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "suite")
    (folder / f"{worker}.json").write_text(json.dumps(_BUDGETS[-1].report()), encoding="utf-8")
    phases = Path(run_dir) / "phases"  # where this process's time went (harness/run/timing.py merges them)
    phases.mkdir(exist_ok=True)
    (phases / f"{worker}.json").write_text(json.dumps(_BUDGETS[-1].phase_report()), encoding="utf-8")


def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    """Feature tags become markers (for `-m` selection by object and field); register them as they appear."""
    marker = getattr(pytest.mark, tag)
    marker(function)
    return True


def pytest_configure(config: pytest.Config) -> None:
    # Tags are open-ended (every object and field): register the families so --strict-markers stays usable.
    for family in ("object", "field", "rule", "critical", "blocker", "normal", "minor", "reconciliation", "audit"):
        config.addinivalue_line("markers", f"{family}: UAT scenario tag")
    config.addinivalue_line("filterwarnings", "ignore::pytest.PytestUnknownMarkWarning")
