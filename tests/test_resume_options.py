"""A resumed run takes back every option it was started with, a regression run's `--impacted-by` included (the
change is confirmed again before the run goes on), from `run-state.json`."""

from __future__ import annotations

from pathlib import Path

from harness.run.context import create_run
from harness.run.options import RunOptions
from harness.run.state import RunState, resumed_options


def test_a_resumed_regression_run_keeps_its_mapping_change(tmp_path: Path):
    context = create_run(tmp_path, "20261203-120000-abcd")
    old = tmp_path / "contacts-before.csv"
    started = RunOptions(profile=tmp_path / "profile.yaml", marker="sync_rule and object_lead", keep_data=True,
                         selection="impacted by contacts-before.csv: 1 mapping change(s)", impacted_by=[old])
    RunState(context).remember(started)
    resumed = resumed_options(context.run_id, reports_dir=tmp_path)
    assert resumed.impacted_by == [old]
    assert (resumed.profile, resumed.marker, resumed.selection, resumed.keep_data) == (
        started.profile, started.marker, started.selection, True)
    assert resumed.resume == context.run_id
