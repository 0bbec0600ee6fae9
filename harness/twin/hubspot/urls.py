"""HubSpot routes: werkzeug rules naming handlers of `HubSpotResponses`."""

from __future__ import annotations

from werkzeug.routing import Rule

OBJECTS = "/crm/v3/objects/<object_type>"

RULES = [
    Rule("/account-info/v3/details", endpoint="account_details", methods=["GET"]),
    Rule(OBJECTS, endpoint="create", methods=["POST"]),
    Rule(OBJECTS, endpoint="list_page", methods=["GET"]),
    Rule(f"{OBJECTS}/batch/read", endpoint="batch_read", methods=["POST"]),
    Rule(f"{OBJECTS}/batch/create", endpoint="batch_create", methods=["POST"]),
    Rule(f"{OBJECTS}/batch/update", endpoint="batch_update", methods=["POST"]),
    Rule(f"{OBJECTS}/batch/archive", endpoint="batch_archive", methods=["POST"]),
    Rule(f"{OBJECTS}/<object_id>", endpoint="read", methods=["GET"]),
    Rule(f"{OBJECTS}/<object_id>", endpoint="update", methods=["PATCH"]),
    Rule(f"{OBJECTS}/<object_id>", endpoint="archive", methods=["DELETE"]),
]
