"""Fixtures of the reliability tests (helpers in support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import ServedTwin, remove_run, served_twin


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedTwin]:
    """`uat twin serve --state-dir` in its own process: it outlives the runs that are killed under test."""
    with served_twin(tmp_path / "twin-state") as twin:
        yield twin


@pytest.fixture
def run_ids() -> Iterator[list[str]]:
    """Run ids a test created: their folders under reports/ are removed afterwards."""
    ids: list[str] = []
    yield ids
    for run_id in ids:
        remove_run(run_id)
