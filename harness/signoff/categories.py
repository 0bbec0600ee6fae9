"""Failure kinds: the categories a defect log, Allure and the verdict share.

A failed scenario's message is classified by the marker its assertion raised with (each library raise in
the harness starts its message with the kind), falling back on the Salesforce/HubSpot error codes it quotes.
"""

from __future__ import annotations

CATEGORIES = {
    "sync_timeout": "Sync timeout",
    "mapping_mismatch": "Mapping mismatch",
    "platform_automation": "Platform automation",
    "duplicates": "Duplicates",
    "permissions": "Permissions",
    "picklists": "Picklists",
    "rate_limit": "Rate limit",
    "test_data": "Test data",
    "infrastructure": "Infrastructure",
    "other": "Other",
}

_MARKERS = [
    ("sync timeout", "sync_timeout"),
    ("mapping mismatch", "mapping_mismatch"),
    ("platform automation", "platform_automation"),
    ("duplicates", "duplicates"),
    ("duplicates_detected", "duplicates"),
    ("permissions", "permissions"),
    ("invalid_field_for_insert_update", "permissions"),
    ("insufficient_access", "permissions"),
    ("picklist", "picklists"),
    ("request_limit_exceeded", "rate_limit"),
    ("rate limit", "rate_limit"),
    ("429", "rate_limit"),
    ("test data", "test_data"),
    ("connectionerror", "infrastructure"),
    ("max retries exceeded", "infrastructure"),
    ("server_unavailable", "infrastructure"),
    # HubSpot's SDK says "(503)\nReason: Service Unavailable"; a dropped connection is urllib3's ProtocolError
    ("ten_secondly_rolling", "rate_limit"),
    ("(500)", "infrastructure"),
    ("(502)", "infrastructure"),
    ("(503)", "infrastructure"),
    ("(504)", "infrastructure"),
    ("service unavailable", "infrastructure"),
    ("bad gateway", "infrastructure"),
    ("connection aborted", "infrastructure"),
    ("remote end closed connection", "infrastructure"),
    ("protocolerror", "infrastructure"),
]


def classify(message: str | None) -> str:
    if not message:
        return "other"
    lowered = message.lower()
    for marker, category in _MARKERS:
        if lowered.startswith(marker) or f"\n{marker}" in lowered or f"E   {marker}" in message.lower():
            return category
    for marker, category in _MARKERS:
        if marker in lowered:
            return category
    return "other"
