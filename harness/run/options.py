"""What a `uat run` was asked to do: the options a resumed run takes back from `run-state.json`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunOptions:
    profile: Path
    org: str | None = None
    keep_data: bool = False
    workers: str | None = None
    marker: str | None = None
    keyword: str | None = None
    allure_html: bool = True
    selection: str | None = None  # how the scenarios were chosen, in words, for the report (e.g. impacted-by)
    faults: str | None = None  # light, heavy or a fault-profile file: the twin misbehaves (harness/run/faults.py)
    resume: str | None = None  # the id of an interrupted run to finish (harness/run/state.py)
    allow_large: bool = False  # lift the seed-size ceiling for shared sandboxes (harness/run/preflight.py)
    # Regression run: the mapping CSVs as they were before the change; the change is applied to (twin) or confirmed
    # on (sandboxes) the connector before seeding (harness/run/change.py).
    impacted_by: list[Path] = field(default_factory=list)
