"""Waiting out the sync window: by id, with backoff, and a timeout that shows the last observed difference."""

from __future__ import annotations

import pytest

from harness.uat.waiter import SyncTimeout, Waiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_returns_as_soon_as_the_expectation_holds_and_records_time_to_sync():
    clock = FakeClock()
    values = iter([None, None, "synced"])
    waiter = Waiter(timeout=900, first_poll=1, max_poll=30, clock=clock.time, sleep=clock.sleep)
    observed = waiter.until("lead linked", lambda: next(values), lambda v: None if v else {"salesforceleadid": "not set"})
    assert observed.value == "synced" and observed.polls == 3
    assert waiter.timings.entries[-1]["ok"] is True
    # a pause before every read (no sync can have happened at once), growing: exponential backoff (with jitter)
    assert len(clock.sleeps) == 3 and clock.sleeps[2] > clock.sleeps[1] > clock.sleeps[0]


def test_timeout_carries_the_last_observed_difference():
    clock = FakeClock()
    waiter = Waiter(timeout=60, first_poll=1, max_poll=30, clock=clock.time, sleep=clock.sleep)
    with pytest.raises(SyncTimeout) as timeout:
        waiter.until("firstname reaches HubSpot", lambda: {"firstname": "Ada"},
                     lambda v: {"values_changed": {"root['firstname']": {"new_value": "Ada", "old_value": "Augusta"}}})
    assert str(timeout.value).startswith("sync timeout: firstname reaches HubSpot")
    assert "Augusta" in str(timeout.value)
    assert clock.now <= 60 * 1.25  # never sleeps far past the window
    assert max(clock.sleeps) <= 30 * 1.2


def test_with_a_nudge_the_window_is_counted_in_connector_cycles():
    nudges = []
    waiter = Waiter(timeout=900, nudge=lambda: nudges.append(1), nudged_cycles=3)
    reads = []
    with pytest.raises(SyncTimeout) as timeout:
        waiter.until("never", lambda: reads.append(len(nudges)), lambda v: {"still": "different"})
    assert len(nudges) == 3 and reads == [1, 2, 3]  # every read follows a connector cycle
    assert "after 3 connector cycles" in str(timeout.value)


def test_settle_passes_when_nothing_breaks_for_a_whole_window_of_cycles():
    from harness.uat.waiter import settle

    nudges = []
    waiter = Waiter(timeout=900, nudge=lambda: nudges.append(1), nudged_cycles=3)
    observed = settle(waiter, "title unchanged", lambda: "CTO", lambda v: None if v == "CTO" else v, "mapping mismatch")
    assert observed.value == "CTO" and len(nudges) == 3


def test_settle_fails_with_its_category_as_soon_as_the_expectation_breaks():
    from harness.uat.waiter import ExpectationBroken, settle

    values = iter(["salesqualifiedlead", "lead"])
    waiter = Waiter(timeout=900, nudge=lambda: None, nudged_cycles=3)
    with pytest.raises(ExpectationBroken) as broken:
        settle(waiter, "stage never moves backwards", lambda: next(values),
               lambda v: None if v == "salesqualifiedlead" else {"lifecyclestage": v}, "platform automation")
    assert str(broken.value).startswith("platform automation: stage never moves backwards")


def test_settle_against_real_sandboxes_ends_once_the_connector_has_processed_the_record():
    from harness.uat.waiter import settle

    clock = FakeClock()
    synced = iter([False, False, True, True])
    waiter = Waiter(timeout=900, first_poll=1, max_poll=30, clock=clock.time, sleep=clock.sleep)
    settle(waiter, "unchanged", lambda: next(synced), lambda v: None, "mapping mismatch", processed=lambda v: v)
    assert clock.now < 30  # did not wait the whole 15-minute window
