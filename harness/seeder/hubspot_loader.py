"""Create HubSpot records through the batch endpoints (100 a call), never twice.

hubspot-api-client retries 429 and 5xx itself (urllib3 Retry, POST included). A retried batch whose first
attempt did land answers 409 for contacts (e-mail is unique); records are then looked up by their identifying
property and adopted. A batch refused as a whole (400/409) is split in halves until the bad record stands
alone, so one bad value costs its neighbours nothing.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from harness.sandboxes import Sandboxes
from harness.seeder.journal import SeedJournal
from harness.seeder.salesforce_loader import Item, Outcome, Sink

BATCH_LIMIT = 100
# HUBSPOT_DEFINED association type ids from <object> to contacts (HubSpot associations v4 reference).
TO_CONTACT_TYPE = {"tickets": 16, "notes": 202, "calls": 194, "tasks": 204, "meetings": 200, "emails": 198}


ENGAGEMENTS = {"notes", "calls", "tasks", "meetings", "emails"}


class ObjectUnsupported(Exception):
    """The portal has no such object type (404) or lacks the recipe's properties: the group is skipped."""


def _api(sandboxes: Sandboxes, object_type: str, kind: str) -> Any:
    # hubspot-api-client keeps engagements under crm.objects.<type>, the CRM objects under crm.<type>.
    if object_type in ENGAGEMENTS:
        return getattr(getattr(sandboxes.hubspot.client.crm.objects, object_type), kind)
    return sandboxes.hubspot.api(object_type, kind)


def _lacking(object_type: str, text: str) -> str:
    missing = sorted(set(re.findall(r'Property \\?"([a-z0-9_]+)\\?" does not exist', text)))
    return f"the portal's {object_type} lack the recipe's properties {missing or '(see the error)'}"


def _chunks(items: list[Item], size: int) -> Iterable[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _input(object_type: str, item: Item) -> dict[str, Any]:
    properties = {k: v for k, v in item.data.items() if not k.startswith("assoc:") and v is not None}
    body: dict[str, Any] = {"properties": {k: str(v) for k, v in properties.items()}}
    target = item.data.get("assoc:contacts")
    if target and object_type in TO_CONTACT_TYPE:
        body["associations"] = [{"to": {"id": target}, "types": [
            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": TO_CONTACT_TYPE[object_type]}]}]
    return body


def lookup(sandboxes: Sandboxes, object_type: str, items: list[Item], taken: set[str],
           patient: bool = True) -> dict[str, str]:
    """Records of ours that exist already: contacts by e-mail (batch read), others by their tagged reference."""
    found: dict[str, str] = {}
    hs = sandboxes.hubspot
    if object_type == "contacts":
        for chunk in _chunks([i for i in items if i.data.get("email")], BATCH_LIMIT):
            try:
                response = hs._call(hs.api("contacts", "batch_api").read, {
                    "inputs": [{"id": i.data["email"].strip()} for i in chunk], "idProperty": "email",
                    "properties": ["email"]})
            except Exception:
                continue
            by_email = {str((r.properties or {}).get("email", "")).strip().casefold(): r.id
                        for r in response.results or []}
            for item in chunk:
                object_id = by_email.get(item.data["email"].strip().casefold())
                if object_id and object_id not in taken:
                    found[item.key] = object_id
                    taken.add(object_id)
        return found
    # Search lags writes (seconds): a record whose answer was lost a moment ago may not be indexed yet, so the
    # ones not found are searched again a few times before they count as never created. Only this path pays it.
    pending = [i for i in items if i.lookup]
    for pause in SEARCH_ROUNDS if patient else SEARCH_ROUNDS[:1]:
        if not pending:
            break
        time.sleep(pause)
        missing = []
        for item in pending:
            prop = item.lookup[0]
            try:
                response = hs._call(_api(sandboxes, object_type, "search_api").do_search, {
                    "filterGroups": [{"filters": [{"propertyName": prop, "operator": "EQ", "value": item.data[prop]}]}],
                    "properties": [prop], "limit": 10})
            except Exception:
                missing.append(item)
                continue
            result = next((r for r in response.results or [] if r.id not in taken), None)
            if result is None:
                missing.append(item)
                continue
            found[item.key] = result.id
            taken.add(result.id)
        pending = missing
    return found


SEARCH_ROUNDS = (0.0, 2.0, 3.0, 4.0)  # seconds before each search round: 9 s in all, past the index's lag


class BatchRefused(Exception):
    """A non-2xx answer to a batch create, carrying what the SDK's ApiException would (status, body)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"{status}: {body[:200]}")
        self.status, self.body = status, body


def _create_batch(sandboxes: Sandboxes, object_type: str, chunk: list[Item]) -> dict[str, Any]:
    """Batch create through the SDK, reading the answer as JSON: building its models for 100 records costs more
    than the call itself (`_preload_content=False` is the SDK's own switch for this). Retries still apply."""
    raw = sandboxes.hubspot._call(_api(sandboxes, object_type, "batch_api").create,
                                  {"inputs": [_input(object_type, i) for i in chunk]}, _preload_content=False)
    text = raw.data.decode("utf-8") if raw.data else ""
    if not 200 <= raw.status < 300:
        raise BatchRefused(raw.status, text)
    return json.loads(text) if text else {}


def _send(sandboxes: Sandboxes, object_type: str, chunk: list[Item], outcome: Outcome, taken: set[str], sink: Sink,
          journal: SeedJournal) -> None:
    journal.sent([i.key for i in chunk])
    try:
        response = _create_batch(sandboxes, object_type, chunk)
    except Exception as error:
        status = getattr(error, "status", None)
        if status == 404:
            raise ObjectUnsupported(f"HubSpot has no {object_type} endpoint here (404)") from None
        body = str(getattr(error, "body", "") or "")
        if status == 400 and "PROPERTY_DOESNT_EXIST" in body:  # the portal's schema, not one record, is the problem
            raise ObjectUnsupported(_lacking(object_type, body)) from None
        # A 4xx was an answer (nothing created); anything else may have been served: look before resending.
        answered = isinstance(status, int) and 400 <= status < 500
        adopted = {} if answered else lookup(sandboxes, object_type, chunk, taken)
        if adopted:
            outcome.created.update(adopted)
            sink(list(adopted.items()))
        rest = [i for i in chunk if i.key not in adopted]
        if len(rest) > 1:
            middle = len(rest) // 2
            _send(sandboxes, object_type, rest[:middle], outcome, taken, sink, journal)
            _send(sandboxes, object_type, rest[middle:], outcome, taken, sink, journal)
        elif rest:
            body = getattr(error, "body", None) or str(error)
            outcome.refused[rest[0].key] = f"{status}: {str(body)[:300]}"
            journal.refused(rest[0].key, outcome.refused[rest[0].key])
        return
    prop = chunk[0].lookup[0] if chunk[0].lookup else None
    by_value = {str((r.get("properties") or {}).get(prop, "")).strip().casefold(): str(r["id"])
                for r in response.get("results") or []}
    pairs = []
    for item in chunk:
        object_id = by_value.get(str(item.data.get(prop, "")).strip().casefold()) if prop else None
        if object_id and object_id not in taken:
            outcome.created[item.key] = object_id
            taken.add(object_id)
            pairs.append((item.key, object_id))
    sink(pairs)
    missing = [i for i in chunk if i.key not in outcome.created]
    if missing:  # a 207 with per-record errors, or values HubSpot rewrote: find them rather than guess
        adopted = lookup(sandboxes, object_type, missing, taken, patient=False)
        outcome.created.update(adopted)
        sink(list(adopted.items()))
        errors = "; ".join(str(e.get("message", e)) for e in response.get("errors") or [])
        if not pairs and "PROPERTY_DOESNT_EXIST" in errors:  # the portal's schema, not one record, is the problem
            raise ObjectUnsupported(_lacking(object_type, errors))
        errors = errors[:300]
        for item in (i for i in missing if i.key not in adopted):
            outcome.refused[item.key] = errors or "not in the batch response"
            journal.refused(item.key, outcome.refused[item.key])


def create_hubspot(sandboxes: Sandboxes, object_type: str, items: list[Item], taken: set[str], sink: Sink,
                   journal: SeedJournal, tick: Callable[[int], None]) -> Outcome:
    outcome = Outcome(method="batch create (100 a call)")
    for chunk in _chunks(items, BATCH_LIMIT):
        _send(sandboxes, object_type, chunk, outcome, taken, sink, journal)
        tick(len(chunk))
    return outcome
