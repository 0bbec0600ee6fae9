"""Waiting out the sync window: poll records by id with backoff and jitter until an expectation holds.

Never by search (HubSpot's index lags writes). On timeout the error carries the last observed difference,
so a failed scenario says what was still wrong, not just that time ran out. In twin mode the poll nudges
the connector through the control plane between reads; the code path is otherwise the one real mode runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SyncTimeout(AssertionError):
    """The expectation did not hold within the sync window. Its message starts with 'sync timeout'."""

    def __init__(self, what: str, waited: float, last_difference: Any) -> None:
        self.what = what
        self.waited = waited
        self.last_difference = last_difference
        super().__init__(f"sync timeout: {what} did not hold within {waited:.1f}s; last observed difference:\n"
                         f"{last_difference}")


@dataclass
class Observation(Generic[T]):
    what: str
    value: T
    seconds: float
    polls: int


@dataclass
class SyncTimings:
    """Time-to-sync per expectation, for the report."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, what: str, seconds: float, polls: int, ok: bool) -> None:
        self.entries.append({"expectation": what, "seconds": round(seconds, 3), "polls": polls, "ok": ok})


@dataclass
class Waiter:
    timeout: float
    first_poll: float = 0.5
    max_poll: float = 30.0
    nudge: Callable[[], None] | None = None
    # With a nudge, the window is counted in connector cycles, not seconds: HubSpot checks for changes every
    # 15 minutes, so a whole sync window holds only a cycle or two. Three nudged cycles stand for it.
    nudged_cycles: int = 3
    timings: SyncTimings = field(default_factory=SyncTimings)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    # Told the seconds of each pause (a sleep, or a nudged connector cycle): the run's phase table charges them to
    # the phase that waited, as time spent on the sync window.
    on_wait: Callable[[float], None] | None = None

    def pause(self, seconds: float | None = None) -> None:
        """One wait between reads: a nudged connector cycle (the twin), else a sleep with jitter."""
        started = self.clock()
        if seconds is None:
            assert self.nudge is not None
            self.nudge()
        else:
            self.sleep(seconds * random.uniform(0.8, 1.2))
        if self.on_wait is not None:
            self.on_wait(self.clock() - started)

    def until(self, what: str, read: Callable[[], T], difference: Callable[[T], Any]) -> Observation[T]:
        """Read until `difference(value)` is empty/None, or raise SyncTimeout with the last difference.

        The first read comes after the first pause, not at once: what is awaited follows an action, and no sync can
        have carried it yet, so a read at once would spend an API call to learn nothing (and pass an expectation the
        connector could still break). With a nudge, every read follows a connector cycle."""
        start = self.clock()
        delay = self.first_poll
        polls = 0
        while True:
            if self.nudge is not None:
                self.pause()  # a nudged connector cycle, then read at once
            else:
                self.pause(min(delay, self.max_poll, max(0.0, self.timeout - (self.clock() - start))))
                delay = min(delay * 2, self.max_poll)
            polls += 1
            value = read()
            diff = difference(value)
            elapsed = self.clock() - start
            if not diff:
                self.timings.add(what, elapsed, polls, True)
                return Observation(what, value, elapsed, polls)
            out_of_cycles = self.nudge is not None and polls >= self.nudged_cycles
            if elapsed >= self.timeout or out_of_cycles:
                self.timings.add(what, elapsed, polls, False)
                raise SyncTimeout(what if not out_of_cycles else f"{what} (after {self.nudged_cycles} connector cycles)",
                                  elapsed, diff)


class ExpectationBroken(AssertionError):
    """Something that must not happen during the sync window happened; the message starts with its category."""


def settle(waiter: Waiter, what: str, read: Callable[[], T], violation: Callable[[T], Any], category: str,
           processed: Callable[[T], bool] | None = None) -> Observation[T]:
    """Let a whole sync window pass, failing as soon as `violation(value)` is non-empty.

    For "after the sync window, X still holds": with a nudge (the twin) the window is `nudged_cycles` connector
    cycles; against real sandboxes it is the profile's window, cut short once `processed(value)` shows the
    connector has handled the record since the action (e.g. its last-sync time moved), plus one more read.
    """
    start = waiter.clock()
    polls = 0
    delay = waiter.first_poll
    while True:
        polls += 1
        value = read()
        broken = violation(value)
        elapsed = waiter.clock() - start
        if broken:
            waiter.timings.add(what, elapsed, polls, False)
            raise ExpectationBroken(f"{category}: {what} did not hold; observed:\n{broken}")
        if waiter.nudge is not None:
            if polls > waiter.nudged_cycles:
                break
            waiter.pause()
            continue
        if elapsed >= waiter.timeout or (processed is not None and processed(value) and polls > 1):
            break
        waiter.pause(min(delay, waiter.max_poll, max(0.0, waiter.timeout - elapsed)))
        delay = min(delay * 2, waiter.max_poll)
    waiter.timings.add(what, waiter.clock() - start, polls, True)
    return Observation(what, value, waiter.clock() - start, polls)
