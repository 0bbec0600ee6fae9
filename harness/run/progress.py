"""What the terminal shows while the suite runs: scenarios done / total and the feature running now.

The suite runs in a pytest subprocess (runner.run_suite) whose output goes to pytest.log; the parent follows the run
folder instead: `results.jsonl` gains a line as each scenario ends, `progress.jsonl` (harness/run/progress_events.py)
says how many were selected and which feature starts. On a terminal that is a rich progress bar; in CI (stderr not
a terminal, or `CI` set, as GitHub Actions, GitLab and most CI services set it) plain lines, one per scenario, and
a line at least every few seconds while one runs long, so a log never looks stuck.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from harness.run.progress_events import EVENTS

HEARTBEAT_SECONDS = 5.0  # the longest a plain log stays silent while a scenario runs
POLL_SECONDS = 0.2


class SuiteDisplay(Protocol):
    def update(self, done: int, total: int | None, feature: str | None, finished: list[dict[str, Any]]) -> None:
        """`finished`: the results that arrived since the last call (`done` counts them all)."""

    def close(self) -> None:
        """The suite ended."""


class PlainLines:
    """One line per finished scenario (`12/57 Lead conversion: ... passed`), and a heartbeat line while waiting."""

    def __init__(self, say: Callable[[str], None], heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.say = say
        self.heartbeat = heartbeat
        self.started = self.spoken = time.monotonic()
        self.total: int | None = None

    def _say(self, line: str) -> None:
        self.say(line)
        self.spoken = time.monotonic()

    def update(self, done: int, total: int | None, feature: str | None, finished: list[dict[str, Any]]) -> None:
        of = f"/{total}" if total is not None else ""
        if total is not None and self.total is None:
            self.total = total
            self._say(f"suite: {total} scenario(s) selected")
        for number, result in enumerate(finished, start=done - len(finished) + 1):
            self._say(f"{number}{of} {result.get('feature')}: {result.get('scenario')} {result.get('outcome')}")
        if not finished and time.monotonic() - self.spoken >= self.heartbeat:
            elapsed = f"{time.monotonic() - self.started:.0f}s"
            if total is None:
                self._say(f"the suite is starting (pytest collects the scenarios), {elapsed}")
            elif done >= total:
                self._say(f"{done}{of} done, the suite is finishing, {elapsed}")
            else:
                self._say(f"{done}{of} running {feature or 'the first scenario'} ({elapsed})")

    def close(self) -> None:
        pass


class ProgressBar:
    """A rich progress bar on a terminal: scenarios done / total, the feature running now, elapsed time."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("scenarios"), TimeElapsedColumn(), console=console, transient=False)
        self.task = self.progress.add_task("starting the suite", total=None)
        self.progress.start()

    def update(self, done: int, total: int | None, feature: str | None, finished: list[dict[str, Any]]) -> None:
        self.progress.update(self.task, completed=done, total=total, description=feature or "starting the suite")
        for result in finished:  # a failure is worth a line that stays above the bar
            if result.get("outcome") == "failed":
                self.progress.console.print(f"[red]failed[/red] {result.get('feature')}: {result.get('scenario')}",
                                            soft_wrap=True, markup=True, highlight=False)

    def close(self) -> None:
        self.progress.stop()


def interactive(console: Console) -> bool:
    """A bar only where someone watches: a terminal, and not a CI job (whose log a bar would fill with frames)."""
    return console.is_terminal and not os.environ.get("CI")


def suite_display(console: Console, say: Callable[[str], None]) -> Callable[[], SuiteDisplay]:
    """What `uat run` shows during the suite, made when the suite starts (a bar must not outlive it)."""
    return (lambda: ProgressBar(console)) if interactive(console) else (lambda: PlainLines(say))


class SuiteFollower:
    """Reads the run folder's progress as the suite writes it: only lines written since it started (a resumed run's
    earlier results are not this suite's)."""

    def __init__(self, run_dir: Path) -> None:
        self.results = run_dir / "results.jsonl"
        self.events = run_dir / EVENTS
        self._offsets = {self.results: self._size(self.results), self.events: self._size(self.events)}
        self.done = 0
        self.total: int | None = None
        self.feature: str | None = None

    @staticmethod
    def _size(path: Path) -> int:
        return path.stat().st_size if path.exists() else 0

    def _new_lines(self, path: Path) -> list[dict[str, Any]]:
        if not path.exists():
            return []
        with path.open("rb") as handle:
            handle.seek(self._offsets[path])
            chunk = handle.read()
        complete = chunk[:chunk.rfind(b"\n") + 1]  # a line still being written is read next time
        self._offsets[path] += len(complete)
        out = []
        for line in complete.decode("utf-8", errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out

    def poll(self) -> list[dict[str, Any]]:
        """Read what arrived since the last poll; returns the scenarios that finished meanwhile."""
        for event in self._new_lines(self.events):
            if "total" in event:
                self.total = int(event["total"])
            if "running" in event:
                self.feature = str(event["running"])
        finished = self._new_lines(self.results)
        self.done += len(finished)
        return finished


def follow_suite(command: list[str], cwd: Path, env: dict[str, str], log: IO[str], run_dir: Path,
                 display: SuiteDisplay, preexec_fn: Callable[[], Any] | None = None) -> int:
    """Run the suite's process to its end, telling the display what it has done so far."""
    follower = SuiteFollower(run_dir)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec_fn)
    try:
        while True:
            finished = process.poll() is not None
            finished_now = follower.poll()
            display.update(follower.done, follower.total, follower.feature, finished_now)
            if finished:
                return process.returncode
            time.sleep(POLL_SECONDS)
    except BaseException:  # Ctrl-C reaches the suite too: a moment to stop cleanly, then it ends with us
        try:
            process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    finally:
        display.close()
