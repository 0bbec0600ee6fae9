"""Client-side pacing stays under HubSpot's rolling-window limits."""

from __future__ import annotations

from harness.sandboxes.pacing import RollingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_never_more_than_the_limit_in_any_window():
    clock = Clock()
    window = RollingWindow(5, 10.0, clock.time, clock.sleep)
    stamps = []
    for _ in range(23):
        window.acquire()
        stamps.append(clock.now)
    for i, start in enumerate(stamps):
        assert sum(1 for s in stamps[i:] if s - start < 10.0) <= 5
    assert clock.now >= 40.0  # 23 calls at 5 per 10 s need four full windows


def test_calls_under_the_limit_never_wait():
    clock = Clock()
    window = RollingWindow(150, 10.0, clock.time, clock.sleep)
    for _ in range(150):
        window.acquire()
    assert clock.now == 0.0 and window.waited == 0.0


def test_the_window_spends_the_portals_own_limit_from_its_headers():
    """A portal that says it allows 190 calls per 10 s gets them (but one kept spare), not a fixed fraction."""
    clock = Clock()
    window = RollingWindow(100, 10.0, clock.time, clock.sleep)
    window.learn = True
    window.observe("190", "189")
    window.remaining = None  # only the limit matters here
    for _ in range(189):
        window.acquire()
    assert clock.now == 0.0
    window.acquire()
    assert clock.now >= 10.0


def test_a_fixed_limit_is_kept_and_what_other_apps_spent_is_respected():
    """UAT_HUBSPOT_CALLS_PER_10S fixes the limit; a Remaining of 2 (other apps spent the rest) lets 2 calls through
    at once, and the next one waits."""
    clock = Clock()
    window = RollingWindow(150, 10.0, clock.time, clock.sleep)
    window.observe("190", "2")
    assert window.limit == 150
    window.acquire()
    window.acquire()
    assert clock.now == 0.0
    window.acquire()
    assert clock.now > 0.0 and window.waited > 0.0
