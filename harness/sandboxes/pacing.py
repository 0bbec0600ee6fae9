"""Client-side pacing under HubSpot's documented limits, so a run spends its time working, not backing off.

HubSpot private apps get a burst of 190 calls per rolling 10 seconds per portal, shared with every other app in
the portal, and CRM search 4-5 calls per second. The harness keeps below both by default (150 / 10 s leaves room
for other apps in a shared sandbox portal); 429s that still happen are retried by urllib3 with Retry-After.
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
        self.calls: collections.deque[float] = collections.deque()
        self.lock = threading.Lock()
        self.waited = 0.0

    def acquire(self) -> None:
        """Block until one more call fits in the window, then count it."""
        while True:
            with self.lock:
                now = self.clock()
                while self.calls and now - self.calls[0] >= self.window:
                    self.calls.popleft()
                if len(self.calls) < self.limit:
                    self.calls.append(now)
                    return
                pause = self.window - (now - self.calls[0]) + 0.001
            self.waited += pause
            self.sleep(pause)


def hubspot_limits() -> tuple[RollingWindow, RollingWindow]:
    burst = int(os.environ.get("UAT_HUBSPOT_CALLS_PER_10S", "150"))
    search = int(os.environ.get("UAT_HUBSPOT_SEARCHES_PER_S", "4"))
    return RollingWindow(burst, 10.0), RollingWindow(search, 1.0)
