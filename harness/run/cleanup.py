"""Delete what a run created, children first, and nothing else.

The ledger lists what the run created directly (seed, scenarios) and what the connector created because of it
(observed links). Records the connector made from ledger records but the run never observed are found through
their link: a HubSpot contact's Salesforce ids, a Salesforce record's e-mail on the HubSpot side. Deletes go in
batches (Salesforce sObject Collections, 200 a call; HubSpot batch archive, 100 a call). Progress is written to
`cleanup.jsonl` as it goes, so an interrupted cleanup resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from simple_salesforce.exceptions import SalesforceResourceNotFound

from harness.run.ledger import SCENARIO_JOURNAL, Ledger, LedgerEntry, creates_in_doubt
from harness.sandboxes import Sandboxes
from harness.sandboxes.salesforce import id_filters
from harness.sync.objects import HUBSPOT_OBJECT, LINK_PROPERTY

# Children before parents, so nothing is left pointing at a deleted record.
SALESFORCE_ORDER = ["Task", "CampaignMember", "OpportunityContactRole", "Opportunity", "Case", "Contact", "Lead", "Account"]
HUBSPOT_ORDER = ["calls", "emails", "meetings", "notes", "tasks", "deals", "tickets", "contacts", "companies"]
CONTACT_LINKS = {LINK_PROPERTY[sobject]: sobject for sobject in ("Lead", "Contact")}
# HubSpot objects that carry the id of the Salesforce record they sync with (the connector's link property).
LINKED_OBJECTS = [(HUBSPOT_OBJECT[sobject], LINK_PROPERTY[sobject], sobject)
                  for sobject in ("Account", "Opportunity", "Case", "Lead", "Contact")]
# HubSpot's search index lags writes by seconds (the twin's healthy portal: 3 s). Records the connector made
# near the end of a run are searched for only once the run's last write is this old.
SEARCH_SETTLE_SECONDS = 8.0
ENGAGEMENTS = {"calls", "emails", "meetings", "notes", "tasks"}
# CRM search's maxima: 5 filter groups (https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-
# capabilities-and-error-messaging-in-hubspots-search-api), 100 values in an IN filter, 200 results a page
# (https://developers.hubspot.com/docs/api/crm/search).
SEARCH_GROUPS, SEARCH_IN_VALUES, SEARCH_PAGE = 5, 100, 200
# Associations v4 batch read: up to 1,000 records a call
# (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/batch/post-crm-v4-associations-fromObjectType-toObjectType-batch-read).
ASSOCIATIONS_PER_READ = 1000
GONE = {"ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "NOT_FOUND", "MALFORMED_ID"}


@dataclass
class CleanupResult:
    deleted: dict[str, int] = field(default_factory=dict)
    already_gone: int = 0
    failed: list[str] = field(default_factory=list)


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else -1


def _hubspot_api(sandboxes: Sandboxes, object_type: str, kind: str) -> Any:
    # hubspot-api-client keeps engagements under crm.objects.<type>, the CRM objects under crm.<type>.
    if object_type in ENGAGEMENTS:
        return getattr(getattr(sandboxes.hubspot.client.crm.objects, object_type), kind)
    return sandboxes.hubspot.api(object_type, kind)


def settle_search(run_dir: Path, seconds: float = SEARCH_SETTLE_SECONDS) -> None:
    """Wait until the run's last write (ledger, results) is `seconds` old, so HubSpot search sees it."""
    stamps = [p.stat().st_mtime for p in (run_dir / "ledger.jsonl", run_dir / "results.jsonl") if p.exists()]
    if stamps:
        time.sleep(max(0.0, min(seconds, max(stamps) + seconds - time.time())))


def _searched_intents(run_dir: Path, entries: list[LedgerEntry]) -> bool:
    """Whether the scenario journal names a create the ledger never heard of (a run killed mid-create, or a create
    the platform refused) that only HubSpot search can look up: Salesforce's are found by SOQL and HubSpot contacts
    by batch read on e-mail, both exact at once, so only those wait for the search index (creates_in_doubt)."""
    path = run_dir / SCENARIO_JOURNAL
    if not path.exists():
        return False
    recorded = {e.key for e in entries if e.key}
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError, KeyError):
            intent = json.loads(line)
            if intent["key"] not in recorded and intent["system"] == "hubspot" and intent["object"] != "contacts":
                return True
    return False


def derived_records(sandboxes: Sandboxes, entries: list[LedgerEntry], errors: list[str] | None = None,
                    settle: Callable[[], None] = lambda: None) -> list[tuple[str, str, str]]:
    """Records on the other side that the connector created from the run's records (read in batches).
    A read that fails (throttling, an outage) goes into `errors`: the pass is then incomplete, not clean.

    HubSpot counterparts of the run's Salesforce records are found by reads first (contacts by e-mail; companies,
    deals and tickets through the associations of the run's contacts), each read carrying the link property; only
    the Salesforce records still without a counterpart are searched for, after `settle` (search lags writes)."""
    errors = [] if errors is None else errors
    known = {(e.system, e.id) for e in entries}
    found: list[tuple[str, str, str]] = []
    linked: set[str] = set()  # the run's Salesforce ids whose HubSpot counterpart has been read
    contact_ids = [e.id for e in entries if e.system == "hubspot" and e.object == "contacts"]
    with _noted(errors, "reading the Salesforce links of HubSpot contacts"):
        for props in sandboxes.hubspot.read_many("contacts", contact_ids, list(CONTACT_LINKS)).values():
            for prop, sobject in CONTACT_LINKS.items():
                if props.get(prop):
                    linked.add(props[prop])
                    if ("salesforce", props[prop]) not in known:
                        found.append(("salesforce", sobject, props[prop]))
                        known.add(("salesforce", props[prop]))
    emails: set[str] = set()
    for sobject in ("Lead", "Contact"):
        ids = [e.id for e in entries if e.system == "salesforce" and e.object == sobject]
        with _noted(errors, f"reading the e-mails of Salesforce {sobject}s"):
            emails.update(str(r["Email"]).strip().lower() for r in
                          sandboxes.salesforce.read_many(sobject, ids, ["Email"]).values() if r.get("Email"))
    for object_type, prop, _sobject in LINKED_OBJECTS:
        _linked(sandboxes, entries, object_type, prop, known, found, errors, linked)
    addresses = sorted(emails)
    for start in range(0, len(addresses), 100):
        with _noted(errors, "reading HubSpot contacts by e-mail"):
            records = sandboxes.hubspot.read_many("contacts", addresses[start:start + 100], ["email", *CONTACT_LINKS],
                                                  id_property="email")
            for record_id, props in records.items():
                linked.update(v for k, v in props.items() if k in CONTACT_LINKS and v)
                if ("hubspot", record_id) not in known:
                    found.append(("hubspot", "contacts", record_id))
                    known.add(("hubspot", record_id))
    _associated(sandboxes, entries, known, found, linked)
    for object_type, prop, sobject in LINKED_OBJECTS:
        unmatched = sorted({e.id for e in entries if e.system == "salesforce" and e.object == sobject} - linked)
        if unmatched:
            settle()
            _search_linked(sandboxes, object_type, prop, sobject, unmatched, known, found, errors)
    # Last: the activities hang off every person found above, the connector's contacts included.
    _activities(sandboxes, entries, known, found, errors)
    return found


def _linked(sandboxes: Sandboxes, entries: list[LedgerEntry], object_type: str, prop: str,
            known: set[tuple[str, str]], found: list[tuple[str, str, str]], errors: list[str], linked: set[str]) -> None:
    """Companies, deals and tickets of the run -> the Accounts, Opportunities and Cases they are linked to."""
    hubspot_ids = [e.id for e in entries if e.system == "hubspot" and e.object == object_type and object_type != "contacts"]
    sobject = next(s for o, p, s in LINKED_OBJECTS if o == object_type and p == prop)
    with _noted(errors, f"reading the Salesforce links of HubSpot {object_type}"):
        for props in sandboxes.hubspot.read_many(object_type, hubspot_ids, [prop]).values():
            if props.get(prop):
                linked.add(props[prop])
                if ("salesforce", props[prop]) not in known:
                    found.append(("salesforce", sobject, props[prop]))
                    known.add(("salesforce", props[prop]))


def _associated(sandboxes: Sandboxes, entries: list[LedgerEntry], known: set[tuple[str, str]],
                found: list[tuple[str, str, str]], linked: set[str]) -> None:
    """Companies, deals and tickets the connector made from the run's Accounts, Opportunities and Cases: through
    the associations of the run's contacts (and companies), 1,000 records a call, read with their link property.
    A read that fails only leaves those records to the search."""
    for object_type, prop, sobject in LINKED_OBJECTS:
        if object_type == "contacts":
            continue
        wanted = {e.id for e in entries if e.system == "salesforce" and e.object == sobject} - linked
        if not wanted:
            continue
        candidates: set[str] = set()
        for source in ("contacts", "companies"):
            ids = sorted({e.id for e in entries if e.system == "hubspot" and e.object == source}
                         | {i for s, o, i in found if s == "hubspot" and o == source})
            if ids and source != object_type:
                with contextlib.suppress(Exception):
                    for targets in sandboxes.hubspot.associated_many(source, ids, object_type).values():
                        candidates.update(targets)
        with contextlib.suppress(Exception):
            for record_id, props in sandboxes.hubspot.read_many(object_type, sorted(candidates), [prop]).items():
                if props.get(prop) in wanted:
                    linked.add(props[prop])
                    if ("hubspot", record_id) not in known:
                        found.append(("hubspot", object_type, record_id))
                        known.add(("hubspot", record_id))


def _search_linked(sandboxes: Sandboxes, object_type: str, prop: str, sobject: str, salesforce_ids: list[str],
                   known: set[tuple[str, str]], found: list[tuple[str, str, str]], errors: list[str]) -> None:
    """HubSpot records pointing at the run's Salesforce records no read has matched, found by search."""
    search = sandboxes.hubspot.api(object_type, "search_api")
    # Search is paced at 5 calls a second: each call asks for as many ids as one search may hold (filter groups
    # are ORed; 100 values an IN filter) and pages at the largest page search returns.
    per_call = SEARCH_GROUPS * SEARCH_IN_VALUES
    for start in range(0, len(salesforce_ids), per_call):
        with _noted(errors, f"searching HubSpot {object_type} linked to Salesforce {sobject}s"):
            after = None
            chunk = salesforce_ids[start:start + per_call]
            groups = [{"filters": [{"propertyName": prop, "operator": "IN", "values": chunk[i:i + SEARCH_IN_VALUES]}]}
                      for i in range(0, len(chunk), SEARCH_IN_VALUES)]
            while True:
                body: dict[str, Any] = {"filterGroups": groups, "properties": [prop], "limit": SEARCH_PAGE}
                if after:
                    body["after"] = after
                try:
                    page = sandboxes.hubspot._call(search.do_search, body)
                except Exception as error:
                    if getattr(error, "status", None) == 400 and "does not exist" in str(getattr(error, "body", "")):
                        return  # the portal has no such link property: the connector links none of these
                    raise
                for record in page.results or []:
                    if ("hubspot", record.id) not in known:
                        found.append(("hubspot", object_type, record.id))
                        known.add(("hubspot", record.id))
                after = page.paging.next.after if page.paging and page.paging.next else None
                if not after:
                    break


def _activities(sandboxes: Sandboxes, entries: list[LedgerEntry], known: set[tuple[str, str]],
                found: list[tuple[str, str, str]], errors: list[str]) -> None:
    """Activities the connector logged on the run's people: Salesforce Tasks whose WhoId is one of the run's Leads
    or Contacts, HubSpot engagements associated with one of the run's contacts. Those people did not exist
    before the run, so nothing else can hang off them. (The connector keeps no link property on activities.)"""
    people = sorted({e.id for e in entries if e.system == "salesforce" and e.object in ("Lead", "Contact")}
                    | {i for s, o, i in found if s == "salesforce" and o in ("Lead", "Contact")})
    for where in id_filters("WhoId", people, "SELECT Id FROM Task WHERE "):
        with _noted(errors, "reading the Salesforce Tasks of the run's Leads and Contacts"):
            for row in sandboxes.salesforce.query_all(f"SELECT Id FROM Task WHERE {where}"):
                if ("salesforce", row["Id"]) not in known:
                    found.append(("salesforce", "Task", row["Id"]))
                    known.add(("salesforce", row["Id"]))
    contacts = sorted({e.id for e in entries if e.system == "hubspot" and e.object == "contacts"}
                      | {i for s, o, i in found if s == "hubspot" and o == "contacts"})
    for kind in sorted(ENGAGEMENTS):
        for start in range(0, len(contacts), ASSOCIATIONS_PER_READ):
            with _noted(errors, f"reading the {kind} associated with the run's HubSpot contacts"):
                try:
                    chunk = contacts[start:start + ASSOCIATIONS_PER_READ]
                    answer = sandboxes.hubspot.request("POST", f"/crm/v4/associations/contacts/{kind}/batch/read",
                                                       {"inputs": [{"id": c} for c in chunk]})
                except requests.HTTPError as error:
                    if error.response is not None and error.response.status_code in (400, 404):
                        break  # the portal has no such activity type or association: nothing to find
                    raise
                for result in (answer or {}).get("results", []):
                    for target in result.get("to", []):
                        activity = str(target.get("toObjectId"))
                        if ("hubspot", activity) not in known:
                            found.append(("hubspot", kind, activity))
                            known.add(("hubspot", activity))


@contextlib.contextmanager
def _noted(errors: list[str], what: str) -> Iterator[None]:
    try:
        yield
    except Exception as error:  # keep going: what could be read is still cleaned, and the pass is repeated
        errors.append(f"{what}: {type(error).__name__}")


def _salesforce_batch(sandboxes: Sandboxes, sobject: str, ids: list[str], result: CleanupResult) -> list[str]:
    """Delete up to 200 records in one call; the ids that are gone now (deleted or already gone)."""
    try:
        answers = sandboxes.salesforce.restful("composite/sobjects", method="DELETE",
                                               params={"ids": ",".join(ids), "allOrNone": "false"}) or []
    except SalesforceResourceNotFound:  # no sObject Collections here: one call per record
        return [i for i in ids if _salesforce_single(sandboxes, sobject, i, result)]
    except Exception as error:  # retries ran out (throttling, an outage): these stay for the next pass
        result.failed.extend(f"salesforce {sobject} {i}: {type(error).__name__}" for i in ids)
        return []
    done = []
    for record_id, answer in zip(ids, answers, strict=False):
        codes = {e.get("statusCode") for e in answer.get("errors") or []}
        if answer.get("success"):
            result.deleted[f"salesforce.{sobject}"] = result.deleted.get(f"salesforce.{sobject}", 0) + 1
            done.append(record_id)
        elif codes & GONE:
            result.already_gone += 1
            done.append(record_id)
        else:
            result.failed.append(f"salesforce {sobject} {record_id}: {', '.join(sorted(c for c in codes if c))}")
    return done


def _salesforce_single(sandboxes: Sandboxes, sobject: str, record_id: str, result: CleanupResult) -> bool:
    try:
        sandboxes.salesforce.delete(sobject, record_id)
        result.deleted[f"salesforce.{sobject}"] = result.deleted.get(f"salesforce.{sobject}", 0) + 1
    except SalesforceResourceNotFound:
        result.already_gone += 1
    except Exception as error:  # keep going: one stubborn record must not strand the rest
        result.failed.append(f"salesforce {sobject} {record_id}: {type(error).__name__}")
        return False
    return True


def _hubspot_batch(sandboxes: Sandboxes, object_type: str, ids: list[str], result: CleanupResult) -> list[str]:
    """Archive up to 100 records in one call (HubSpot answers 204 for ids already archived)."""
    try:
        sandboxes.hubspot._call(_hubspot_api(sandboxes, object_type, "batch_api").archive,
                                {"inputs": [{"id": i} for i in ids]})
    except Exception as error:
        result.failed.extend(f"hubspot {object_type} {i}: {getattr(error, 'status', type(error).__name__)}" for i in ids)
        return []
    result.deleted[f"hubspot.{object_type}"] = result.deleted.get(f"hubspot.{object_type}", 0) + len(ids)
    return ids


def cleanup_run(sandboxes: Sandboxes, ledger: Ledger, progress_path: Path) -> CleanupResult:
    result = CleanupResult()
    done: set[tuple[str, str]] = set()
    if progress_path.exists():
        for line in progress_path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError, KeyError):
                item = json.loads(line)
                done.add((item["system"], item["id"]))
    entries = ledger.entries()
    settled: list[bool] = []

    def settle() -> None:  # only before the first search: a cleanup that finds everything by reads never waits
        if not settled:
            settle_search(progress_path.parent)
            settled.append(True)

    if _searched_intents(progress_path.parent, entries):  # looked up by search (creates_in_doubt)
        settle()
    try:
        in_doubt = creates_in_doubt(sandboxes, progress_path.parent, entries)
    except Exception as error:  # cannot tell whether they exist: deleting the rest now could strand them
        result.failed.append(f"looking up scenario creates in doubt: {type(error).__name__}")
        return result
    if in_doubt:  # created by a run killed before its ledger write: theirs to clean like any other
        for system, sobject, record_id, key in in_doubt:
            ledger.record(system, sobject, record_id, "scenario", key=key)
        entries = ledger.entries()
    derived = derived_records(sandboxes, entries, result.failed, settle)
    # Into the ledger before anything is deleted: once a record is gone, what was derived from it cannot be read.
    ledger.record_many([(system, sobject, record_id, None) for system, sobject, record_id in derived], "derived")
    if result.failed:  # a link could not be read: deleting now could strand what it points at; try again later
        return result
    targets = [(e.system, e.object, e.id) for e in entries] + derived
    pending = [t for t in dict.fromkeys(targets) if (t[0], t[2]) not in done]
    groups: dict[tuple[str, str], list[str]] = {}
    for system, sobject, record_id in pending:
        groups.setdefault((system, sobject), []).append(record_id)
    order = sorted(groups, key=lambda g: (g[0] != "salesforce",
                                          _rank(SALESFORCE_ORDER if g[0] == "salesforce" else HUBSPOT_ORDER, g[1])))
    with progress_path.open("a", encoding="utf-8") as progress:
        for system, sobject in order:
            ids = groups[(system, sobject)]
            size = 200 if system == "salesforce" else 100
            for start in range(0, len(ids), size):
                chunk = ids[start:start + size]
                gone = (_salesforce_batch if system == "salesforce" else _hubspot_batch)(sandboxes, sobject, chunk,
                                                                                       result)
                progress.write("".join(json.dumps({"system": system, "object": sobject, "id": i}) + "\n" for i in gone))
                progress.flush()
                os.fsync(progress.fileno())
    return result


def cleanup_until_clean(clean: Callable[[], Any], passes: int = 5) -> Any:
    """Repeat a resumable cleanup while records remain (throttling and 5xx leave some behind on a pass)."""
    result = clean()
    for _ in range(passes - 1):
        if not result.failed:
            break
        retry = clean()
        for key, count in retry.deleted.items():
            result.deleted[key] = result.deleted.get(key, 0) + count
        result.already_gone += retry.already_gone
        result.failed = retry.failed
    return result
