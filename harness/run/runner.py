"""`uat run`: profile -> connect (twin or sandboxes) -> seed -> Gherkin suite -> reports -> cleanup.

The suite runs in a pytest subprocess with the target's credentials in its environment (never on its command
line, never in a file of the run folder), so a real-sandbox run and a twin run differ only in where those
credentials came from.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.audit.evidence import configuration_evidence
from harness.errors import UserError
from harness.lint import lint_profile
from harness.paths import PROJECT_ROOT
from harness.profile import Profile, load_profile
from harness.report.publish import publish_signoff, render_reports
from harness.run.allure_beside import AllureBeside
from harness.run.change import MappingChangeSet, apply_to_connector, check_applied, load_changes
from harness.run.cleanup import CleanupResult, cleanup_run, cleanup_until_clean
from harness.run.context import REPORTS_DIR, RunContext, RunLock, create_run, new_run_id, point_latest
from harness.run.faults import FaultInjection, FaultProfile, describe_counts, load_fault_profile, write_fault_counts
from harness.run.infrastructure import describe_failure, infrastructure_failures
from harness.run.options import RunOptions
from harness.run.preflight import (
    check_expression,
    check_owners,
    check_run_id,
    check_seed_size,
    check_suite,
    check_workers,
)
from harness.run.progress import PlainLines, SuiteDisplay, follow_suite
from harness.run.redaction import redact_tree
from harness.run.state import RunState, deselect_arguments, open_for_resume, refuse_twin_resume
from harness.run.suite_process import die_with_parent, interruption_hint
from harness.run.timing import phase_table, suite_phases
from harness.sandboxes import ApiBudget, Sandboxes, connect
from harness.sandboxes.credentials import check_pacing, credentials_from_env
from harness.sandboxes.twin_target import twin_credentials, twin_environment
from harness.seeder import load_recipe, plan_from_recipe, seed_sandboxes
from harness.seeder.plan import SeedPlan
from harness.seeder.recipe import Recipe
from harness.seeder.seeder import write_manifest
from harness.signoff.record import RunEvidence, SignOff, load_signoff

SUITE = "steps/test_uat_suite.py"


@dataclass
class RunOutcome:
    context: RunContext
    signoff: SignOff
    cleanup: CleanupResult | None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if self.signoff.verdict == "GO" else 1


@contextlib.contextmanager
def target(profile: Profile, org: str | None,
           budget: ApiBudget | None = None) -> Iterator[tuple[dict[str, str], Sandboxes, str]]:
    """Yield (environment for the suite, connected sandboxes, a description of the target)."""
    if profile.target.kind == "twin":
        from harness.sandboxes.twin_start import start_twin  # deferred: a real-sandbox run never loads the twin

        with start_twin(org or profile.target.org, sync=profile.target.sync) as twin:
            info = twin.info()
            yield twin_environment(info), connect(twin_credentials(info), budget), f"the twin (org {twin.org})"
        return
    credentials = credentials_from_env()
    sandboxes = connect(credentials, budget)
    yield {}, sandboxes, (f"Salesforce sandbox {sandboxes.organization.get('Id')} and HubSpot portal "
                          f"{sandboxes.portal.get('portalId')}")


def run_suite(context: RunContext, profile: Profile, environment: dict[str, str], options: RunOptions,
              display: SuiteDisplay | None = None) -> int:
    env = {**os.environ, **environment, "UAT_RUN_DIR": str(context.run_dir), "UAT_PROFILE": str(profile.source)}
    # --tb=short: pytest's long tracebacks print every function's arguments, and the clients' own frames hold the
    # Authorization header; short ones still give file, line and message (docs/reliability.md, "Secrets").
    command = [sys.executable, "-m", "pytest", SUITE, f"--alluredir={context.allure_results}", "-p", "no:cacheprovider",
               "-p", "harness.run.progress_events",  # tells the parent the total and the feature running now
               # installed plugins the suite does not use: pytest assertion-rewrites every module of a plugin's
               # package as it is imported (Faker's and Hypothesis's: 1.4 s of each suite's start-up)
               "-p", "no:faker", "-p", "no:hypothesispytest",
               "-q", "--no-header", "-rN", "-o", "console_output_style=classic", "--tb=short"]
    if options.workers:
        command += ["-n", options.workers, "--dist", "load"]
    if options.marker:
        command += ["-m", options.marker]
    if options.keyword:
        command += ["-k", options.keyword]
    command += deselect_arguments(context)  # a resumed run: scenarios that already have a result
    with (context.run_dir / "pytest.log").open("a", encoding="utf-8") as log:
        return follow_suite(command, PROJECT_ROOT, env, log, context.run_dir, display or PlainLines(lambda _line: None),
                            preexec_fn=die_with_parent)


def run_faults(options: RunOptions, profile: Profile) -> FaultProfile | None:
    """The command line's `--faults`, else the profile's `target.faults` (its file relative to the profile)."""
    if options.faults:
        return load_fault_profile(options.faults)
    if profile.target.faults:
        return load_fault_profile(profile.target.faults,
                                  f"{profile.source}:{profile.line('target', 'faults')}: target.faults",
                                  relative_to=profile.source.parent)
    return None


@dataclass
class Checked:
    """What the preflight read and checked: everything a run needs before it connects anywhere."""

    profile: Profile
    recipe: Recipe
    faults: FaultProfile | None
    plan: SeedPlan
    run_id: str
    changes: list[MappingChangeSet] = field(default_factory=list)  # --impacted-by: the mapping change under test


def preflight(options: RunOptions) -> Checked:
    """Every option and setting, before any connection and any write (docs/reliability.md, "Bad input"): the
    command line's, the profile and its mapping CSVs, the seed recipe (its owners and its size), the feature files
    and the fault profile."""
    if options.resume:
        check_run_id(options.resume)
    check_workers(options.workers)
    check_pacing()
    check_expression("-m", options.marker)
    check_expression("-k", options.keyword)
    profile = load_profile(options.profile)
    recipe = load_recipe(profile.resolve(profile.seed.recipe))
    check_owners(recipe, profile)
    # A resumed run's size was accepted when it started; the absolute limit still holds.
    check_seed_size(recipe, profile.seed.scale, options.allow_large or bool(options.resume),
                    f"{recipe.source} at seed.scale {profile.seed.scale:g} ({profile.source}:"
                    f"{profile.line('seed', 'scale')})")
    check_suite()  # feature files parse and every step is bound
    fault_profile = run_faults(options, profile)
    if options.resume:
        refuse_twin_resume(options.resume, profile.target.kind)
    run_id = options.resume or new_run_id()
    plan = plan_from_recipe(recipe, profile.seed.seed, profile.seed.scale, RunContext(run_id, Path()).tag)
    return Checked(profile, recipe, fault_profile, plan, run_id, load_changes(profile, options.impacted_by))


def seed_losses(plan: SeedPlan, refused: dict[str, str]) -> dict[str, Any]:
    """Records the platforms refused, counted and named: a seed that lost some is a smaller population than the
    recipe describes, and the sign-off says so (exit criterion "Seed records lost")."""
    return {"planned": len(plan.records), "lost": len(refused),
            "examples": dict(sorted(refused.items())[:10])}


def execute(options: RunOptions, progress: Callable[[str], None] = lambda _message: None,
            display: Callable[[], SuiteDisplay] | None = None) -> RunOutcome:
    """`progress` says what the run is doing, a line at a time; `display` makes what the terminal shows while the
    suite runs (harness/run/progress.py; default: plain lines through `progress`)."""
    timings: dict[str, float] = {}
    started = time.monotonic()
    budget = ApiBudget()  # the run's calls, and where its time went (phases; harness/run/timing.py)
    opening = contextlib.ExitStack()  # preflight: the checks, the twin's start and both connections
    opening.enter_context(budget.phase("preflight"))
    checked = preflight(options)
    profile, recipe, fault_profile, plan = checked.profile, checked.recipe, checked.faults, checked.plan
    lock: RunLock | None = None
    if options.resume:  # locked before connecting: a second resume of a run in progress is told at once
        open_for_resume(checked.run_id)  # what is wrong with the id, before anything is created in its folder
        lock = RunLock(REPORTS_DIR / checked.run_id).acquire("--resume")
    infrastructure: list[str] = []
    cleanup: CleanupResult | None = None
    allure: AllureBeside | None = None
    injection: FaultInjection | None = None
    losses: dict[str, Any] | None = None
    with target(profile, options.org, budget) as (environment, sandboxes, description), \
            contextlib.ExitStack() as faults_on:
        timings["connect"] = time.monotonic() - started
        # The change a regression run tests, on the connector before anything is written: applied through the
        # control plane (the twin), else confirmed in the connector's mapping export (a refusal is bad input).
        changed = the_change(checked.changes, sandboxes, profile)
        if fault_profile:  # the twin's control plane checks the switches: a refusal is bad input, still unwritten
            injection = faults_on.enter_context(FaultInjection(fault_profile, sandboxes.control))
            description += f", under {fault_profile.describe()}"
        # Only now, with every check and both connections passed, is anything written: the run folder.
        if lock is not None:
            context, state = open_for_resume(checked.run_id)  # read under the lock
        else:
            context = create_run(run_id=checked.run_id)
            lock = RunLock(context.run_dir).acquire("run")
            state = RunState(context)
            state.remember(options)
        faults_on.callback(lock.release)
        progress(f"run {context.run_id}: {context.run_dir}")
        progress(f"connected to {description}")
        faults_on.enter_context(interruption_hint(context.run_id, profile.target.kind, progress))
        sandboxes.budget.limits = {"salesforce": profile.api_budget.salesforce, "hubspot": profile.api_budget.hubspot}
        for line in changed:
            progress(line)
        if fault_profile:
            progress(f"faults on: {fault_profile.describe()}")
        opening.close()
        try:
            progress(f"seeding {len(plan.records)} records")
            with state.phase("seed"), budget.phase("seed"):
                seeded = seed_sandboxes(plan, sandboxes, context.ledger, normalisation=profile.normalisation)
                write_manifest(context.seed_manifest, recipe, plan, seeded, sandboxes, profile)
            losses = seed_losses(plan, seeded.refused)
            progress(f"seeded {len(seeded.created)} records" + _lost(losses))
        except (UserError, KeyboardInterrupt):
            raise
        except Exception as error:  # throttling or outages outlasted the retries: a verdict, not a traceback
            infrastructure.append(describe_failure("seeding", error))
        timings["seed"] = time.monotonic() - started - timings["connect"]
        mark = time.monotonic()
        if not infrastructure and not state.done("suite"):
            with state.phase("suite"), budget.phase("suite"):
                progress("starting the suite (pytest)")
                code = run_suite(context, profile, environment, options,
                                 display() if display else PlainLines(progress))
            if code not in (0, 1, 5):
                infrastructure.append(f"pytest exited with code {code}; see {context.run_dir / 'pytest.log'}")
        timings["suite"] = time.monotonic() - mark
        infrastructure.extend(infrastructure_failures(context))
        if injection is not None and infrastructure:
            infrastructure.append(injection.summary())
        for usage in sorted((context.run_dir / "api-usage").glob("*.json")):
            sandboxes.budget.absorb(json.loads(usage.read_text(encoding="utf-8")))
        progress("reading the automation catalogue and duplicate rules")
        with budget.phase("audit"):  # the automation catalogue and duplicate rules the root causes name
            configuration = configuration_evidence(sandboxes, profile)
        evidence = RunEvidence(infrastructure_errors=infrastructure, api_calls=sandboxes.budget.report(),
                               sync_health=sandboxes.control.health() if sandboxes.control is not None else None,
                               selection=_with_change(options.selection or _selection(options), changed), lint=_lint_findings(profile),
                               seed_loss=losses, configuration=configuration)
        progress("writing the sign-off report")
        with state.phase("signoff"), budget.phase("reports"):
            report = publish_signoff(context, profile, description, evidence, sandboxes.organization, sandboxes.portal)
        if options.allure_html:
            progress("generating the Allure HTML report (beside cleanup)")
            allure = AllureBeside(context, profile).start()
        if not options.keep_data:
            mark = time.monotonic()
            progress("cleaning up the records this run created (from its ledger)")
            with state.phase("cleanup"), budget.phase("cleanup"):
                cleanup = cleanup_until_clean(
                    lambda: cleanup_run(sandboxes, context.ledger, context.run_dir / "cleanup.jsonl"))
            timings["cleanup"] = time.monotonic() - mark
        if allure is not None:  # before the redaction pass, so it covers the HTML report too
            timings["allure"] = allure.finish(progress)
        if injection is not None:
            progress(describe_counts(write_fault_counts(context.run_dir, injection.stop())))
        with budget.phase("reports"):
            masked = redact_tree(context.run_dir, sandboxes.credentials.secrets())  # the safety net: should mask nothing
        if masked:
            progress(f"credentials found and masked in the run folder (please report): {masked}")
    report = record_phases(context, phase_table(budget.phase_report(), suite_phases(context.run_dir)))
    point_latest(context)
    timings["total"] = time.monotonic() - started
    return RunOutcome(context, report, cleanup, timings)


def record_phases(context: RunContext, phases: list[dict[str, Any]]) -> SignOff:
    """The phase table into signoff.json and the sign-off reports, once every phase (cleanup too) has ended."""
    report = load_signoff(context.run_dir)
    report.timings = phases
    return render_reports(context.run_dir, report)


def _lost(losses: dict[str, Any]) -> str:
    if not losses["lost"]:
        return ""
    named = "; ".join(f"{key} ({' '.join(error.split())[:120]})" for key, error in list(losses["examples"].items())[:3])
    return (f"; {losses['lost']} of {losses['planned']} refused by the platforms: {named}"
            + (" ..." if losses["lost"] > 3 else "") + " (all in seed-manifest.json)")


def _lint_findings(profile: Profile) -> list:
    """The governance lint of the profile, for the sign-off report."""
    return lint_profile(profile)


def the_change(changes: list[MappingChangeSet], sandboxes: Sandboxes, profile: Profile) -> list[str]:
    """Progress lines, one per changed mapping row: applied to the connector, or found in its mapping export."""
    if not any(c.changes for c in changes):
        return []
    if sandboxes.control is not None:
        return [f"applied to the connector: {line}" for line in apply_to_connector(sandboxes.control, changes)]
    return [f"confirmed on the connector: {line}" for line in check_applied(profile, changes)]


def _with_change(selection: str | None, changed: list[str]) -> str | None:
    if not changed:
        return selection
    return "; ".join([*([selection] if selection else []), *changed])


def _selection(options: RunOptions) -> str | None:
    parts = [f"-m {options.marker}" if options.marker else "", f"-k {options.keyword}" if options.keyword else ""]
    return " ".join(p for p in parts if p) or None


def ensure_profile(path: Path) -> Path:
    if not path.exists():
        raise UserError(f"{path}: profile not found; pass --profile PATH or create fixtures/profiles/default.yaml")
    return path
