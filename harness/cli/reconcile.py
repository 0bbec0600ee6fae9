"""`uat reconcile [--scope all|run] [--profile P] [--run RUN]`: reconcile both sides, outside a run.

`all` (whole population): every record of each reconciled object, extracted with Salesforce Bulk 2.0 query jobs
and HubSpot CRM exports, compared in DuckDB (docs/reconciliation.md). `run`: the records a run's ledger lists and
their counterparts, as `uat run` reconciles them. The default is the profile's `reconciliation.scope`. On the twin
(the profile's `target.kind: twin`) a twin is started for the command, as `uat lint --against` does; give
`--state-dir` to reconcile a twin's saved state (e.g. one `uat twin serve --state-dir` filled). Exit 0 when the
reconciliation is clean, 1 when it is not.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import typer

from harness.errors import UserError
from harness.paths import PROJECT_ROOT, REPORTS

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"
SCOPES = ("all", "run")


def reconcile(scope: str | None = typer.Option(None, "--scope", help="all: every record of each reconciled object; "
                                               "run: a run's records (default: the profile's reconciliation.scope)"),
              profile: Path = typer.Option(DEFAULT_PROFILE, "--profile", help="integration profile (YAML)"),
              run: str | None = typer.Option(None, "--run", help="with --scope run: the run id (a folder under "
                                             "reports/), or 'latest'"),
              out: Path | None = typer.Option(None, "--out", help="folder for the report files (default: "
                                              "reports/reconcile/<time>-<scope>)"),
              org: str | None = typer.Option(None, help="twin only: the org fixture (default: the profile's)"),
              state_dir: Path | None = typer.Option(None, "--state-dir", help="twin only: reconcile the twin state "
                                                    "kept in DIR (as `uat twin serve --state-dir DIR` left it)")) -> None:
    """Reconcile HubSpot and Salesforce: counts, orphans by class, key totals and every mapped field."""
    from harness.profile import load_profile

    if scope is not None and scope not in SCOPES:
        raise UserError(f"--scope {scope!r}: use all or run")
    loaded = load_profile(profile)
    chosen = scope or (loaded.reconciliation.scope if loaded.reconciliation else "run")
    entries = None
    if chosen == "run":
        entries = _ledger_entries(run)
    elif run is not None:
        raise UserError("--run names a run's records: use it with --scope run")
    if state_dir is not None and not (state_dir / "twin.sqlite3").exists():
        raise UserError(f"--state-dir {state_dir}: no twin state there (twin.sqlite3); give the folder "
                        "`uat twin serve --state-dir` used")
    folder = out or REPORTS / "reconcile" / f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{chosen}"
    from harness.reconcile.tables import summary_table
    from harness.reconcile.whole import reconcile_whole

    with _connected(loaded, org, state_dir) as (sandboxes, target):
        started = time.perf_counter()
        report = reconcile_whole(sandboxes, loaded, folder, chosen, entries)
        elapsed = time.perf_counter() - started
    print(f"Reconciliation ({chosen}) of {target} in {elapsed:.1f} s")
    print(summary_table(report.objects))
    orphans = {k: n for k, n in report.orphans.by_class().items() if n}
    print("Orphans: " + (", ".join(f"{k} {n}" for k, n in orphans.items()) if orphans else "none"))
    print(f"{'CLEAN' if report.clean else 'NOT CLEAN'}: report in {folder}")
    sys.stdout.flush()
    raise typer.Exit(0 if report.clean else 1)


def _ledger_entries(run: str | None) -> list:
    from harness.run.context import REPORTS_DIR, open_run
    from harness.run.preflight import check_run_id

    if run is None:
        raise UserError("--scope run: name the run whose records to reconcile with --run RUN (or --run latest)")
    folder = (REPORTS_DIR / run).resolve() if run == "latest" else REPORTS_DIR / check_run_id(run, "--run")
    if not (folder / "ledger.jsonl").exists():
        raise UserError(f"--run {run}: no ledger at {folder / 'ledger.jsonl'}; give a run id from reports/")
    return open_run(folder).ledger.entries()


@contextlib.contextmanager
def _connected(profile: object, org: str | None, state_dir: Path | None) -> Iterator[tuple[object, str]]:
    from harness.run.runner import target

    if state_dir is None:
        with target(profile, org) as (_environment, sandboxes, described):  # type: ignore[arg-type]
            yield sandboxes, described
        return
    from harness.sandboxes import connect
    from harness.sandboxes.twin_start import start_twin
    from harness.sandboxes.twin_target import twin_credentials

    name = org or profile.target.org  # type: ignore[attr-defined]
    with start_twin(name, state_dir=state_dir) as twin:
        yield connect(twin_credentials(twin.info())), f"the twin (org {name}, state {state_dir})"
