"""The contract matrix: every mapping row of the profile exercised on its object, in every direction its sync rule
allows or refuses, blanks included.

Per object pair, two synced records: every mapped field is written at once, on one record in HubSpot and on the
other in Salesforce; one connector cycle; then one diff per row (deepdiff, through `expected_difference`). Then every
field that may be blank is cleared the same way, one more cycle, one more diff per row. Each row is a named check
in the scenario's evidence; a failure names the row, the direction, what was expected and what was found.

A row that cannot be exercised (no such property or field, not writable, a type no fresh value exists for) is a
failing check with that reason: nothing is dropped. Rows governed by scenarios of their own (identity, lifecycle,
owner: `values.SKIPPED`) are listed with the scenario family that covers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.profile import FieldMapping
from harness.reconcile import expected_difference
from harness.report import evidence
from harness.sandboxes.catalog import KIND_BY_SALESFORCE_TYPE
from harness.uat.companies import account_synced
from harness.uat.deletions import opportunity_synced
from harness.uat.failures import MappingMismatch
from harness.uat.pairs import Pair, contact_synced
from harness.uat.values import FieldValue, fresh_value
from harness.uat.waiter import SyncTimeout, settle
from harness.uat.world import World

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TO_SALESFORCE = "HubSpot -> Salesforce"
TO_HUBSPOT = "Salesforce -> HubSpot"
# Salesforce field types a fresh value is made for besides KIND_BY_SALESFORCE_TYPE's (all written as text).
TEXT_TYPES = {"string", "textarea", "email", "phone", "url"}
# Rows with scenarios of their own, and which.
ELSEWHERE = {"email": "contact sync and duplicates (the identity key)", "lifecyclestage": "lifecycle progression",
             "hubspot_owner_id": "territory reassignment and ownership"}
ELSEWHERE_FIELDS = {"OwnerId": ELSEWHERE["hubspot_owner_id"], "Email": ELSEWHERE["email"]}


def _companies(world: World, blank: set[str]) -> Pair:
    return account_synced(world, leave_blank=blank)


def _contacts_on_accounts(world: World, blank: set[str]) -> Pair:
    contact: Pair = account_synced(world).values["_contact"]
    return contact


# The object pairs the matrix covers and how a synced record of each is made (`blank`: Salesforce fields left empty
# so that "Prefer Salesforce unless blank" rows can be filled from HubSpot). A mapping on any other pair fails the
# coverage scenario: the matrix cannot exercise it.
FACTORIES: dict[tuple[str, str], Callable[[World, set[str]], Pair]] = {
    ("contacts", "Lead"): lambda world, blank: contact_synced(world, "Lead"),
    ("contacts", "Contact"): _contacts_on_accounts,
    ("companies", "Account"): _companies,
    ("deals", "Opportunity"): lambda world, blank: opportunity_synced(world),
}


def row_name(mapping: FieldMapping, sobject: str) -> str:
    return (f"{mapping.hubspot_object}: {mapping.hubspot_property} <-> {sobject}.{mapping.salesforce_field} "
            f"({mapping.rule.value})")


def elsewhere(world: World, mapping: FieldMapping) -> str | None:
    """The scenario family that exercises a governed row, or None for a row the matrix exercises. The lifecycle's
    stage timestamps (the profile's `lifecycle.timestamps`) are stamped by the platforms, never written by hand."""
    lifecycle = getattr(world.profile, "lifecycle", None)
    stamps = {t.hubspot for t in getattr(lifecycle, "timestamps", None) or []}
    if mapping.hubspot_property in stamps:
        return "lifecycle progression (stage timestamps, stamped once)"
    return ELSEWHERE.get(mapping.hubspot_property) or ELSEWHERE_FIELDS.get(mapping.salesforce_field)


def cannot_exercise(world: World, mapping: FieldMapping, sobject: str, side: str) -> str | None:
    """Why the row cannot be written on `side` ("hubspot" or "salesforce"), or None when it can."""
    if side == "hubspot":
        prop = world.catalog.hubspot(mapping.hubspot_object, mapping.hubspot_property)
        if prop is None:
            return f"HubSpot has no {mapping.hubspot_object} property {mapping.hubspot_property!r}"
        if prop.read_only or prop.calculated:
            return f"HubSpot property {mapping.hubspot_object}.{mapping.hubspot_property} is read-only"
        return None
    described = world.catalog.salesforce(sobject, mapping.salesforce_field)
    if described is None:
        return f"Salesforce has no field {sobject}.{mapping.salesforce_field} (or the integration user cannot see it)"
    if not described.updateable or described.calculated:
        return f"Salesforce field {sobject}.{mapping.salesforce_field} is not editable by the integration user"
    if described.type not in KIND_BY_SALESFORCE_TYPE and described.type not in TEXT_TYPES:
        return f"Salesforce field {sobject}.{mapping.salesforce_field} has a type no test value is known for " \
               f"({described.type})"
    return None


def _unreadable(world: World, mapping: FieldMapping, sobject: str) -> str | None:
    """Why one side of the row cannot even be read (the outcome of a write is read on the other side)."""
    if world.catalog.hubspot(mapping.hubspot_object, mapping.hubspot_property) is None:
        return f"HubSpot has no {mapping.hubspot_object} property {mapping.hubspot_property!r}"
    if world.catalog.salesforce(sobject, mapping.salesforce_field) is None:
        return f"Salesforce has no field {sobject}.{mapping.salesforce_field} (or the integration user cannot see it)"
    return None


@dataclass
class Expectation:
    mapping: FieldMapping
    direction: str
    record: Pair
    read_side: str  # where the outcome is read: "salesforce" or "hubspot"
    expected: Any
    crosses: bool  # the rule carries the write across (else the other side must keep its value)
    written: Any


@dataclass
class Matrix:
    """One object pair's matrix: its two records, its rows, and the checks each step added."""

    hubspot_object: str
    sobject: str
    rows: list[FieldMapping]
    from_hubspot: Pair  # the record written in HubSpot
    from_salesforce: Pair  # the record written in Salesforce
    checks: list[dict[str, Any]] = field(default_factory=list)
    pending: list[Expectation] = field(default_factory=list)


def _key(hubspot_object: str, sobject: str) -> tuple[str, str]:
    return hubspot_object.strip().lower(), sobject.strip()


def matrix_for(world: World, hubspot_object: str, sobject: str) -> Matrix:
    """Two synced records of the pair; skips the scenario when the profile maps nothing on it."""
    key = _key(hubspot_object, sobject)
    rows = [m for m in world.mappings if m.hubspot_object == key[0] and key[1] in m.salesforce_objects]
    if not rows:
        pytest.skip(f"the profile maps no {key[0]} property to {key[1]}: nothing to exercise")
    factory = FACTORIES.get(key)
    if factory is None:
        raise MappingMismatch(f"the contract matrix cannot make a synced {key[0]}/{key[1]} record pair; rows not "
                              f"exercised: {', '.join(row_name(m, key[1]) for m in rows)}")
    blank = {m.salesforce_field for m in rows if m.rule.value == "Prefer Salesforce unless blank"}
    matrix = Matrix(key[0], key[1], rows, factory(world, blank), factory(world, blank))
    for mapping in rows:
        covered = elsewhere(world, mapping)
        if covered:
            matrix.checks.append(_check(mapping, key[1], "both", "-", "-", f"exercised by {covered}"))
    return matrix


def _check(mapping: FieldMapping, sobject: str, direction: str, expected: Any, found: Any, outcome: str) -> dict:
    return {"check": row_name(mapping, sobject), "direction": direction, "expected": expected, "found": found,
            "outcome": outcome}


def _crosses(rule: str, direction: str, blank: bool, salesforce_before: Any) -> bool:
    """Whether a write (or a clear) on the acting side reaches the other side under `rule` (HubSpot KB, "Map HubSpot
    properties to Salesforce fields")."""
    if rule == "Don't sync":
        return False
    if direction == TO_HUBSPOT:
        return True  # Two-way, Prefer Salesforce unless blank, Always use Salesforce: Salesforce's value and deletes
    if rule == "Two-way":
        return True
    # Prefer Salesforce unless blank passes a HubSpot value only while Salesforce has none; never a delete.
    return rule == "Prefer Salesforce unless blank" and not blank and salesforce_before in (None, "")


def _write(world: World, matrix: Matrix, direction: str, clear: bool) -> None:
    sobject = matrix.sobject
    record = matrix.from_hubspot if direction == TO_SALESFORCE else matrix.from_salesforce
    side = "hubspot" if direction == TO_SALESFORCE else "salesforce"
    label = f"{direction}{', blank' if clear else ''}"
    reasons = {m.key: _unreadable(world, m, sobject) or cannot_exercise(world, m, sobject, side)
               for m in matrix.rows if not elsewhere(world, m)}
    rows = [m for m in matrix.rows if m.key in reasons]
    readable = [m for m in rows if reasons[m.key] is None]  # a read naming a missing field fails as a whole
    hubspot_before = world.hubspot(matrix.hubspot_object, record.hubspot_id, [m.hubspot_property for m in readable])
    salesforce_before = world.salesforce(sobject, record.salesforce_id, [m.salesforce_field for m in readable])
    changes: dict[str, Any] = {}
    for mapping in rows:
        reason = reasons[mapping.key]
        if clear and reason is None:
            described = world.catalog.salesforce(sobject, mapping.salesforce_field)
            if described is not None and not described.nillable:
                matrix.checks.append(_check(mapping, sobject, label, "-", "-",
                                            "not applicable: the field is required in Salesforce"))
                continue
        if reason is None and not clear:
            current = (hubspot_before if side == "hubspot" else salesforce_before).get(
                mapping.hubspot_property if side == "hubspot" else mapping.salesforce_field)
            try:
                value = fresh_value(world.catalog, mapping, sobject, current, world.tag)
            except ValueError as no_value:
                reason = str(no_value)
        if reason is not None:
            matrix.checks.append(_check(mapping, sobject, label, "-", "-", f"FAILED: cannot be exercised: {reason}"))
            continue
        if clear:
            value = FieldValue(None, None)
        before_sf = salesforce_before.get(mapping.salesforce_field)
        crosses = _crosses(mapping.rule.value, direction, clear, before_sf)
        if direction == TO_SALESFORCE:
            changes[mapping.hubspot_property] = value.hubspot if value.hubspot is not None else ""
            expected = value.salesforce if crosses else before_sf
            read_side = "salesforce"
        else:
            changes[mapping.salesforce_field] = value.salesforce
            expected = value.hubspot if crosses else hubspot_before.get(mapping.hubspot_property)
            read_side = "hubspot"
        matrix.pending.append(Expectation(mapping, label, record, read_side, expected, crosses,
                                          value.hubspot if side == "hubspot" else value.salesforce))
    if not changes:
        return
    if side == "hubspot":
        world.sandboxes.hubspot.update(matrix.hubspot_object, record.hubspot_id, changes)
    else:
        world.sandboxes.salesforce.update(sobject, record.salesforce_id, changes)


def write_everything(world: World, matrix: Matrix, clear: bool = False) -> None:
    """Every mapped field written (or cleared) at once: one record in HubSpot, the other in Salesforce."""
    matrix.pending = []
    _write(world, matrix, TO_SALESFORCE, clear)
    _write(world, matrix, TO_HUBSPOT, clear)


def _read(world: World, matrix: Matrix) -> dict[tuple[str, str], dict[str, Any]]:
    """Both records' outcome sides, one read per record and side."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for exp in matrix.pending:
        record_id = exp.record.salesforce_id if exp.read_side == "salesforce" else exp.record.hubspot_id
        name = exp.mapping.salesforce_field if exp.read_side == "salesforce" else exp.mapping.hubspot_property
        wanted.setdefault((exp.read_side, record_id), []).append(name)
    out = {}
    for (side, record_id), names in wanted.items():
        out[(side, record_id)] = (world.salesforce(matrix.sobject, record_id, names) if side == "salesforce"
                                  else world.hubspot(matrix.hubspot_object, record_id, names))
    return out


def _as_written(expected: Any, found: Any) -> Any:
    """HubSpot answers a date written to a date-time property (deals.closedate) as midnight UTC of that day."""
    if isinstance(expected, str) and isinstance(found, str) and _DAY.fullmatch(expected) \
            and found.startswith(f"{expected}T00:00:00"):
        return expected
    return found


def _difference(exp: Expectation, state: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    name = exp.mapping.salesforce_field if exp.read_side == "salesforce" else exp.mapping.hubspot_property
    return expected_difference({name: exp.expected}, {name: _as_written(exp.expected, _found(exp, state))})


def _found(exp: Expectation, state: dict[tuple[str, str], dict[str, Any]]) -> Any:
    record_id = exp.record.salesforce_id if exp.read_side == "salesforce" else exp.record.hubspot_id
    name = exp.mapping.salesforce_field if exp.read_side == "salesforce" else exp.mapping.hubspot_property
    return state.get((exp.read_side, record_id), {}).get(name)


def expect_rows_hold(world: World, matrix: Matrix) -> None:
    """One connector cycle (the twin's waiter nudges it; real sandboxes wait out the window until the crossing rows
    arrive), then one diff per row; fails naming every row that does not hold, and every row not exercised."""
    what = f"every {matrix.hubspot_object}/{matrix.sobject} mapping row holds what its sync rule says"
    crossing = [e for e in matrix.pending if e.crosses]
    if crossing:
        with suppress(SyncTimeout):  # the rows still wrong are named below, one line each
            world.waiter.until(what, lambda: _read(world, matrix),
                               lambda state: {e.mapping.key: d for e in crossing if (d := _difference(e, state))})
    elif matrix.pending:
        settle(world.waiter, what, lambda: None, lambda _: None, "mapping mismatch")  # a whole window, nothing to await
    state = _read(world, matrix) if matrix.pending else {}
    failed = [c for c in matrix.checks if str(c["outcome"]).startswith("FAILED")]
    for exp in matrix.pending:
        found = _found(exp, state)
        ok = not _difference(exp, state)
        check = _check(exp.mapping, matrix.sobject, exp.direction, exp.expected, found,
                       ("passed" if ok else "FAILED") + (" (crosses)" if exp.crosses else " (refused: other side keeps"
                                                                                          " its value)"))
        matrix.checks.append(check)
        if not ok:
            failed.append(check)
    evidence.attach_table(f"contract matrix: {matrix.hubspot_object}/{matrix.sobject}", matrix.checks,
                          ["check", "direction", "expected", "found", "outcome"],
                          summary=f"{len(matrix.checks) - len(failed)} of {len(matrix.checks)} checks hold")
    if failed:
        lines = [f"{c['check']}, {c['direction']}: " + (c["outcome"].removeprefix("FAILED: ") if c["expected"] == "-"
                                                          else f"expected {c['expected']!r}, found {c['found']!r}")
                 for c in failed]
        raise MappingMismatch(f"{len(failed)} mapping row check(s) of {matrix.hubspot_object}/{matrix.sobject} do not "
                              f"hold", "\n".join(lines))


def rows_outside_matrix(world: World) -> list[str]:
    """Mapping rows on an object pair the matrix does not cover: each would go unexercised."""
    out = []
    for mapping in world.mappings:
        for sobject in mapping.salesforce_objects:
            if (mapping.hubspot_object, sobject) not in FACTORIES:
                out.append(f"{row_name(mapping, sobject)} ({mapping.where}): the contract matrix has no "
                           f"{mapping.hubspot_object}/{sobject} record pair")
    return out


def expect_every_row_covered(world: World) -> None:
    outside = rows_outside_matrix(world)
    if outside:
        raise MappingMismatch(f"{len(outside)} mapping row(s) cannot be exercised", "\n".join(outside))
