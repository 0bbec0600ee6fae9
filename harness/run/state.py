"""Interrupted runs: what phase a run reached and how to finish it (`uat run --resume RUN`).

`run-state.json` in the run folder records the run's options and each phase as it starts and ends (written
atomically and fsynced). A resumed run repeats nothing that is done and duplicates nothing that is half done:

- seeding: the seeder skips what the ledger holds and looks up what the journal says was sent but never answered;
- the suite: scenarios with a result in `results.jsonl` are deselected; the rest run (their records from the
  interrupted attempt are in the ledger, so cleanup removes them);
- cleanup: `cleanup.jsonl` says what is already gone.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.errors import UserError
from harness.run.context import REPORTS_DIR, RunContext, open_run
from harness.run.options import RunOptions
from harness.signoff.results import read_results

STATE_FILE = "run-state.json"
PHASES = ("seed", "suite", "signoff", "cleanup")
RESUMABLE_OPTIONS = ("profile", "org", "keep_data", "workers", "marker", "keyword", "allure_html", "selection", "faults",
                     "impacted_by")


class RunState:
    """The run's options and phases, durable across a SIGKILL (temp file, fsync, atomic rename)."""

    def __init__(self, context: RunContext) -> None:
        self.context = context
        self.path = context.run_dir / STATE_FILE
        self.data: dict[str, Any] = {"run_id": context.run_id, "options": {}, "started": [], "done": []}
        if self.path.exists():
            with contextlib.suppress(json.JSONDecodeError):
                self.data.update(json.loads(self.path.read_text(encoding="utf-8")))

    def _save(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=2, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    def remember(self, options: Any) -> None:
        values = asdict(options) if hasattr(options, "__dataclass_fields__") else dict(options)
        self.data["options"] = {k: _plain(v) for k, v in values.items() if k in RESUMABLE_OPTIONS}
        self._save()

    def done(self, phase: str) -> bool:
        return phase in self.data["done"]

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if name not in self.data["started"]:
            self.data["started"].append(name)
            self._save()
        yield
        if name not in self.data["done"]:
            self.data["done"].append(name)
            self._save()

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.data.get("options") or {})


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def open_for_resume(run_id: str, reports_dir: Path = REPORTS_DIR) -> tuple[RunContext, RunState]:
    run_dir = reports_dir / run_id
    if not (run_dir / STATE_FILE).is_file():
        hint = " (it has a ledger: `uat cleanup --run " + run_id + "` removes its records)" \
            if (run_dir / "ledger.jsonl").exists() else ""
        raise UserError(f"--resume {run_id}: no {STATE_FILE} in {run_dir}; give the id of a run started by `uat run` "
                        f"(a folder under reports/){hint}")
    context = open_run(run_dir)
    state = RunState(context)
    if state.done("cleanup") or (state.done("signoff") and state.options.get("keep_data")):
        raise UserError(f"--resume {run_id}: that run finished; its reports are in {run_dir}")
    return context, state


def resumed_options(run_id: str, faults: str | None = None, reports_dir: Path = REPORTS_DIR) -> RunOptions:
    """The options the interrupted run was started with; `faults` replaces its fault profile (`none`: no faults)."""
    _context, state = open_for_resume(run_id, reports_dir)
    saved = state.options
    if not saved.get("profile"):
        raise UserError(f"--resume {run_id}: {STATE_FILE} names no profile; the run was interrupted before it began")
    saved["profile"] = Path(saved["profile"])
    # A regression run's change is confirmed again on resume (sandboxes: the mapping export must still show it).
    saved["impacted_by"] = [Path(p) for p in saved.get("impacted_by") or []]
    saved["faults"] = faults or saved.get("faults")
    return RunOptions(**saved, resume=run_id)


def refuse_twin_resume(run_id: str, target_kind: str) -> None:
    """A twin started by `uat run` ends with it: after an interruption there is nothing left to finish."""
    if target_kind == "twin":
        raise UserError(f"--resume {run_id}: the run's target was a twin started for it, and its data ended with that "
                        "process; to make runs resumable, serve one with `uat twin serve --state-dir DIR`, export its "
                        "details (UAT_SF_*, UAT_HUBSPOT_*, UAT_CA_BUNDLE, UAT_TWIN_CONTROL_*) and use a profile with "
                        "target.kind: sandboxes")


def completed_scenarios(context: RunContext) -> list[str]:
    """Node ids that already have a result: a resumed suite deselects them."""
    return sorted({r.nodeid for r in read_results(context.results_file)})


def deselect_arguments(context: RunContext) -> list[str]:
    return [argument for nodeid in completed_scenarios(context) for argument in ("--deselect", nodeid)]
