"""What a formula sees for one record being saved: its fields, its parents' fields, prior values, the user."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .. import values as conv
from ..formula import FormulaContext, FormulaError
from ..schema import SObjectSchema

if TYPE_CHECKING:
    from ..models import SalesforceBackend


_TODAY: dict[str, tuple[float, date]] = {}


def org_today(backend: SalesforceBackend) -> date:
    """Today in the org's time zone (cached for a second: formulas ask for it on every save)."""
    zone = str(backend.schema.organization.get("timezone", "UTC"))
    now = time.monotonic()
    cached = _TODAY.get(zone)
    if cached and now - cached[0] < 1.0:
        return cached[1]
    today = datetime.now(ZoneInfo(zone)).date() if zone != "UTC" else datetime.now(UTC).date()
    _TODAY[zone] = (now, today)
    return today


def _resolver(backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any], user_id: str):
    def value(parts: tuple[str, ...]) -> Any:
        if parts[0].startswith("$"):
            if parts[0].lower() != "$user" or len(parts) != 2:
                raise FormulaError(f"unsupported global {'.'.join(parts)}; the twin knows $User.<field>")
            if parts[1].lower() == "id":
                return user_id
            users = backend.schema.sobject("User")
            row = backend.row(users, user_id, include_deleted=True) if user_id and users else None
            return _walk(backend, users, row or {}, parts[1:]) if users else None
        return _walk(backend, sobject, record, parts)

    return value


def _walk(backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any], parts: tuple[str, ...]) -> Any:
    if len(parts) == 1:
        f = sobject.field(parts[0])
        if f is None:
            raise FormulaError(f"Field {parts[0]} does not exist on {sobject.name}. Check spelling.")
        return conv.to_formula(f, record.get(f.name))
    lookup = sobject.by_relationship(parts[0])
    if lookup is None:
        raise FormulaError(f"Field {parts[0]} does not exist on {sobject.name}. Check spelling.")
    parent_id = record.get(lookup.name)
    if not parent_id:
        return None
    parent = backend.sobject_for_id(parent_id)
    row = backend.row(parent, parent_id, include_deleted=True) if parent else None
    if row is None:
        return None
    return _walk(backend, parent, row, parts[1:])


def formula_context(backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
                    previous: dict[str, Any] | None, user_id: str) -> FormulaContext:
    prior = _resolver(backend, sobject, previous, user_id) if previous is not None else None
    return FormulaContext(value=_resolver(backend, sobject, record, user_id), prior=prior, today=org_today(backend),
                          now=datetime.now(UTC))
