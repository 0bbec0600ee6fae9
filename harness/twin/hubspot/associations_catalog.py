"""Association types: HubSpot's defined type ids (with their inverses) and the portal's own labels.

Type ids follow HubSpot's published table (associations v4, "Association type IDs"); each direction has its own
id and the two are inverses. `Primary` exists for contact->company, deal->company and ticket->company.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .properties import OBJECT_TYPES, SINGULAR, PortalError

HUBSPOT = "HUBSPOT_DEFINED"
USER = "USER_DEFINED"


@dataclass(frozen=True)
class AssociationType:
    from_type: str
    to_type: str
    category: str
    type_id: int
    inverse_id: int
    label: str | None  # None: the unlabeled association
    name: str          # the v3-style type name shown on reads with ?associations=
    unlabeled: bool = False
    primary: bool = False  # the "one primary company" side: contact->company, deal->company, ticket->company

    def spec(self) -> dict[str, Any]:
        return {"associationCategory": self.category, "associationTypeId": self.type_id}

    def with_label(self) -> dict[str, Any]:
        return {"category": self.category, "typeId": self.type_id, "label": self.label}


@dataclass(frozen=True)
class AssociationLabel:
    """A portal-defined label between two object types: one type id each way."""

    from_type: str
    to_type: str
    label: str
    name: str
    type_id: int
    inverse_id: int
    inverse_label: str | None = None


# (from, to, unlabeled id, inverse unlabeled id, primary id or None, inverse of primary)
_PAIRS: list[tuple[str, str, int, int, int | None, int | None]] = [
    ("contacts", "companies", 279, 280, 1, 2),
    ("deals", "companies", 341, 342, 5, 6),
    ("tickets", "companies", 339, 340, 26, 25),
    ("deals", "contacts", 3, 4, None, None),
    ("tickets", "contacts", 16, 15, None, None),
    ("tickets", "deals", 28, 27, None, None),
    ("contacts", "contacts", 449, 449, None, None),
    ("companies", "companies", 450, 450, None, None),
    ("deals", "deals", 451, 451, None, None),
]
for _engagement, (_contact, _company, _deal, _ticket) in {
        "calls": (194, 182, 206, 220), "emails": (198, 186, 210, 224), "meetings": (200, 188, 212, 226),
        "notes": (202, 190, 214, 228), "tasks": (204, 192, 216, 230)}.items():
    _PAIRS += [(_engagement, "contacts", _contact, _contact - 1, None, None),
               (_engagement, "companies", _company, _company - 1, None, None),
               (_engagement, "deals", _deal, _deal - 1, None, None),
               (_engagement, "tickets", _ticket, _ticket - 1, None, None)]


def _defined() -> list[AssociationType]:
    out: list[AssociationType] = []
    for left, right, unlabeled, inverse, primary, primary_inverse in _PAIRS:
        forward = f"{SINGULAR[left]}_to_{SINGULAR[right]}"
        backward = f"{SINGULAR[right]}_to_{SINGULAR[left]}"
        # v3 names: the primary type carries the plain name and the unlabeled one '_unlabeled' where both exist.
        out.append(AssociationType(left, right, HUBSPOT, unlabeled, inverse, None,
                                   forward + ("_unlabeled" if primary else ""), unlabeled=True))
        if left != right:
            out.append(AssociationType(right, left, HUBSPOT, inverse, unlabeled, None,
                                       backward + ("_unlabeled" if primary else ""), unlabeled=True))
        if primary is not None and primary_inverse is not None:
            out.append(AssociationType(left, right, HUBSPOT, primary, primary_inverse, "Primary", forward, primary=True))
            out.append(AssociationType(right, left, HUBSPOT, primary_inverse, primary, "Primary", backward))
    return out


HUBSPOT_DEFINED = _defined()


def parse_labels(source: str, raw: Any) -> list[AssociationLabel]:
    labels: list[AssociationLabel] = []
    for index, spec in enumerate(raw or []):
        where = f"{source}: association_labels[{index}]"
        if not isinstance(spec, Mapping):
            raise PortalError(f"{where}: a label is a mapping with from, to, label, type_id, inverse_type_id")
        for key in ("from", "to", "label", "type_id", "inverse_type_id"):
            if spec.get(key) in (None, ""):
                raise PortalError(f"{where}.{key}: required")
        for key in ("from", "to"):
            if spec[key] not in OBJECT_TYPES:
                raise PortalError(f"{where}.{key}: {spec[key]!r} is not a CRM object type; use one of {sorted(OBJECT_TYPES)}")
        label = str(spec["label"])
        labels.append(AssociationLabel(str(spec["from"]), str(spec["to"]), label,
                                       str(spec.get("name", label.lower().replace(" ", "_"))), int(spec["type_id"]),
                                       int(spec["inverse_type_id"]), spec.get("inverse_label")))
    return labels


class AssociationCatalog:
    """Every association type the portal knows, HubSpot's and the portal's labels, looked up by (category, id)."""

    def __init__(self, labels: list[AssociationLabel]) -> None:
        self.types: list[AssociationType] = list(HUBSPOT_DEFINED)
        for label in labels:
            self.add_label(label)

    def add_label(self, label: AssociationLabel) -> tuple[AssociationType, AssociationType]:
        forward = AssociationType(label.from_type, label.to_type, USER, label.type_id, label.inverse_id, label.label,
                                  label.name)
        backward = AssociationType(label.to_type, label.from_type, USER, label.inverse_id, label.type_id,
                                   label.inverse_label or label.label, label.name)
        self.types += [forward] if label.from_type == label.to_type and label.type_id == label.inverse_id else [forward,
                                                                                                             backward]
        return forward, backward

    def remove(self, from_type: str, to_type: str, type_id: int) -> bool:
        found = self.find(from_type, to_type, USER, type_id)
        if found is None:
            return False
        inverse = self.find(to_type, from_type, USER, found.inverse_id)
        self.types = [t for t in self.types if t is not found and t is not inverse]
        return True

    def find(self, from_type: str, to_type: str, category: str, type_id: int) -> AssociationType | None:
        return next((t for t in self.types if t.from_type == from_type and t.to_type == to_type
                     and t.category == category and t.type_id == type_id), None)

    def between(self, from_type: str, to_type: str) -> list[AssociationType]:
        return [t for t in self.types if t.from_type == from_type and t.to_type == to_type]

    def unlabeled(self, from_type: str, to_type: str) -> AssociationType | None:
        """The default (most generic) type between two object types, if they can be associated at all."""
        return next((t for t in self.between(from_type, to_type) if t.unlabeled), None)

    def inverse(self, kind: AssociationType) -> AssociationType | None:
        return self.find(kind.to_type, kind.from_type, kind.category, kind.inverse_id)

    def next_label_ids(self) -> tuple[int, int]:
        used = [t.type_id for t in self.types if t.category == USER] or [0]
        return max(used) + 1, max(used) + 2
