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
"""

from __future__ import annotations

import collections
import os
import threading
import time
from collections.abc import Callable


class RollingWindow:
    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.sleep = sleep
        # One cell per call: stamped when sent, restamped when answered (done), because the platform counts the call
        # when it arrives, somewhere in between; counting it from the answer never frees its slot too early.
        self.calls: collections.deque[list[float]] = collections.deque()
        self.lock = threading.Lock()
        self.waited = 0.0
        self.on_wait: Callable[[float], None] | None = None  # told each pause (the run's phase table)
        self.learn = False  # take the limit from the platform's headers (observe)
        self.remaining: int | None = None  # the platform's last word on what is left in its window
        self.since = 0  # calls made since that word

    def done(self, cell: list[float]) -> None:
        """The call counted by `cell` has been answered."""
        with self.lock:
            cell[0] = self.clock()

    def observe(self, limit: str | None, remaining: str | None) -> None:
        """The platform's rate-limit headers from an answer: its limit (when learning) and what is left of it."""
        with self.lock:
            if self.learn and limit and limit.isdigit() and int(limit) > 1:
                self.limit = int(limit) - 1  # one slot spare: a call sent just as another leaves the window
            if remaining is not None and remaining.isdigit():
                self.remaining, self.since = int(remaining), 0

    def acquire(self) -> list[float]:
        """Block until one more call fits in the window, then count it; pass what it returns to `done`."""
        while True:
            with self.lock:
                now = self.clock()
                while self.calls and now - self.calls[0][0] >= self.window:
                    self.calls.popleft()
                left = None if self.remaining is None else self.remaining - self.since
                if len(self.calls) < self.limit and (left is None or left > 0):
                    cell = [now]
                    self.calls.append(cell)
                    self.since += 1
                    return cell
                if len(self.calls) < self.limit:  # the platform's window is spent (by others too): wait until our
                    self.remaining = None          # oldest call leaves it, then let one call ask again
                    pause = max(self.window / max(1, self.limit),
                                self.window - (now - self.calls[0][0]) + 0.001 if self.calls else 0.0)
                else:
                    pause = self.window - (now - self.calls[0][0]) + 0.001
            self.waited += pause
            if self.on_wait is not None:
                self.on_wait(pause)
            self.sleep(pause)


# Before the first answer says otherwise: the lowest tier's burst (Free and Starter).
FIRST_LIMIT = 100


def hubspot_limits() -> tuple[RollingWindow, RollingWindow]:
    fixed = os.environ.get("UAT_HUBSPOT_CALLS_PER_10S")
    burst = RollingWindow(int(fixed) if fixed else FIRST_LIMIT, 10.0)
    burst.learn = not fixed
    search = int(os.environ.get("UAT_HUBSPOT_SEARCHES_PER_S", "5"))  # search answers carry no rate-limit headers
    return burst, RollingWindow(search, 1.0)
