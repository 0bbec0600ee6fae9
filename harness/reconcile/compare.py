"""Per-field comparison in one normal form, built once per field and applied a million times.

The fast path is plain equality of the raw values; only values that differ as given are normalised (numbers,
booleans, dates, multi-selects, picklist synonyms), so a healthy population costs little more than a loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from harness.reconcile.spec import FieldKind, FieldSpec
from harness.sync.rules import SyncRule

Normaliser = Callable[[Any], Any]


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _number(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value).strip()


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {"true": True, "false": False, "1": True, "0": False}.get(text, text)


def _date(value: Any) -> Any:
    text = str(value).strip()
    if len(text) >= 10 and text[4] == "-":
        return text[:10]
    if text.isdigit():  # HubSpot epoch milliseconds
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC).strftime("%Y-%m-%d")
    return text


_UTC_SUFFIXES = ("Z", "+0000", "+00:00")


def _datetime(value: Any) -> Any:
    text = str(value).strip()
    # Fast path: both platforms write UTC; the first 19 characters then say everything to the second.
    if len(text) >= 20 and text[10] == "T" and text.endswith(_UTC_SUFFIXES):
        return text[:19]
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("+0000", "+00:00"))
    except ValueError:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _multi(value: Any) -> Any:
    parts = value if isinstance(value, list) else str(value).split(";")
    return tuple(sorted(p.strip() for p in parts if str(p).strip()))


def normaliser(spec: FieldSpec) -> Normaliser:
    base: Normaliser = {
        FieldKind.NUMBER: _number, FieldKind.BOOLEAN: _boolean, FieldKind.DATE: _date, FieldKind.DATETIME: _datetime,
        FieldKind.MULTI: _multi,
    }.get(spec.kind, lambda v: str(v).strip())
    if not spec.synonyms:
        return base
    table = {variant.strip().lower(): canonical for variant, canonical in spec.synonyms}

    def translated(value: Any) -> Any:
        text = str(value).strip()
        return base(table.get(text.lower(), text))

    return translated


def _blank_aware(equal: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def agrees(hubspot_value: Any, salesforce_value: Any) -> bool:
        if hubspot_value == salesforce_value:
            return True
        if hubspot_value is None or hubspot_value == "":
            return salesforce_value is None or salesforce_value == ""
        if salesforce_value is None or salesforce_value == "":
            # Every syncing rule carries a value across once a sync has run (Prefer Salesforce fills a blank
            # Salesforce field from HubSpot; deletions propagate), so a blank on one side is a difference.
            return False
        return equal(hubspot_value, salesforce_value)

    return agrees


def _numbers_equal(left: Any, right: Any) -> bool:
    try:
        return float(left) == float(right)
    except (TypeError, ValueError):
        return str(left).strip() == str(right).strip()


class FieldComparator:
    """Decides whether one mapped field agrees, as its sync rule defines agreement after a completed sync.

    `agrees` is a closure specialised by field kind: it runs once per field per pair, a million times over.
    """

    __slots__ = ("spec", "normalise", "agrees")

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.normalise = normaliser(spec)
        if spec.rule is SyncRule.DONT_SYNC:
            self.agrees: Callable[[Any, Any], bool] = lambda _h, _s: True
        elif spec.hubspot_read_only:
            # Only HubSpot -> Salesforce is possible: a Salesforce value stands; a blank one should have been filled.
            self.agrees = lambda h, s: h is None or h == "" or not (s is None or s == "")
        elif spec.kind is FieldKind.NUMBER and not spec.synonyms:
            self.agrees = _blank_aware(_numbers_equal)
        else:
            normalise = self.normalise
            self.agrees = _blank_aware(lambda left, right: normalise(left) == normalise(right))
