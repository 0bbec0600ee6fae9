"""Client-side pacing stays under HubSpot's rolling-window limits."""

from __future__ import annotations

from harness.sandboxes.pacing import RollingWindow
from harness.sandboxes.shared_calls import SharedCalls, shared_calls


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


def test_processes_on_one_portal_share_its_window(tmp_path):
    """Two processes of a run (the suite, then cleanup) on one portal: together never more than the limit in any
    window, and the second waits only until the first's oldest call leaves it, not a whole window of its own."""
    clock = Clock()
    path = tmp_path / "portal.burst"
    suite = RollingWindow(5, 10.0, clock.time, clock.sleep, shared=SharedCalls(path))
    cleanup = RollingWindow(5, 10.0, clock.time, clock.sleep, shared=SharedCalls(path))
    stamps = []
    for _ in range(3):  # the suite's calls, 2 s apart
        suite.done(suite.acquire())
        stamps.append(clock.now)
        clock.now += 2.0
    for _ in range(4):
        cleanup.done(cleanup.acquire())
        stamps.append(clock.now)
    for i, start in enumerate(stamps):
        assert sum(1 for s in stamps[i:] if s - start < 10.0) <= 5
    # two fit at once (at 6 s); then one as each of the suite's calls leaves the window (at 10 s and 12 s)
    assert [round(s) for s in stamps[3:]] == [6, 6, 10, 12]


def test_a_shared_window_forgets_stamps_from_before_a_restart(tmp_path):
    """A monotonic stamp ahead of the clock was written before the machine restarted: it holds no slot."""
    path = tmp_path / "portal.burst"
    path.write_text("".join(f"old.{i} 99999.0\n" for i in range(5)), encoding="ascii")
    clock = Clock()
    window = RollingWindow(5, 10.0, clock.time, clock.sleep, shared=SharedCalls(path))
    for _ in range(5):
        window.acquire()
    assert clock.now == 0.0


def test_each_portal_and_token_has_its_own_shared_window(monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    one = shared_calls("https://api.hubapi.com", "pat-one", "burst")
    again = shared_calls("https://api.hubapi.com/", "pat-one", "burst")
    other = shared_calls("https://api.hubapi.com", "pat-two", "burst")
    assert one is not None and again is not None and other is not None
    assert one.path == again.path != other.path
    assert "pat-one" not in str(one.path)  # the file names a digest, never the token


def test_a_shared_window_that_cannot_be_written_falls_back_to_the_process_own(tmp_path):
    """The temporary folder cleaned under a running suite: pacing goes on with this process's own calls."""
    clock = Clock()
    folder = tmp_path / "gone"
    folder.mkdir()
    window = RollingWindow(3, 10.0, clock.time, clock.sleep, shared=SharedCalls(folder / "portal.burst"))
    window.done(window.acquire())
    (folder / "portal.burst").unlink()
    folder.rmdir()
    for _ in range(3):
        window.done(window.acquire())
    assert window.shared is None and clock.now == 0.0
    window.acquire()  # the limit still holds over this process's own calls
    assert clock.now >= 10.0


def test_files_of_portals_nobody_called_for_a_minute_are_removed(monkeypatch, tmp_path):
    """The twin mints a token per start: a test session would otherwise leave a file per twin behind."""
    import os

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    first = shared_calls("https://127.0.0.1:1", "pat-old", "burst")
    recent = shared_calls("https://127.0.0.1:2", "pat-recent", "burst")
    assert first is not None and recent is not None and first.path.exists()
    os.utime(first.path, (0, 0))
    shared_calls("https://127.0.0.1:3", "pat-new", "burst")
    assert not first.path.exists() and recent.path.exists()
