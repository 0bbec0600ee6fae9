"""Client-side pacing under HubSpot's limits, so a run spends its time working, not backing off, nor sleeping
below the allocation it has.

HubSpot private apps get a burst of calls per rolling 10 seconds per portal (190 on Professional and Enterprise,
100 on Free and Starter, 250 with the API limit increase), shared with every other app in the portal, and CRM search
5 calls per second (https://developers.hubspot.com/changelog/increasing-our-api-limits). HubSpot recommends pacing
by its `X-HubSpot-RateLimit-*` headers (https://developers.hubspot.com/changelog/burst-limits-are-increasing-for-api-
key-authenticated-calls): the burst window learns the portal's limit from `X-HubSpot-RateLimit-Max`, and
`X-HubSpot-RateLimit-Remaining` says how much of it the portal's other apps left, so the harness spends what is
there instead of a fixed fraction. `UAT_HUBSPOT_CALLS_PER_10S` fixes the limit instead (e.g. to leave room for
another integration that sends no headers we can see). 429s that still happen are retried with Retry-After.

The burst window is the portal's, not the process's: a run's processes (the runner, the suite, xdist workers) keep
their calls in one file per portal (shared_calls.py), so each spends what the others left and knows when their
calls leave the window, where `Remaining` alone says only that the window is spent.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

from harness.sandboxes.shared_calls import SharedCalls, shared_calls


class RollingWindow:
    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, shared: SharedCalls | None = None) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.sleep = sleep
        # One cell per call ([stamp, id]): stamped when sent, restamped when answered (done), because the platform
        # counts the call when it arrives, somewhere in between; counting it from the answer never frees its slot
        # too early. `shared`: the cells of every process on this portal (shared_calls.py), else this process's.
        self.calls: list[list] = []
        self.shared = shared
        self.lock = threading.Lock()
        self.made = 0  # this process's calls, for cell ids
        self.waited = 0.0
        self.on_wait: Callable[[float], None] | None = None  # told each pause (the run's phase table)
        self.learn = False  # take the limit from the platform's headers (observe)
        self.remaining: int | None = None  # the platform's last word on what is left in its window
        self.since = 0  # calls made since that word

    @contextlib.contextmanager
    def _cells(self) -> Iterator[list[list]]:
        with self.lock:
            opened = contextlib.ExitStack()
            cells = self.calls
            if self.shared is not None:
                try:
                    cells = opened.enter_context(self.shared.cells())
                except OSError:  # the shared file cannot be used (a full disk, a cleaned temporary folder): this
                    self.shared = None  # process keeps its own window from now on, still under Remaining
            counted = False
            try:
                with opened:  # writes the shared cells back
                    yield cells
                    counted = True
            except OSError:
                if not counted or cells is self.calls:
                    raise
                self.shared = None

    def done(self, cell: list) -> None:
        """The call counted by `cell` has been answered."""
        with self._cells() as cells:
            now = self.clock()
            mine = next((c for c in cells if c[1] == cell[1]), None)
            if mine is not None:
                mine[0] = now
            elif now - cell[0] < self.window:  # dropped meanwhile (a call slower than the window): count it again
                cells.append([now, cell[1]])

    def observe(self, limit: str | None, remaining: str | None) -> None:
        """The platform's rate-limit headers from an answer: its limit (when learning) and what is left of it."""
        with self.lock:
            if self.learn and limit and limit.isdigit() and int(limit) > 1:
                self.limit = int(limit) - 1  # one slot spare: a call sent just as another leaves the window
            if remaining is not None and remaining.isdigit():
                self.remaining, self.since = int(remaining), 0

    def acquire(self) -> list:
        """Block until one more call fits in the window, then count it; pass what it returns to `done`."""
        while True:
            with self._cells() as cells:
                now = self.clock()
                # the window's calls; a stamp ahead of the clock is a file's from before the machine restarted
                cells[:] = [c for c in cells if now - self.window < c[0] <= now + 1.0]
                oldest = min((c[0] for c in cells), default=now)
                left = None if self.remaining is None else self.remaining - self.since
                if len(cells) < self.limit and (left is None or left > 0):
                    self.made += 1
                    cell = [now, f"{os.getpid()}.{id(self):x}.{self.made}"]
                    cells.append(cell)
                    self.since += 1
                    return list(cell)
                if len(cells) < self.limit:  # the platform's window is spent (by others too): wait until our
                    self.remaining = None    # oldest call leaves it, then let one call ask again
                    pause = max(self.window / max(1, self.limit),
                                self.window - (now - oldest) + 0.001 if cells else 0.0)
                else:
                    pause = self.window - (now - oldest) + 0.001
            self.waited += pause
            if self.on_wait is not None:
                self.on_wait(pause)
            self.sleep(pause)


# Before the first answer says otherwise: the lowest tier's burst (Free and Starter).
FIRST_LIMIT = 100


def hubspot_limits(host: str = "", token: str = "") -> tuple[RollingWindow, RollingWindow]:
    """The burst window (shared by every process of this machine on the portal of `host` and `token`, where the
    system can lock files) and the search window."""
    fixed = os.environ.get("UAT_HUBSPOT_CALLS_PER_10S")
    burst = RollingWindow(int(fixed) if fixed else FIRST_LIMIT, 10.0,
                          shared=shared_calls(host, token, "burst") if host and token else None)
    burst.learn = not fixed
    search = int(os.environ.get("UAT_HUBSPOT_SEARCHES_PER_S", "5"))  # search answers carry no rate-limit headers
    return burst, RollingWindow(search, 1.0)
