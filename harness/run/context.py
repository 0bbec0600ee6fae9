"""One run's identity and folder: `reports/<run-id>/`, and `reports/latest` pointing at the newest.

The folder's file names are a contract other tools and users rely on (see README, 'The run folder').
"""

from __future__ import annotations

import fcntl
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harness.errors import UserError
from harness.paths import PROJECT_ROOT
from harness.run.ledger import Ledger

REPORTS_DIR = PROJECT_ROOT / "reports"


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


@dataclass
class RunContext:
    run_id: str
    run_dir: Path

    @property
    def tag(self) -> str:
        """The run's tag in test data (e-mail plus-addresses): short, lower-case, unique per run."""
        return "uat" + self.run_id.replace("-", "")[-10:].lower()

    @property
    def ledger(self) -> Ledger:
        return Ledger(self.run_dir / "ledger.jsonl", self.run_id)

    @property
    def allure_results(self) -> Path:
        return self.run_dir / "allure-results"

    @property
    def allure_report(self) -> Path:
        return self.run_dir / "allure-report"

    @property
    def results_file(self) -> Path:
        return self.run_dir / "results.jsonl"

    @property
    def seed_manifest(self) -> Path:
        return self.run_dir / "seed-manifest.json"


def create_run(reports_dir: Path = REPORTS_DIR, run_id: str | None = None) -> RunContext:
    run_id = run_id or new_run_id()
    run_dir = reports_dir / run_id
    (run_dir / "allure-results").mkdir(parents=True, exist_ok=True)
    return RunContext(run_id, run_dir)


def open_run(run_dir: Path) -> RunContext:
    return RunContext(run_dir.name, run_dir)


def point_latest(context: RunContext) -> None:
    """`reports/latest` -> this run (a relative symlink, replaced atomically)."""
    latest = context.run_dir.parent / "latest"
    temporary = context.run_dir.parent / f".latest-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(context.run_dir.name)
    os.replace(temporary, latest)


LOCK_FILE = "run.lock"


class RunLock:
    """One process per run id: an exclusive lock on `reports/<id>/run.lock`, held for the whole run.

    flock, not a pid file: the kernel releases it when the holder dies, kill -9 included, so a crashed run never
    leaves a stale lock behind. The file says who holds it, for the second process's one-line refusal."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOCK_FILE
        self._handle: int | None = None

    def acquire(self, option: str) -> RunLock:
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode("utf-8", errors="replace").strip() or "another process"
            os.close(descriptor)
            raise UserError(f"{option} {self.path.parent.name}: the run is in progress in {holder}; wait for it to "
                            "end (or stop it) before resuming") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"process {os.getpid()} (uat run, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} "
                              "UTC)".encode(), 0)
        self._handle = descriptor
        return self

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing the descriptor drops the flock
            self._handle = None

    # A run refused after the lock was taken (a connection check failed) drops it with the object, not at exit.
    __del__ = release
