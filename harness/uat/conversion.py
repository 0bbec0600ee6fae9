"""Lead conversion through the SOAP partner API, and what it must leave behind on both sides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simple_salesforce.exceptions import SalesforceError

from harness.sandboxes.soap import ConvertResult, SoapClient
from harness.sync import LINK_PROPERTY
from harness.uat.failures import Duplicates, MappingMismatch
from harness.uat.pairs import Pair, expect_salesforce_values
from harness.uat.values import FieldValue
from harness.uat.waiter import settle
from harness.uat.world import World


@dataclass(frozen=True)
class ConvertedLead:
    """A synced Lead after convertLead: the pair as it was synced (HubSpot contact and Lead) and what Salesforce
    made of the Lead (Account, Contact, Opportunity)."""

    lead: Pair
    result: ConvertResult

    @property
    def opportunity_id(self) -> str | None:
        return self.result.opportunity_id


def converted_status(world: World) -> str:
    """A Lead Status that means converted: the profile's, else the org's own (LeadStatus.IsConverted)."""
    if world.profile.lead_status and world.profile.lead_status.converted:
        return world.profile.lead_status.converted[0]
    rows = world.sandboxes.salesforce.query_all("SELECT ApiName FROM LeadStatus WHERE IsConverted = true LIMIT 1")
    return rows[0]["ApiName"]


def convert(world: World, pair: Pair, with_opportunity: bool, account: Pair | None = None) -> ConvertedLead:
    """Convert the pair's Lead into a new Account, or into `account` (a synced Account pair) when given."""
    account_id = account.salesforce_id if account else None
    result = SoapClient(world.sandboxes.salesforce).convert_lead(
        pair.salesforce_id, converted_status(world), account_id=account_id, create_opportunity=with_opportunity,
        opportunity_name=f"UAT {world.tag} conversion" if with_opportunity else None)
    for sobject, record_id in (("Account", result.account_id), ("Contact", result.contact_id),
                               ("Opportunity", result.opportunity_id)):
        if record_id and not (sobject == "Account" and account_id):
            world.ledger.record("salesforce", sobject, record_id, "scenario")
    return ConvertedLead(pair, result)


def expect_relinked(world: World, converted: ConvertedLead) -> Pair:
    """The HubSpot contact follows the converted Contact: salesforcecontactid = the new Contact. Returns the pair
    the contact now makes, with the Contact."""
    pair, result = converted.lead, converted.result
    link = LINK_PROPERTY["Contact"]
    world.waiter.until(f"HubSpot contact {pair.hubspot_id} linked to converted Contact {result.contact_id}",
                       lambda: world.hubspot("contacts", pair.hubspot_id, [link]),
                       lambda props: None if props.get(link) == result.contact_id else
                       {link: {"expected": result.contact_id, "observed": props.get(link)}})
    return Pair("contacts", pair.hubspot_id, "Contact", result.contact_id or "", pair.values)


def expect_lead_read_only(world: World, converted: ConvertedLead) -> None:
    pair = converted.lead
    try:
        world.sandboxes.salesforce.update("Lead", pair.salesforce_id, {"Title": "should not save"})
    except SalesforceError as refused:
        if "CANNOT_UPDATE_CONVERTED_LEAD" in str(refused.content):
            return
        raise
    raise MappingMismatch(f"converted Lead {pair.salesforce_id} accepted an update; Salesforce refuses updates to "
                          "converted leads (CANNOT_UPDATE_CONVERTED_LEAD)")


def expect_one_company(world: World, account: Pair, contact: Pair) -> None:
    """No duplicate company: after the conversion the contact is associated with exactly one company, the one
    linked to the Account it was converted into (the documented duplicate would be associated with it too)."""
    account_id, contact_id = account.salesforce_id, contact.hubspot_id

    def read() -> dict[str, Any]:
        companies = world.sandboxes.hubspot.associated_ids("contacts", contact_id, "companies")
        linked = world.sandboxes.hubspot.read_many("companies", companies, [LINK_PROPERTY["Account"]]) if companies else {}
        return {"companies": sorted(companies), "links": {k: v.get(LINK_PROPERTY["Account"]) for k, v in linked.items()}}

    def duplicated(state: dict[str, Any]) -> Any:
        return state if len(state["companies"]) > 1 or (state["companies"] and account_id not in state["links"].values()) \
            else None

    try:
        settle(world.waiter, f"HubSpot holds one company for Account {account_id}", read, duplicated, "duplicates")
    except AssertionError as broken:
        raise Duplicates(f"conversion into Account {account_id} left the contact with a duplicate or wrong company",
                         str(broken).split("\n", 1)[-1]) from None


def expect_contact_takes_change(world: World, contact: Pair, field: str, change: FieldValue) -> None:
    """A HubSpot change made after the conversion reaches the converted Contact's `field`."""
    expect_salesforce_values(world, contact, {field: change.salesforce},
                             f"converted Contact {contact.salesforce_id} takes the HubSpot change to {field}")
