"""The run's population on both sides: everything the ledger lists, plus its counterparts on the other side.

Reads are by id (HubSpot batch read, Salesforce SOQL on Id through queryAll so deleted and merged-away rows
still answer). Counterparts the connector created are found through the links HubSpot stores (salesforce*id)
and, for a Salesforce record HubSpot has no link to, by e-mail through `idProperty` (a read, not a search).
Companies are found through the companies associated with their Accounts' contacts (by id); only an Account
without any synced contact is looked up by search (HubSpot offers no unique key for salesforceaccountid), which
is why this runs only after the sync window has passed.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from harness.run.ledger import LedgerEntry
from harness.sandboxes import Sandboxes
from harness.sandboxes.catalog import FieldCatalog
from harness.sync.objects import HUBSPOT_OBJECT, LINKS

STATE_FIELDS = {"Lead": ["Email", "IsDeleted", "MasterRecordId", "IsConverted", "ConvertedContactId", "ConvertedAccountId"],
                "Contact": ["Email", "IsDeleted", "MasterRecordId", "AccountId"],
                "Account": ["IsDeleted", "MasterRecordId", "Website", "Name"],
                "Opportunity": ["IsDeleted", "StageName", "AccountId"], "Case": ["IsDeleted"]}


@dataclass
class Population:
    hubspot: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    salesforce: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))

    def link_of(self, object_type: str, props: dict[str, Any]) -> tuple[str, str] | None:
        """The Salesforce record a HubSpot record is linked to (Contact before Lead: a converted lead's contact wins)."""
        for prop, sobject in LINKS.get(object_type, []):
            if props.get(prop):
                return sobject, props[prop]
        return None


def _sf_fields(sandboxes: Sandboxes, sobject: str, wanted: set[str], catalog: Any = None) -> list[str]:
    catalog = catalog or FieldCatalog(sandboxes)
    return sorted(name for name in wanted if catalog.salesforce(sobject, name) is not None)


def gather(sandboxes: Sandboxes, entries: list[LedgerEntry], hubspot_properties: dict[str, set[str]],
           salesforce_fields: dict[str, set[str]], catalog: Any = None) -> Population:
    population = Population()
    hubspot_ids: dict[str, set[str]] = defaultdict(set)
    salesforce_ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if (entry.system == "salesforce" and entry.object not in HUBSPOT_OBJECT) or \
                (entry.system == "hubspot" and entry.object not in LINKS):
            continue  # records the connector does not sync as records of their own (contact roles, tasks, notes...)
        (hubspot_ids if entry.system == "hubspot" else salesforce_ids)[entry.object].add(entry.id)
    for object_type, ids in hubspot_ids.items():
        names = hubspot_properties.get(object_type, set()) | {p for p, _ in LINKS.get(object_type, [])}
        population.hubspot[object_type].update(sandboxes.hubspot.read_many(object_type, ids, sorted(names)))
        for props in population.hubspot[object_type].values():
            for prop, sobject in LINKS.get(object_type, []):
                if props.get(prop):
                    salesforce_ids[sobject].add(props[prop])
    for sobject, ids in salesforce_ids.items():
        wanted = salesforce_fields.get(sobject, set()) | set(STATE_FIELDS.get(sobject, ["IsDeleted"]))
        fields = _sf_fields(sandboxes, sobject, wanted, catalog)
        columns = ", ".join(dict.fromkeys(["Id", *fields]))
        listed = sorted(ids)
        for start in range(0, len(listed), 200):
            quoted = ", ".join(f"'{i}'" for i in listed[start:start + 200])
            for record in sandboxes.salesforce.query_all(f"SELECT {columns} FROM {sobject} WHERE Id IN ({quoted})",
                                                         include_deleted=True):
                record.pop("attributes", None)
                population.salesforce[sobject][record["Id"]] = record
    _discover_hubspot_counterparts(sandboxes, population, hubspot_properties)
    return population


def _discover_hubspot_counterparts(sandboxes: Sandboxes, population: Population,
                                   hubspot_properties: dict[str, set[str]]) -> None:
    linked = {(sobject, sf_id) for object_type, records in population.hubspot.items() for props in records.values()
              for sobject, sf_id in [population.link_of(object_type, props) or ("", "")]}
    contact_props = sorted(hubspot_properties.get("contacts", set()) | {p for p, _ in LINKS["contacts"]} | {"email"})
    emails = sorted({str(record["Email"]).strip().lower() for sobject in ("Lead", "Contact")
                     for sf_id, record in population.salesforce.get(sobject, {}).items()
                     if (sobject, sf_id) not in linked and not record.get("IsDeleted") and record.get("Email")})
    if emails:
        # By e-mail through batch read (idProperty), 100 a call; an e-mail HubSpot lacks simply stays unmatched.
        population.hubspot["contacts"].update(sandboxes.hubspot.read_many("contacts", emails, contact_props,
                                                                          id_property="email"))
    _discover_companies(sandboxes, population, hubspot_properties, linked)
    _discover_associated(sandboxes, population, hubspot_properties, linked)


def _discover_associated(sandboxes: Sandboxes, population: Population, hubspot_properties: dict[str, set[str]],
                         linked: set[tuple[str, str]]) -> None:
    """Deals and tickets the connector made from the run's Opportunities and Cases: through the deals and tickets
    associated with the population's contacts and companies (batch association reads, then reads by id)."""
    for object_type, link, sobject in (("deals", "hs_salesforceopportunityid", "Opportunity"),
                                       ("tickets", "salesforcecaseid", "Case")):
        wanted = {sf_id for sf_id, record in population.salesforce.get(sobject, {}).items()
                  if (sobject, sf_id) not in linked and not record.get("IsDeleted")}
        if not wanted:
            continue
        candidates: set[str] = set()
        for source in ("contacts", "companies"):
            ids = list(population.hubspot.get(source, {}))
            if ids:
                with contextlib.suppress(Exception):
                    for targets in sandboxes.hubspot.associated_many(source, ids, object_type).values():
                        candidates.update(targets)
        candidates -= set(population.hubspot.get(object_type, {}))
        if not candidates:
            continue
        names = sorted(hubspot_properties.get(object_type, set()) | {link})
        for object_id, props in sandboxes.hubspot.read_many(object_type, sorted(candidates), names).items():
            if props.get(link) in wanted:
                population.hubspot[object_type][object_id] = props


def _discover_companies(sandboxes: Sandboxes, population: Population, hubspot_properties: dict[str, set[str]],
                        linked: set[tuple[str, str]]) -> None:
    """Companies of Accounts HubSpot has no known link to: through the companies associated with the contacts of
    those Accounts (reads by id); search only for an Account without any synced contact."""
    wanted = {sf_id for sf_id, record in population.salesforce.get("Account", {}).items()
              if ("Account", sf_id) not in linked and not record.get("IsDeleted")}
    if not wanted:
        return
    names = sorted(hubspot_properties.get("companies", set()) | {"salesforceaccountid"})
    contact_of_account: dict[str, str] = {}
    by_contact = {props.get("salesforcecontactid"): hs_id for hs_id, props in population.hubspot.get("contacts", {}).items()
                  if props.get("salesforcecontactid")}
    for sf_id, record in population.salesforce.get("Contact", {}).items():
        if record.get("AccountId") in wanted and sf_id in by_contact:
            contact_of_account.setdefault(record["AccountId"], by_contact[sf_id])
    candidates: set[str] = set()
    for contact_id in set(contact_of_account.values()):
        with contextlib.suppress(Exception):
            candidates.update(sandboxes.hubspot.associated_ids("contacts", contact_id, "companies"))
    if candidates:
        for company_id, props in sandboxes.hubspot.read_many("companies", sorted(candidates), names).items():
            if props.get("salesforceaccountid") in wanted:
                population.hubspot["companies"][company_id] = props
    found = {props.get("salesforceaccountid") for props in population.hubspot.get("companies", {}).values()}
    for sf_id in sorted(wanted - found - set(contact_of_account)):
        with contextlib.suppress(Exception):
            body = {"filterGroups": [{"filters": [{"propertyName": "salesforceaccountid", "operator": "EQ",
                                                   "value": sf_id}]}], "properties": names, "limit": 10}
            for result in sandboxes.hubspot._call(sandboxes.hubspot.api("companies", "search_api").do_search, body).results:
                population.hubspot["companies"][result.id] = dict(result.properties or {})
