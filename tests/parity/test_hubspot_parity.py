"""@hubspot/api-client (Node) and hubspot-api-client (Python) see the same twin: every step of hubspot_sdk.mjs
against its hubspot_python.py twin, normalised, must be equal, and a step meant to work must work for both.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.parity.conftest import Transcripts, with_gaps
from tests.parity.normalise import differences, drop_nulls, normalise

# Steps the twin answers wrongly today, each with the exact difference (xfail, strict). Empty: every step agrees.
GAPS: dict[str, str] = {}

# Steps that must fail, with the HTTP status and category HubSpot documents for them.
EXPECTED_ERRORS = {
    "contact_create_duplicate": (409, "CONFLICT"),
    "contact_read_archived": (404, "OBJECT_NOT_FOUND"),
}

STEPS = [
    "contact_create", "contact_read", "contact_update", "contact_read_updated", "contact_update_by_email",
    "contact_create_duplicate",
    "company_create", "contact_archive", "contact_read_archived", "contact_read_archived_flag",
    "batch_create", "batch_read", "batch_update", "batch_upsert", "list_first_page", "list_next_page",
    "search_first_page", "search_next_page",
    "assoc_create_labelled", "assoc_create_default", "assoc_get_page", "contact_read_with_associations",
    "assoc_labels", "assoc_batch_create", "assoc_batch_read",
    "assoc_archive", "assoc_after_archive",
    "merge_setup", "merge", "merged_read", "batch_archive", "batch_read_after_archive",
]


def _ids_as_text(value: Any) -> Any:
    """Numbers as text: the SDKs' generated models type the same wire value differently (Python's v4 association
    models read `toObjectId` as a string, Node's as a number); both parsed the same kind of answer."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return [_ids_as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _ids_as_text(v) for k, v in value.items()}
    return value


def view(entry: dict[str, Any]) -> Any:
    return _ids_as_text(drop_nulls(normalise(entry)))


@pytest.mark.parametrize("step", with_gaps(STEPS, GAPS))
def test_node_sdk_sees_what_python_sdk_sees(step: str, hubspot_transcripts: Transcripts) -> None:
    python, node = hubspot_transcripts.python.get(step), hubspot_transcripts.node.get(step)
    assert python is not None and node is not None, f"{step}: missing from a transcript (Python {python}, Node {node})"
    python_view, node_view = view(python), view(node)
    assert python_view == node_view, f"{step}: the two client families see different answers:\n  " + "\n  ".join(
        differences(python_view, node_view))
    if step in EXPECTED_ERRORS:
        status, category = EXPECTED_ERRORS[step]
        assert not python["ok"], python
        assert (python["error"]["status"], python["error"]["body"].get("category")) == (status, category), python
    else:
        assert python["ok"], f"{step} failed for both client families alike: {python['error']}"
