"""The API-call budget of one run: every call the harness makes, per system, reported at the end."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ApiBudget:
    limits: dict[str, int] = field(default_factory=dict)  # system -> allowed calls for this run (0 = unlimited)
    used: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def spend(self, system: str, calls: int = 1) -> None:
        with self._lock:
            self.used[system] += calls

    def retried(self, system: str) -> None:
        with self._lock:
            self.retries[system] += 1

    def absorb(self, report: dict[str, dict[str, int]]) -> None:
        """Add another process's calls (the suite's pytest session, each xdist worker) to this budget."""
        with self._lock:
            for system, figures in report.items():
                self.used[system] += int(figures.get("used", 0))
                self.retries[system] += int(figures.get("retries", 0))

    def report(self) -> dict[str, dict[str, int]]:
        return {system: {"used": self.used[system], "limit": self.limits.get(system, 0), "retries": self.retries[system]}
                for system in sorted(set(self.used) | set(self.limits))}
