"""Fill a twin's state with a large, synced population quickly: for benchmarks at a million contacts.

Going through the APIs (or the save pipeline) would take hours at that volume, so the fill makes one template of
each shape through the twin's own behaviour (a Lead, an Account with a Contact, saved in Salesforce, then one
connector cycle creating and linking their HubSpot contact and company, associations included), reads the rows
that produced, and writes N copies straight into SQLite with fresh ids and per-record names and e-mails. The
copies are exactly what the connector would have left: Salesforce rows, HubSpot objects, the e-mail index,
company <-> contact associations and the connector's links with their snapshots.

Not filled: property history and the HubSpot search index (search finds only records made through the API);
neither is read by whole-population reconciliation, which uses Bulk 2.0 queries and exports.

    from harness.twin.twin import Twin
    twin = Twin(org="healthy", state_dir=path)   # not started: nothing is served while it fills
    fill_contacts(twin, 1_000_000)
    twin.stop()                                  # then Twin.start(org="healthy", state_dir=path) serves it
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .salesforce.ids import decode_counter, make_id

if TYPE_CHECKING:
    from .twin import Twin

BATCH = 20_000
# Template values chosen so that no token is part of another: each copy gets its own by plain replacement.
LEAD = {"FirstName": "Leadfirsttmpl", "LastName": "Leadlasttmpl", "Email": "lead.tmpl@example.com",
        "Company": "Leadcompanytmpl"}
CONTACT = {"FirstName": "Confirsttmpl", "LastName": "Conlasttmpl", "Email": "contact.tmpl@example.com"}
ACCOUNT = {"Name": "Accounttmplco", "Website": "https://accounttmplco.example.com"}


@dataclass
class Template:
    sf_table: str
    sf_columns: list[str]
    sf_row: list[Any]
    sf_id: str
    hs_id: str
    hs_properties: str
    hs_row: dict[str, Any]
    link: dict[str, Any]


def _template(twin: Twin, sobject: str, sf_id: str) -> Template:
    db = twin.store.db
    table = twin.salesforce.sobject(sobject).table
    row = db.execute(f'SELECT * FROM "{table}" WHERE "Id" = ?', (sf_id,)).fetchone()
    link = dict(db.execute("SELECT * FROM connector_links WHERE sf_id = ?", (sf_id,)).fetchone())
    hs_row = dict(db.execute("SELECT * FROM hs_objects WHERE object_type = ? AND id = ?",
                             (link["hs_object"], int(link["hs_id"]))).fetchone())
    return Template(table, list(row.keys()), list(row), sf_id, link["hs_id"], hs_row["properties"], hs_row, link)


def _replace(text: str, swaps: list[tuple[str, str]]) -> str:
    for old, new in swaps:
        text = text.replace(old, new)
    return text


def _copy(template: Template, swaps: list[tuple[str, str]], hs_id: str, hs_swaps: list[tuple[str, str]] | None = None,
          ) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """One copy: (Salesforce row, HubSpot object row, link row) with the template's tokens and ids swapped."""
    sf_row = tuple(_replace(v, swaps) if isinstance(v, str) else v for v in template.sf_row)
    hs = template.hs_row
    hs_row = (hs["object_type"], int(hs_id), _replace(template.hs_properties, hs_swaps or swaps), hs["created_ms"],
              hs["updated_ms"], 0, None, None)
    link = template.link
    link_row = (link["hs_object"], hs_id, link["sf_object"], _replace(link["sf_id"], swaps),
                _replace(link["hs_snapshot"], swaps), _replace(link["sf_snapshot"], swaps), link["synced_ms"])
    return sf_row, hs_row, link_row


class _Ids:
    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        db = twin.store.db
        self.hs_next = int(twin.store.meta("hs.counter", "0"))
        self.hs_base = 100_000_000 + twin.hubspot.portal.portal_id % 1000 * 1_000_000
        self.sf_next: dict[str, int] = {}
        for sobject in ("Lead", "Contact", "Account"):
            schema = twin.salesforce.sobject(sobject)
            top = db.execute(f'SELECT MAX("Id") FROM "{schema.table}"').fetchone()[0]
            self.sf_next[schema.key_prefix] = decode_counter(top) if top else 0

    def hubspot(self) -> str:
        self.hs_next += 1
        return str(self.hs_base + self.hs_next)

    def salesforce(self, prefix: str) -> str:
        self.sf_next[prefix] += 1
        return make_id(prefix, self.sf_next[prefix])


def _insert(twin: Twin, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in columns)
        twin.store.db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)


HS_COLUMNS = ["object_type", "id", "properties", "created_ms", "updated_ms", "archived", "archived_ms", "merged_into"]
LINK_COLUMNS = ["hs_object", "hs_id", "sf_object", "sf_id", "hs_snapshot", "sf_snapshot", "synced_ms"]


def fill_contacts(twin: Twin, contacts: int, lead_share: float = 0.5, contacts_per_account: int = 10,
                  differ_every: int = 0) -> dict[str, Any]:
    """Add `contacts` synced HubSpot contacts: a `lead_share` of them linked to Leads, the rest to Contacts, with an
    Account (and its linked company, associated with its contacts) per `contacts_per_account` Contacts. With
    `differ_every` = k, every k-th HubSpot contact's first name differs from Salesforce (a planted mismatch)."""
    started = time.perf_counter()
    backend = twin.salesforce
    account_id = backend.create("Account", dict(ACCOUNT))
    contact_id = backend.create("Contact", {**CONTACT, "AccountId": account_id})
    lead_id = backend.create("Lead", dict(LEAD))
    twin.sync_now()
    templates = {name: _template(twin, name, sf_id) for name, sf_id in
                 (("Lead", lead_id), ("Contact", contact_id), ("Account", account_id))}
    db = twin.store.db
    with twin.store.transaction():
        for t in templates.values():  # the templates were only patterns: their copies replace them
            db.execute(f'DELETE FROM "{t.sf_table}" WHERE "Id" = ?', (t.sf_id,))
            db.execute("DELETE FROM hs_objects WHERE object_type = ? AND id = ?", (t.hs_row["object_type"], int(t.hs_id)))
            db.execute("DELETE FROM hs_contact_emails WHERE id = ?", (int(t.hs_id),))
            db.execute("DELETE FROM connector_links WHERE sf_id = ?", (t.sf_id,))
        associations = [dict(r) for r in db.execute("SELECT * FROM hs_associations WHERE from_id IN (?, ?) OR "
                                                    "to_id IN (?, ?)", (int(templates["Account"].hs_id),
                                                                        int(templates["Contact"].hs_id),
                                                                        int(templates["Account"].hs_id),
                                                                        int(templates["Contact"].hs_id)))]
        db.execute("DELETE FROM hs_associations WHERE from_id IN (?, ?) OR to_id IN (?, ?)",
                   (int(templates["Account"].hs_id), int(templates["Contact"].hs_id),
                    int(templates["Account"].hs_id), int(templates["Contact"].hs_id)))
    ids = _Ids(twin)
    leads = round(contacts * lead_share)
    people = contacts - leads
    accounts = math.ceil(people / contacts_per_account) if people else 0
    prefixes = {name: backend.sobject(name).key_prefix for name in templates}
    account_ids: list[tuple[str, str]] = []  # (Salesforce id, HubSpot company id) per account
    for batch in _batches(accounts):
        sf_rows, hs_rows, links = [], [], []
        for n in batch:
            sf_id, hs_id = ids.salesforce(prefixes["Account"]), ids.hubspot()
            t = templates["Account"]
            swaps = [(t.sf_id, sf_id), (t.hs_id, hs_id), ("accounttmplco", f"account{n}"), ("Accounttmplco", f"Account {n}")]
            row = _copy(t, swaps, hs_id)
            sf_rows.append(row[0])
            hs_rows.append(row[1])
            links.append(row[2])
            account_ids.append((sf_id, hs_id))
        _write(twin, templates["Account"], sf_rows, hs_rows, links, [])
    planted = 0
    for batch in _batches(contacts):
        sf_rows_by: dict[str, list[tuple[Any, ...]]] = {"Lead": [], "Contact": []}
        hs_rows, links_by, emails, assoc = [], {"Lead": [], "Contact": []}, [], []
        for n in batch:
            kind = "Lead" if n < leads else "Contact"
            t = templates[kind]
            sf_id, hs_id = ids.salesforce(prefixes[kind]), ids.hubspot()
            email = f"{kind.lower()}{n}@volume.example.com"
            names = LEAD if kind == "Lead" else CONTACT
            swaps = [(t.sf_id, sf_id), (t.hs_id, hs_id), (names["Email"], email),
                     (names["FirstName"], f"First{n}"), (names["LastName"], f"Last{n}")]
            if kind == "Lead":
                swaps.append((LEAD["Company"], f"Company {n % 5000}"))
            else:
                account_sf, account_hs = account_ids[(n - leads) // contacts_per_account]
                swaps.append((templates["Account"].sf_id, account_sf))
                assoc += [(a["from_type"], int(account_hs) if a["from_type"] == "companies" else int(hs_id),
                           a["to_type"], int(account_hs) if a["to_type"] == "companies" else int(hs_id), a["category"],
                           a["type_id"], a["created_ms"]) for a in associations]
            hs_swaps = None
            if differ_every and n % differ_every == differ_every - 1:
                hs_swaps = [*swaps[:3], (names["FirstName"], f"Changed{n}"), *swaps[4:]]
                planted += 1
            row = _copy(t, swaps, hs_id, hs_swaps)
            sf_rows_by[kind].append(row[0])
            hs_rows.append(row[1])
            links_by[kind].append(row[2])
            emails.append((email, int(hs_id), "primary"))
        for kind in ("Lead", "Contact"):
            _write(twin, templates[kind], sf_rows_by[kind], [], links_by[kind], [])
        _write(twin, templates["Lead"], [], hs_rows, [], emails, assoc)
    twin.store.set_meta("hs.counter", str(ids.hs_next))
    with backend._counter_lock:  # the backend caches its id counters: let it read the new maxima
        backend._counters.clear()
    return {"contacts": contacts, "leads": leads, "contacts_linked_to_contacts": people, "accounts": accounts,
            "planted_differences": planted, "seconds": round(time.perf_counter() - started, 1)}


def _batches(total: int) -> Iterator[range]:
    for start in range(0, total, BATCH):
        yield range(start, min(total, start + BATCH))


def _write(twin: Twin, template: Template, sf_rows: list[tuple[Any, ...]], hs_rows: list[tuple[Any, ...]],
           links: list[tuple[Any, ...]], emails: list[tuple[Any, ...]],
           associations: list[tuple[Any, ...]] | None = None) -> None:
    with twin.store.transaction():
        _insert(twin, template.sf_table, template.sf_columns, sf_rows)
        _insert(twin, "hs_objects", HS_COLUMNS, hs_rows)
        _insert(twin, "connector_links", LINK_COLUMNS, links)
        _insert(twin, "hs_contact_emails", ["email", "id", "kind"], emails)
        _insert(twin, "hs_associations", ["from_type", "from_id", "to_type", "to_id", "category", "type_id",
                                          "created_ms"], associations or [])
