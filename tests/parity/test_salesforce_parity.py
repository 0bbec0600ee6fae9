"""jsforce and simple-salesforce see the same twin: every step of salesforce_jsforce.mjs against its
salesforce_python.py twin, normalised (timestamps, ports, the org id, query locators), must be equal, and a step
meant to work must work for both (two equal failures prove nothing).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.parity.conftest import Transcripts, with_gaps
from tests.parity.normalise import differences, normalise

# Steps the twin answers wrongly today, each with the exact difference (marked xfail, strict: the mark must go
# the day the twin is fixed). Empty: every step agrees.
GAPS: dict[str, str] = {}

# Steps that must fail, with the error code Salesforce documents for them.
EXPECTED_ERRORS = {
    "sobject_create_invalid": "REQUIRED_FIELD_MISSING",
    "sobject_retrieve_deleted": "ENTITY_IS_DELETED",
    "soap_merged_loser": "ENTITY_IS_DELETED",
    "sobject_validation_rule": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
}

STEPS = [
    "sobject_create_account", "sobject_create_contact", "sobject_create_lead", "sobject_retrieve_account",
    "sobject_update_account", "sobject_retrieve_updated", "sobject_upsert_external_id",
    "sobject_retrieve_by_external_id", "sobject_create_invalid", "sobject_delete_contact", "sobject_retrieve_deleted",
    "sobject_validation_rule", "query_all_rows_deleted", "bulk2_ingest", "bulk2_delete", "query_first_page", "query_more", "query_all_pages", "bulk2_query",
    "soap_convert_lead", "soap_converted_lead", "soap_convert_into_account", "soap_converted_into_account",
    "soap_merge_setup", "soap_merge", "soap_merged_loser", "soap_merged_follower", "sobject_deleted_accounts",
    "sobject_updated_contacts",
    "versions", "resources", "describe_global", "describe_account", "describe_lead", "describe_contact", "limits", "identity", "userinfo",
    "composite_batch", "composite_tree", "composite_references", "query_parent_to_child", "query_child_to_parent",
    "collections_create", "collections_retrieve", "collections_update",
    "collections_delete", "sosl_search",
]


def view(step: str, entry: dict[str, Any]) -> Any:
    entry = normalise(entry)
    if step == "limits" and entry.get("ok"):
        # Each family spends a different number of calls getting here (jsforce describes before a collection
        # retrieve, Bulk 2.0 polls differ): what is left of the daily allowance is theirs, not the twin's.
        entry["value"].get("DailyApiRequests", {}).pop("Remaining", None)
    return entry


@pytest.mark.parametrize("step", with_gaps(STEPS, GAPS))
def test_jsforce_sees_what_simple_salesforce_sees(step: str, salesforce_transcripts: Transcripts) -> None:
    python, node = salesforce_transcripts.python.get(step), salesforce_transcripts.node.get(step)
    assert python is not None and node is not None, f"{step}: missing from a transcript (Python {python}, Node {node})"
    python_view, node_view = view(step, python), view(step, node)
    assert python_view == node_view, f"{step}: the two client families see different answers:\n  " + "\n  ".join(
        differences(python_view, node_view))
    if step in EXPECTED_ERRORS:
        assert not python["ok"] and python["error"]["errorCode"] == EXPECTED_ERRORS[step], python
    else:
        assert python["ok"], f"{step} failed for both client families alike: {python['error']}"
