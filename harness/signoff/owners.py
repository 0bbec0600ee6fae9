"""Who answers for a scenario: the functional owner of the objects and fields it touches.

The owner comes from the profile's source-of-truth map (object / field -> system of record, direction,
functional owner). The profile model grows while the report is written against it, so the map is read by
shape, not by class: any list (or mapping) of entries naming an object, optionally a field, and an owner.
When nothing matches, the named integration owner answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

# Names the source-of-truth map may carry in the profile, and the keys of its entries.
_MAP_ATTRIBUTES = ("source_of_truth", "source_of_truth_map", "sources_of_truth", "systems_of_record")
_OBJECT_KEYS = ("object", "hubspot_object", "salesforce_object", "entity")
_FIELD_KEYS = ("field", "property", "hubspot_property", "salesforce_field", "fields", "properties")
_OWNER_KEYS = ("functional_owner", "owner", "owned_by", "team")

# Scenario tags name objects in the domain's words; both platforms' spellings lead to the same family, named
# after the HubSpot object the source-of-truth map is keyed by (a Lead is a HubSpot contact's Salesforce twin).
OBJECT_FAMILIES = {
    "contact": "contact", "contacts": "contact", "lead": "contact", "leads": "contact",
    "company": "company", "companies": "company", "account": "company", "accounts": "company",
    "deal": "deal", "deals": "deal", "opportunity": "deal", "opportunities": "deal",
    "ticket": "ticket", "tickets": "ticket", "case": "ticket", "cases": "ticket",
    "task": "activity", "tasks": "activity", "event": "activity", "events": "activity",
    "activity": "activity", "activities": "activity", "engagement": "activity", "engagements": "activity",
}


@dataclass(frozen=True)
class OwnerEntry:
    family: str
    field: str | None
    owner: str


def object_family(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return OBJECT_FAMILIES.get(key, key.rstrip("s"))


def _as_plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    return value


def _person_name(value: Any) -> str | None:
    value = _as_plain(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name") or value.get("role")
        return str(name) if name else None
    return None


def _first(entry: dict[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        if entry.get(key):
            return entry[key]
    return None


def _entries(raw: Any) -> list[dict[str, Any]]:
    raw = _as_plain(raw)
    if isinstance(raw, dict):
        # Either {"entries": [...]}, or {"Contact.Email": {...}} / {"contacts": {"email": {...}}}.
        for key in ("entries", "fields", "rules", "items"):
            if isinstance(raw.get(key), list):
                return _entries(raw[key])
        out: list[dict[str, Any]] = []
        for key, value in raw.items():
            value = _as_plain(value)
            if not isinstance(value, dict):
                continue
            if _first(value, _OWNER_KEYS) is not None:
                obj, _, fld = str(key).partition(".")
                out.append({"object": value.get("object", obj), "field": value.get("field", fld or None), **value})
            else:
                out.extend({"object": key, "field": fld, **(_as_plain(v) if isinstance(_as_plain(v), dict) else {})}
                           for fld, v in value.items())
        return out
    if isinstance(raw, list):
        return [e for e in (_as_plain(item) for item in raw) if isinstance(e, dict)]
    return []


def owner_entries(profile: Profile) -> list[OwnerEntry]:
    raw = next((getattr(profile, name) for name in _MAP_ATTRIBUTES if getattr(profile, name, None)), None)
    out = []
    for entry in _entries(raw):
        obj, owner = _first(entry, _OBJECT_KEYS), _person_name(_first(entry, _OWNER_KEYS))
        if not obj or not owner:
            continue
        fields = _first(entry, _FIELD_KEYS)
        if isinstance(fields, (list, tuple)):
            out.extend(OwnerEntry(object_family(str(obj)), str(f).lower(), owner) for f in fields)
        else:
            obj_text, _, dotted = str(obj).partition(".")
            field = str(fields).lower() if fields else (dotted.lower() or None)
            out.append(OwnerEntry(object_family(obj_text), field, owner))
    return out


def integration_owner(profile: Profile) -> str:
    return _person_name(getattr(profile, "integration_owner", None)) or "unassigned"


def tagged(tags: Iterable[str], prefix: str) -> list[str]:
    return [t[len(prefix):] for t in tags if t.startswith(prefix)]


def functional_owner(profile: Profile, tags: Iterable[str]) -> str:
    """The owner of the first tagged field found in the map, else of the first tagged object, else the
    integration owner: the person a defect in this scenario goes to."""
    tags = list(tags)
    entries = owner_entries(profile)
    families = [object_family(o) for o in tagged(tags, "object_")]
    fields = [f.lower() for f in tagged(tags, "field_")]
    for field in fields:
        for entry in entries:
            if entry.field == field and (not families or entry.family in families):
                return entry.owner
    for family in families:
        for entry in entries:
            if entry.family == family and entry.field is None:
                return entry.owner
    for family in families:
        for entry in entries:
            if entry.family == family:
                return entry.owner
    return integration_owner(profile)
