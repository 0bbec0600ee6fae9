"""Create Salesforce records in as few calls as the platform allows, never twice.

- Up to `bulk_threshold` records of an object: sObject Collections (`composite/sobjects`, 200 a call,
  allOrNone false, so one bad record does not sink its 199 neighbours).
- Above it: Bulk API 2.0 ingest through simple-salesforce's `bulk2` (one job, results matched back by row).
Every attempt after the first begins by looking up the records of the attempt before (by their identifying
values): a retried POST whose first answer was lost must not create the records again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from simple_salesforce.exceptions import SalesforceError, SalesforceResourceNotFound

from harness.sandboxes import Sandboxes
from harness.seeder.journal import SeedJournal

COLLECTION_LIMIT = 200
# Deliberate duplicates are part of the recipe: save them past "alert" duplicate rules, as a data load would.
DUPLICATE_HEADER = {"Sforce-Duplicate-Rule-Header": "allowSave=true"}


@dataclass
class Item:
    key: str
    data: dict[str, Any]  # references already resolved to ids
    lookup: tuple[str, ...]


@dataclass
class Outcome:
    created: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    method: str = ""
    notes: list[str] = field(default_factory=list)


Sink = Callable[[list[tuple[str, str]]], None]  # (key, id) pairs, written to the ledger as they are known


def _chunks(items: list[Item], size: int) -> Iterable[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _soql_literal(value: Any, strip: bool = True) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = (str(value).strip() if strip else str(value)).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _same(a: Any, b: Any) -> bool:
    return str(a if a is not None else "").strip().casefold() == str(b if b is not None else "").strip().casefold()


def lookup(sandboxes: Sandboxes, sobject: str, items: list[Item], taken: set[str]) -> dict[str, str]:
    """Find records created by an attempt whose answer was lost: by their identifying values, never an id taken."""
    found: dict[str, str] = {}
    usable = [i for i in items if i.lookup and all(i.data.get(f) not in (None, "") for f in i.lookup)]
    for chunk in _chunks(usable, 100):
        first = chunk[0].lookup[0]
        fields = sorted({f for i in chunk for f in i.lookup} | {"Id"})
        # As sent and trimmed: a platform may keep the surrounding spaces of a messy value ("case and whitespace
        # variants" in the recipe) or drop them; either way the lost record must be found.
        values = ", ".join(dict.fromkeys(literal for i in chunk for literal in
                                         (_soql_literal(i.data[first]), _soql_literal(i.data[first], strip=False))))
        rows = sandboxes.salesforce.query_all(f"SELECT {', '.join(fields)} FROM {sobject} WHERE {first} IN ({values})")
        for item in chunk:
            for row in rows:
                if row["Id"] not in taken and all(_same(row.get(f), item.data.get(f)) for f in item.lookup):
                    found[item.key] = row["Id"]
                    taken.add(row["Id"])
                    break
    return found


def _message(errors: list[dict[str, Any]] | None) -> str:
    return "; ".join(f"{e.get('statusCode') or e.get('errorCode')}: {e.get('message')}" for e in errors or []) or "refused"


def _attempts(sandboxes: Sandboxes, sobject: str, chunk: list[Item], outcome: Outcome, taken: set[str], sink: Sink,
              journal: SeedJournal, send: Callable[[list[Item]], Any], operation: str) -> tuple[list[Item], Any]:
    """Run `send` through the Salesforce retry wrapper; every retry first adopts what the lost attempt created."""
    tries = {"n": 0}

    def attempt() -> tuple[list[Item], Any]:
        todo = [i for i in chunk if i.key not in outcome.created]
        if tries["n"]:
            adopted = lookup(sandboxes, sobject, todo, taken)
            if adopted:
                outcome.created.update(adopted)
                sink(list(adopted.items()))
            todo = [i for i in todo if i.key not in adopted]
        tries["n"] += 1
        if not todo:
            return [], None
        journal.sent([i.key for i in todo])
        return todo, send(todo)

    return sandboxes.salesforce.call(operation, attempt)


def via_collections(sandboxes: Sandboxes, sobject: str, items: list[Item], outcome: Outcome, taken: set[str],
                    sink: Sink, journal: SeedJournal, tick: Callable[[int], None]) -> None:
    client = sandboxes.salesforce.client

    def send(todo: list[Item]) -> Any:
        body = {"allOrNone": False, "records": [{"attributes": {"type": sobject}, **i.data} for i in todo]}
        return client.restful("composite/sobjects", method="POST", json=body, headers=DUPLICATE_HEADER)

    for chunk in _chunks(items, COLLECTION_LIMIT):
        try:
            todo, results = _attempts(sandboxes, sobject, chunk, outcome, taken, sink, journal, send,
                                      f"collections create {sobject}")
        except SalesforceResourceNotFound:
            outcome.notes.append("sObject Collections not available here (404): records created one call each")
            outcome.method = "one call per record"
            via_single(sandboxes, sobject, [i for i in items if i.key not in outcome.created], outcome, taken, sink,
                       journal, tick)
            return
        pairs = []
        for item, result in zip(todo, results or [], strict=False):
            if result.get("success"):
                outcome.created[item.key] = result["id"]
                taken.add(result["id"])
                pairs.append((item.key, result["id"]))
            else:
                outcome.refused[item.key] = _message(result.get("errors"))
                journal.refused(item.key, outcome.refused[item.key])
        sink(pairs)
        tick(len(chunk))


def via_single(sandboxes: Sandboxes, sobject: str, items: list[Item], outcome: Outcome, taken: set[str], sink: Sink,
               journal: SeedJournal, tick: Callable[[int], None]) -> None:
    api = sandboxes.salesforce.sobject(sobject)
    for item in items:
        try:
            todo, result = _attempts(sandboxes, sobject, [item], outcome, taken, sink, journal,
                                     lambda todo: api.create(todo[0].data, headers=DUPLICATE_HEADER),
                                     f"create {sobject}")
        except SalesforceError as error:
            content = error.content if isinstance(error.content, list) else [{"message": str(error.content)}]
            outcome.refused[item.key] = _message(content)
            journal.refused(item.key, outcome.refused[item.key])
            tick(1)
            continue
        if todo and result:
            outcome.created[item.key] = result["id"]
            taken.add(result["id"])
            sink([(item.key, result["id"])])
        tick(1)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def via_bulk(sandboxes: Sandboxes, sobject: str, items: list[Item], outcome: Outcome, taken: set[str], sink: Sink,
             journal: SeedJournal, tick: Callable[[int], None]) -> None:
    sf = sandboxes.salesforce
    columns = sorted({name for i in items for name in i.data})
    signature = {tuple(_csv_value(i.data.get(c)) for c in columns): i for i in items}
    counted = {"n": 0}

    def count(response: Any, *args: Any, **kwargs: Any) -> Any:
        counted["n"] += 1
        return response

    def send(todo: list[Item]) -> Any:
        rows = [{c: _csv_value(i.data.get(c)) for c in columns} for i in todo]
        return getattr(sf.client.bulk2, sobject).insert(records=rows, wait=0)

    sf.session.hooks["response"].append(count)  # one budget entry per HTTP request a bulk job makes
    try:
        _todo, jobs = _attempts(sandboxes, sobject, items, outcome, taken, sink, journal, send,
                                f"bulk2 insert {sobject}")
        results = [(getattr(sf.client.bulk2, sobject).get_successful_records(job["job_id"]),
                    getattr(sf.client.bulk2, sobject).get_failed_records(job["job_id"])) for job in jobs or []]
    except SalesforceResourceNotFound:
        results = None
    finally:
        sf.session.hooks["response"].remove(count)
        sf.budget.spend("salesforce", max(0, counted["n"] - 1))
    if results is None:
        outcome.notes.append("Bulk API 2.0 not available here (404): sObject Collections used instead")
        outcome.method = "sObject Collections"
        via_collections(sandboxes, sobject, [i for i in items if i.key not in outcome.created], outcome, taken,
                        sink, journal, tick)
        return
    for successes, failures in results:
        pairs = []
        for row in csv.DictReader(io.StringIO(successes)):
            item = signature.get(tuple(row.get(c, "") for c in columns))
            if item is None or item.key in outcome.created:
                continue
            outcome.created[item.key] = row["sf__Id"]
            taken.add(row["sf__Id"])
            pairs.append((item.key, row["sf__Id"]))
        sink(pairs)
        for row in csv.DictReader(io.StringIO(failures)):
            item = signature.get(tuple(row.get(c, "") for c in columns))
            if item is not None:
                outcome.refused[item.key] = row.get("sf__Error", "refused")
                journal.refused(item.key, outcome.refused[item.key])
    unmatched = [i for i in items if i.key not in outcome.created and i.key not in outcome.refused]
    if unmatched:  # a result row we could not match back: find those records rather than guess
        adopted = lookup(sandboxes, sobject, unmatched, taken)
        outcome.created.update(adopted)
        sink(list(adopted.items()))
    tick(len(items))


def create_salesforce(sandboxes: Sandboxes, sobject: str, items: list[Item], taken: set[str], sink: Sink,
                      journal: SeedJournal, tick: Callable[[int], None], bulk_threshold: int) -> Outcome:
    outcome = Outcome()
    if len(items) > bulk_threshold:
        outcome.method = "Bulk API 2.0"
        via_bulk(sandboxes, sobject, items, outcome, taken, sink, journal, tick)
    else:
        outcome.method = "sObject Collections"
        via_collections(sandboxes, sobject, items, outcome, taken, sink, journal, tick)
    return outcome
