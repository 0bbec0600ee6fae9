"""The API-call budget of one run: every call the harness makes, per system, reported at the end; and where the
run's time went, per phase (its wall time, its API calls, and the time it spent waiting, by kind).

Waiting is measured where it happens and charged to the phase that is current then: `sync` (the waiter polling
out the sync window, nudged cycles included), `pacing` (client-side rate limiting), `backoff` (retries after a
429, a 5xx or a dropped connection).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

WAIT_KINDS = ("sync", "pacing", "backoff")


@dataclass
class PhaseCost:
    """One phase: exclusive wall seconds (nested phases are their own rows), calls, retries and waits."""

    name: str
    seconds: float = 0.0
    calls: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)
    waited: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"phase": self.name, "seconds": round(self.seconds, 3), "calls": dict(sorted(self.calls.items())),
                "retries": dict(sorted(self.retries.items())),
                "waited": {kind: round(self.waited[kind], 3) for kind in WAIT_KINDS if self.waited[kind]}}


@dataclass
class ApiBudget:
    limits: dict[str, int] = field(default_factory=dict)  # system -> allowed calls for this run (0 = unlimited)
    used: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)
    phases: dict[str, PhaseCost] = field(default_factory=dict)  # in the order they first started
    _stack: list[tuple[str, float]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _current(self) -> PhaseCost:
        name = self._stack[-1][0] if self._stack else "other"
        return self.phases.setdefault(name, PhaseCost(name))

    def spend(self, system: str, calls: int = 1) -> None:
        with self._lock:
            self.used[system] += calls
            if calls:
                self._current().calls[system] += calls

    def retried(self, system: str) -> None:
        with self._lock:
            self.retries[system] += 1
            self._current().retries[system] += 1

    def waited(self, kind: str, seconds: float) -> None:
        """Time spent waiting (one of WAIT_KINDS), charged to the current phase."""
        if seconds > 0:
            with self._lock:
                self._current().waited[kind] += seconds

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Charge what happens inside to `name`; the enclosing phase keeps only its own (exclusive) time."""
        now = time.monotonic()
        with self._lock:
            if self._stack:  # the enclosing phase's time so far is its own
                outer, since = self._stack[-1]
                self.phases.setdefault(outer, PhaseCost(outer)).seconds += now - since
            self.phases.setdefault(name, PhaseCost(name))
            self._stack.append((name, now))
        try:
            yield
        finally:
            now = time.monotonic()
            with self._lock:
                inner, since = self._stack.pop()
                self.phases[inner].seconds += now - since
                if self._stack:  # the enclosing phase's clock restarts
                    self._stack[-1] = (self._stack[-1][0], now)

    def absorb(self, report: dict[str, dict[str, int]]) -> None:
        """Add another process's calls (the suite's pytest session, each xdist worker) to this budget."""
        with self._lock:
            for system, figures in report.items():
                self.used[system] += int(figures.get("used", 0))
                self.retries[system] += int(figures.get("retries", 0))

    def report(self) -> dict[str, dict[str, int]]:
        return {system: {"used": self.used[system], "limit": self.limits.get(system, 0), "retries": self.retries[system]}
                for system in sorted(set(self.used) | set(self.limits))}

    def phase_report(self) -> list[dict[str, Any]]:
        """Each phase's cost so far (a phase still open counts up to now), in the order the phases started."""
        with self._lock:
            now = time.monotonic()
            rows = []
            for cost in self.phases.values():
                row = cost.as_dict()
                if self._stack and self._stack[-1][0] == cost.name:
                    row["seconds"] = round(cost.seconds + now - self._stack[-1][1], 3)
                rows.append(row)
            return rows
