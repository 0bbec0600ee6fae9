"""Which HubSpot records are meant to sync: the profile's inclusion-list filters, evaluated on a record."""

from __future__ import annotations

from typing import Any

from harness.profile import Profile


def in_inclusion_list(profile: Profile, properties: dict[str, Any]) -> bool:
    inclusion = profile.inclusion_list
    if inclusion is None or not inclusion.enabled:
        return True
    for rule in inclusion.filters:
        value = properties.get(rule.property)
        present = value not in (None, "")
        expected = rule.value if isinstance(rule.value, list) else [rule.value]
        text = str(value).lower() if present else None
        ok = {
            "HAS_PROPERTY": present,
            "NOT_HAS_PROPERTY": not present,
            "EQ": present and text == str(rule.value).lower(),
            "NEQ": text != str(rule.value).lower(),
            "IN": present and text in {str(v).lower() for v in expected},
            "NOT_IN": text not in {str(v).lower() for v in expected},
        }[rule.operator]
        if not ok:
            return False
    return True


def inclusion_properties(profile: Profile) -> set[str]:
    inclusion = profile.inclusion_list
    return {rule.property for rule in inclusion.filters} if inclusion else set()
