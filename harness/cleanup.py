"""Delete what a run created, children first, and nothing else.

The ledger lists what the run created directly (seed, scenarios) and what the connector created because of it
(observed links). Records the connector made from ledger records but the run never observed are found through
their link: a HubSpot contact's Salesforce ids, a Salesforce record's e-mail on the HubSpot side. Progress is
written to `cleanup.jsonl` as it goes, so an interrupted cleanup resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from simple_salesforce.exceptions import SalesforceResourceNotFound

from .ledger import Ledger, LedgerEntry
from .sandboxes import Sandboxes

# Children before parents, so nothing is left pointing at a deleted record.
SALESFORCE_ORDER = ["Task", "CampaignMember", "OpportunityContactRole", "Opportunity", "Case", "Contact", "Lead", "Account"]
HUBSPOT_ORDER = ["calls", "emails", "meetings", "notes", "tasks", "deals", "tickets", "contacts", "companies"]
LINK_PROPERTIES = {"salesforceleadid": "Lead", "salesforcecontactid": "Contact"}


@dataclass
class CleanupResult:
    deleted: dict[str, int] = field(default_factory=dict)
    already_gone: int = 0
    failed: list[str] = field(default_factory=list)


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else -1


def derived_records(sandboxes: Sandboxes, entries: list[LedgerEntry]) -> list[tuple[str, str, str]]:
    """Records on the other side that the connector created from the run's records."""
    known = {(e.system, e.id) for e in entries}
    found: list[tuple[str, str, str]] = []
    contact_ids = [e.id for e in entries if e.system == "hubspot" and e.object == "contacts"]
    with contextlib.suppress(Exception):
        for props in sandboxes.hubspot.read_many("contacts", contact_ids, list(LINK_PROPERTIES)).values():
            for prop, sobject in LINK_PROPERTIES.items():
                if props.get(prop) and ("salesforce", props[prop]) not in known:
                    found.append(("salesforce", sobject, props[prop]))
                    known.add(("salesforce", props[prop]))
    for entry in entries:
        if entry.system == "salesforce" and entry.object in {"Lead", "Contact"}:
            with contextlib.suppress(Exception):
                record = sandboxes.salesforce.get(entry.object, entry.id)
                email = record.get("Email")
                found_id = _hubspot_contact_by_email(sandboxes, email) if email else None
                if found_id and ("hubspot", found_id) not in known:
                    found.append(("hubspot", "contacts", found_id))
                    known.add(("hubspot", found_id))
    return found


def _hubspot_contact_by_email(sandboxes: Sandboxes, email: str) -> str | None:
    api = sandboxes.hubspot.api("contacts", "basic_api")
    try:
        return sandboxes.hubspot._call(api.get_by_id, email, id_property="email").id
    except Exception:
        return None


def cleanup_run(sandboxes: Sandboxes, ledger: Ledger, progress_path: Path) -> CleanupResult:
    result = CleanupResult()
    done: set[tuple[str, str]] = set()
    if progress_path.exists():
        for line in progress_path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError, KeyError):
                item = json.loads(line)
                done.add((item["system"], item["id"]))
    entries = ledger.entries()
    targets = [(e.system, e.object, e.id) for e in entries] + derived_records(sandboxes, entries)
    unique = list(dict.fromkeys(targets))
    salesforce = sorted((t for t in unique if t[0] == "salesforce"), key=lambda t: _rank(SALESFORCE_ORDER, t[1]))
    hubspot = sorted((t for t in unique if t[0] == "hubspot"), key=lambda t: _rank(HUBSPOT_ORDER, t[1]))
    with progress_path.open("a", encoding="utf-8") as progress:
        for system, sobject, record_id in salesforce + hubspot:
            if (system, record_id) in done:
                continue
            try:
                if system == "salesforce":
                    sandboxes.salesforce.delete(sobject, record_id)
                else:
                    sandboxes.hubspot.archive(sobject, record_id)
                result.deleted[f"{system}.{sobject}"] = result.deleted.get(f"{system}.{sobject}", 0) + 1
            except SalesforceResourceNotFound:
                result.already_gone += 1
            except Exception as error:  # keep going: one stubborn record must not strand the rest
                result.failed.append(f"{system} {sobject} {record_id}: {type(error).__name__}")
                continue
            progress.write(json.dumps({"system": system, "object": sobject, "id": record_id}) + "\n")
            progress.flush()
            os.fsync(progress.fileno())
    return result
