"""After the same steps through either client family, the two twins hold the same state: every table of their
SQLite stores, row by row, normalised as the transcripts are (wall-clock values masked), and again after one
connector cycle has carried that state to the other platform."""

from __future__ import annotations

from typing import Any

import pytest

from harness.twin import Twin
from tests.parity.conftest import Transcripts, TwinPair, with_gaps
from tests.parity.normalise import differences, normalise

# Twin bookkeeping, not platform state: the random organization id and per-run secrets.
NOT_STATE = {"twin_meta"}
PREFIXES = ["sf_", "sft_", "hs_", "connector_"]
# State comparisons a twin gap breaks today (xfail, strict), by prefix. Empty: both twins end alike.
GAPS_AFTER_STEPS: dict[str, str] = {}
GAPS_AFTER_SYNC: dict[str, str] = {}
# Epoch milliseconds between 2001 and 2286: no id or count in the twin reaches 10**12.
EPOCH_MS = range(10**12, 10**13)

State = dict[str, dict[str, list[dict[str, Any]]]]


def _value(column: str, value: Any) -> Any:
    # Columns in epoch milliseconds, and the search index's datetime values, are the wall clock at which each
    # twin did the same thing.
    if value is not None and (column.endswith("_ms") or (isinstance(value, int) and value in EPOCH_MS)):
        return "<ms>"
    return normalise(value)


def dump(twin: Twin) -> State:
    """Every table but NOT_STATE, rows sorted, grouped by the prefix naming its platform."""
    out: State = {prefix: {} for prefix in PREFIXES}
    with twin.store.lock:
        tables = [r[0] for r in twin.store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in sorted(set(tables) - NOT_STATE):
            prefix = next((p for p in PREFIXES if table.startswith(p)), None)
            assert prefix is not None, f"table {table}: no platform prefix known to the parity suite; add it"
            rows = [{k: _value(k, v) for k, v in dict(r).items()}
                    for r in twin.store.db.execute(f'SELECT * FROM "{table}"')]
            out[prefix][table] = sorted(rows, key=repr)
    return out


@pytest.fixture(scope="module")
def after_steps(twins: TwinPair, salesforce_transcripts: Transcripts,
                hubspot_transcripts: Transcripts) -> tuple[State, State]:
    return dump(twins.python), dump(twins.node)


@pytest.fixture(scope="module")
def after_sync(twins: TwinPair, after_steps: tuple[State, State]) -> tuple[State, State, dict, dict]:
    python_stats, node_stats = twins.python.sync_now(), twins.node.sync_now()
    stats = [{k: _value(k, v) for k, v in s.items()} for s in (python_stats, node_stats)]
    return dump(twins.python), dump(twins.node), stats[0], stats[1]


def _same(python: Any, node: Any, what: str) -> None:
    assert python == node, f"{what} differ:\n  " + "\n  ".join(differences(python, node))


@pytest.mark.parametrize("prefix", with_gaps(PREFIXES, GAPS_AFTER_STEPS))
def test_same_state_after_the_steps(prefix: str, after_steps: tuple[State, State]) -> None:
    python, node = after_steps
    _same(python[prefix], node[prefix], f"{prefix}* tables")


@pytest.mark.parametrize("prefix", with_gaps(PREFIXES, GAPS_AFTER_SYNC))
def test_same_state_after_a_connector_cycle(prefix: str, after_sync: tuple[State, State, dict, dict]) -> None:
    python, node, python_stats, node_stats = after_sync
    _same(python[prefix], node[prefix], f"{prefix}* tables after a sync cycle")
    if prefix == "connector_":
        _same(python_stats, node_stats, "the cycle's stats")
