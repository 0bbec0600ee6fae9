"""`uat seed` and `uat cleanup`: representative data into the sandboxes (or a twin), and exactly that data out."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness.errors import UserError
from harness.paths import PROJECT_ROOT
from harness.run.context import REPORTS_DIR, RunLock
from harness.run.preflight import check_run_id, check_seed_size

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"
console = Console(stderr=True)


@contextlib.contextmanager
def _connected(profile_target: str, org: str) -> Iterator:
    """Sandboxes from the environment when credentials are set; else, for a twin profile, a twin for this command.
    Yields (sandboxes, description, whether the data outlives the command)."""
    from harness.sandboxes import connect
    from harness.sandboxes.credentials import has_credentials

    if has_credentials():
        yield connect(), "the sandboxes in the environment", True
        return
    if profile_target != "twin":
        raise UserError("environment: no credentials; export UAT_SF_* and UAT_HUBSPOT_TOKEN (see README, 'Real "
                        "sandboxes') or use a profile whose target.kind is twin")
    from harness.sandboxes.twin_start import start_twin
    from harness.sandboxes.twin_target import twin_credentials

    with start_twin(org) as twin:
        console.print("[yellow]no credentials set: seeding a twin started for this command (its data ends with it; "
                      "run `uat twin serve --env-file F` and `source F` to keep one)[/yellow]")
        yield connect(twin_credentials(twin.info())), f"a twin (org {org})", False


def seed(recipe: Path | None = typer.Option(None, help="seed recipe (default: the profile's seed.recipe)"),
         seed_value: int | None = typer.Option(None, "--seed", help="random seed (default: the profile's seed.seed)"),
         scale: float | None = typer.Option(None, help="multiply every count (default: the profile's seed.scale)"),
         profile: Path = typer.Option(DEFAULT_PROFILE, "--profile", "-p", help="integration profile (YAML)"),
         run_id: str | None = typer.Option(None, "--run", help="resume the interrupted seed of this run"),
         bulk_threshold: int = typer.Option(2000, help="records of one Salesforce object above which Bulk API 2.0 "
                                            "is used instead of sObject Collections"),
         plan_only: bool = typer.Option(False, "--plan", help="print the planned counts and stop; nothing is written"),
         allow_large: bool = typer.Option(False, "--allow-large", help="seed more than the ceiling for a shared "
                                          "sandbox")) -> None:
    """Seed representative data; every record goes into the run's ledger as it is created."""
    from harness.profile import load_profile
    from harness.run.context import RunContext, create_run, new_run_id, open_run
    from harness.seeder import load_recipe, plan_from_recipe, seed_sandboxes, write_manifest

    loaded = load_profile(profile)
    recipe_path = recipe or loaded.resolve(loaded.seed.recipe)
    parsed = load_recipe(recipe_path)
    seed_number = loaded.seed.seed if seed_value is None else seed_value
    factor = loaded.seed.scale if scale is None else scale
    if not factor > 0:  # NaN too
        raise UserError(f"--scale {factor}: give a positive number, e.g. 1 or 0.5")
    check_seed_size(parsed, factor, allow_large, f"{parsed.source} at scale {factor:g}")
    if run_id:
        check_run_id(run_id, "--run")
        if not (REPORTS_DIR / run_id / "seed-manifest.json").exists() and not (REPORTS_DIR / run_id / "ledger.jsonl").exists():
            raise UserError(f"--run {run_id}: no seed to resume in {REPORTS_DIR / run_id}; give a run id from reports/")
        context = open_run(REPORTS_DIR / run_id)
    else:  # the folder is made once the sandboxes answered: `--plan` and a failed connection write nothing
        fresh = new_run_id()
        context = RunContext(fresh, REPORTS_DIR / fresh)
    plan = plan_from_recipe(parsed, seed_number, factor, context.tag)
    if plan_only:
        sys.stdout.write(json.dumps({"counts": plan.counts(), "traits": plan.traits(), "records": len(plan.records),
                                     "plan_sha256": plan.fingerprint()}, indent=2) + "\n")
        return
    with _connected(loaded.target.kind, loaded.target.org) as (sandboxes, description, kept):
        if not run_id:
            context = create_run(run_id=context.run_id)
        console.print(f"run {context.run_id}: seeding {len(plan.records)} records into {description}")
        with Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=not console.is_terminal) as bars:
            tasks: dict[str, int] = {}

            def show(name: str, done: int, total: int) -> None:
                if name not in tasks:
                    tasks[name] = bars.add_task(name, total=total)
                bars.update(tasks[name], completed=done)

            result = seed_sandboxes(plan, sandboxes, context.ledger, progress=show, bulk_threshold=bulk_threshold,
                                    normalisation=loaded.normalisation)
        manifest = write_manifest(context.seed_manifest, parsed, plan, result, sandboxes, loaded)
    for name, reason in manifest["skipped"].items():
        console.print(f"[yellow]skipped[/yellow] {name}: {reason}")
    if manifest["variants_folded"]:
        console.print(f"{sum(manifest['variants_folded'].values())} spelling variant(s) written in their canonical "
                      "form where a restricted picklist would refuse them (variants_folded in the manifest)")
    if manifest["refused_count"]:
        named = "; ".join(f"{key} ({' '.join(str(error).split())[:120]})"
                          for key, error in list(manifest["refused"].items())[:3])
        console.print(f"[red]{manifest['refused_count']} of {len(plan.records)} record(s) refused by the "
                      f"platforms[/red]: {named}{' ...' if manifest['refused_count'] > 3 else ''}; all in "
                      f"{context.seed_manifest}")
    console.print(f"created {sum(manifest['created'].values())} of {len(plan.records)} planned records in "
                  f"{manifest['seconds']}s; API calls {manifest['seed_api_calls']}\nmanifest: {context.seed_manifest}")
    if kept:  # a twin started for the command took its data with it: nothing to clean
        console.print(f"clean up with: uat cleanup --run {context.run_id}")


def cleanup(run_id: str = typer.Option(..., "--run", help="run id (a folder under reports/)")) -> None:
    """Delete exactly what run RUN created, from its ledger, children first; safe to repeat and to resume."""
    from harness.run.cleanup import cleanup_run, cleanup_until_clean
    from harness.run.context import open_run
    from harness.sandboxes import connect

    run_dir = REPORTS_DIR / check_run_id(run_id, "--run")
    if not (run_dir / "ledger.jsonl").exists():
        raise UserError(f"--run {run_id}: no ledger at {run_dir / 'ledger.jsonl'}; give a run id from reports/")
    context = open_run(run_dir)
    sandboxes = connect()
    lock = RunLock(run_dir).acquire("--run")  # not while `uat run` or `--resume` is still writing to this run
    # Passes repeat while records remain, as at the end of `uat run`: throttling leaves some behind on one pass.
    result = cleanup_until_clean(lambda: cleanup_run(sandboxes, context.ledger, run_dir / "cleanup.jsonl"))
    console.print(f"deleted: {result.deleted}; already gone: {result.already_gone}; failed: {len(result.failed)}")
    for failure in result.failed[:20]:
        console.print(f"[red]failed[/red] {failure}")
    lock.release()
    if result.failed:
        raise typer.Exit(1)
