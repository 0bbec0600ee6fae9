"""Interrupted runs: what phase a run reached, how to finish it (`uat run --resume RUN`), and the run's
infrastructure failures told apart from integration defects.

`run-state.json` in the run folder records the run's options and each phase as it starts and ends (written
atomically and fsynced). A resumed run repeats nothing that is done and duplicates nothing that is half done:

- seeding: the seeder skips what the ledger holds and looks up what the journal says was sent but never answered;
- the suite: scenarios with a result in `results.jsonl` are deselected; the rest run (their records from the
  interrupted attempt are in the ledger, so cleanup removes them);
- cleanup: `cleanup.jsonl` says what is already gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.errors import UserError
from harness.report.results import read_results
from harness.run_context import REPORTS_DIR, RunContext, open_run

STATE_FILE = "run-state.json"
SCENARIO_JOURNAL = "scenario-journal.jsonl"
PHASES = ("seed", "suite", "signoff", "cleanup")
INFRASTRUCTURE = {"infrastructure": "platform unavailable (5xx, connection reset)", "rate_limit": "rate limit"}
RESUMABLE_OPTIONS = ("profile", "org", "keep_data", "workers", "marker", "keyword", "allure_html", "selection", "faults")


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
        self.data["options"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in values.items()
                                if k in RESUMABLE_OPTIONS}
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


def resumed_options(run_id: str, faults: str | None = None, reports_dir: Path = REPORTS_DIR) -> Any:
    """The options the interrupted run was started with; `faults` replaces its fault profile (`none`: no faults)."""
    from harness.runner import RunOptions

    _context, state = open_for_resume(run_id, reports_dir)
    saved = state.options
    if not saved.get("profile"):
        raise UserError(f"--resume {run_id}: {STATE_FILE} names no profile; the run was interrupted before it began")
    saved["profile"] = Path(saved["profile"])
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


def infrastructure_failures(context: RunContext) -> list[str]:
    """Failed scenarios whose cause was the platforms, not the integration: one line for the verdict."""
    failed = [r for r in read_results(context.results_file) if r.outcome == "failed" and r.category in INFRASTRUCTURE]
    if not failed:
        return []
    kinds = Counter(INFRASTRUCTURE[r.category] for r in failed)
    named = ", ".join(f"{kind} x{count}" for kind, count in kinds.most_common())
    return [f"{len(failed)} scenario(s) failed on infrastructure, not on integration defects ({named}): "
            + "; ".join(r.scenario for r in failed[:5]) + (" ..." if len(failed) > 5 else "")]


def describe_failure(phase: str, error: BaseException) -> str:
    """An infrastructure failure that stopped a phase, in one line (no traceback: the reader is a QA lead)."""
    from harness.report.categories import classify

    text = " ".join(str(error).split())
    kind = INFRASTRUCTURE.get(classify(f"{type(error).__name__}: {text}"), "platform failure")
    content = getattr(error, "content", None)
    code = content[0].get("errorCode") if isinstance(content, list) and content and isinstance(content[0], dict) else None
    status = getattr(error, "status", None)
    detail = code or (f"HTTP {status}" if status else None) or f"{type(error).__name__}: {text[:160]}"
    return (f"{phase} stopped: {kind} outlasted the retries ({detail}); an infrastructure failure, not an "
            "integration defect")


@contextlib.contextmanager
def interruption_hint(run_id: str, target_kind: str, progress: Callable[[str], None]) -> Iterator[None]:
    """On Ctrl-C, say how to finish the run before the CLI prints 'interrupted' (exit 130)."""
    try:
        yield
    except KeyboardInterrupt:
        if target_kind == "twin":
            progress(f"run {run_id} interrupted; the twin started for it stopped with it, taking its data along")
        else:
            progress(f"run {run_id} interrupted; finish it with `uat run --resume {run_id}`, or remove what it "
                     f"created with `uat cleanup --run {run_id}`")
        raise


def die_with_parent() -> None:
    """preexec_fn for the suite's subprocess: a SIGKILLed `uat run` takes its pytest with it (Linux
    PR_SET_PDEATHSIG), so nothing keeps writing to the sandboxes behind a run being resumed."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def cleanup_until_clean(clean: Callable[[], Any], passes: int = 5) -> Any:
    """Repeat a resumable cleanup while records remain (throttling and 5xx leave some behind on a pass)."""
    result = clean()
    for _ in range(passes - 1):
        if not result.failed:
            break
        retry = clean()
        for key, count in retry.deleted.items():
            result.deleted[key] = result.deleted.get(key, 0) + count
        result.already_gone += retry.already_gone
        result.failed = retry.failed
    return result


# -- scenario creates in doubt --------------------------------------------------------------------------------
def intend(run_dir: Path | None, system: str, object_name: str, values: dict[str, Any]) -> str | None:
    """Before a scenario creates a record: its identifying values, fsynced, under a key its ledger entry will
    carry. A run killed between the platform's answer and the ledger write leaves an intent with no entry:
    cleanup then looks the record up (`creates_in_doubt`) instead of leaving it behind."""
    if run_dir is None:
        return None
    from harness.sandboxes.hubspot import IDENTIFYING_PROPERTY
    from harness.sandboxes.salesforce import IDENTIFYING_FIELDS

    names = IDENTIFYING_FIELDS if system == "salesforce" else (IDENTIFYING_PROPERTY.get(object_name),)
    key = f"scenario:{os.urandom(8).hex()}"
    line = json.dumps({"key": key, "system": system, "object": object_name, "at": time.time(),
                       "values": {n: values[n] for n in names if n and isinstance(values.get(n), str)}})
    with (run_dir / SCENARIO_JOURNAL).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def creates_in_doubt(sandboxes: Any, run_dir: Path, entries: list[Any]) -> list[tuple[str, str, str, str]]:
    """Scenario creates that were sent but never reached the ledger, found on the platform by their identifying
    values: (system, object, id, key) to add to the ledger."""
    path = run_dir / SCENARIO_JOURNAL
    if not path.exists():
        return []
    recorded = {e.key for e in entries if e.key}
    taken = {e.id for e in entries}
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            intent = json.loads(line)
        except json.JSONDecodeError:
            continue  # torn by a kill: that create was never sent
        if intent["key"] in recorded or not intent.get("values"):
            continue
        if intent["system"] == "salesforce":
            record_id = sandboxes.salesforce.find_created(intent["object"], intent["values"], intent["at"], taken)
        else:
            record_id = sandboxes.hubspot.find_created(intent["object"], intent["values"], taken)
        if record_id:
            taken.add(record_id)
            found.append((intent["system"], intent["object"], record_id, intent["key"]))
    return found
