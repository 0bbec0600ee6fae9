"""Contacts without accounts (Salesforce "private" contacts) and the company-creation rules around them."""

from __future__ import annotations

from typing import Any

from faker import Faker

from harness.sync import LINK_PROPERTY
from harness.uat.failures import MappingMismatch
from harness.uat.pairs import Pair, contact_values, salesforce_record_synced
from harness.uat.waiter import settle
from harness.uat.world import World

_fake = Faker("en_US")


def private_contact(world: World) -> Pair:
    values = contact_values(world)
    data = {"FirstName": values["firstname"], "LastName": values["lastname"], "Email": values["email"]}
    return salesforce_record_synced(world, "Contact", data, "contacts")


def expect_no_company(world: World, pair: Pair) -> None:
    settle(world.waiter, f"HubSpot contact {pair.hubspot_id} stays without a company",
           lambda: world.sandboxes.hubspot.associated_ids("contacts", pair.hubspot_id, "companies"),
           lambda companies: {"associated companies": companies} if companies else None, "mapping mismatch")


def company_for_contact(world: World, pair: Pair) -> str:
    name = f"{_fake.company()} {world.tag}"
    company_id = world.create_hubspot("companies", {"name": name, "domain": f"{_fake.domain_word()}-{world.tag}.example.com"})
    world.sandboxes.hubspot.associate("contacts", pair.hubspot_id, "companies", company_id)
    return company_id


def expect_company_linked(world: World, company_id: str) -> str:
    link = LINK_PROPERTY["Account"]
    observed = world.waiter.until(f"HubSpot company {company_id} linked to a Salesforce Account",
                                  lambda: world.hubspot("companies", company_id, [link]),
                                  lambda props: None if props.get(link) else {link: "not set"})
    world.observed("salesforce", "Account", observed.value[link])
    return observed.value[link]


def expect_company_not_linked(world: World, company_id: str) -> None:
    link = LINK_PROPERTY["Account"]

    def linked(props: dict[str, Any]) -> Any:
        return {link: props.get(link)} if props.get(link) else None

    try:
        settle(world.waiter, f"HubSpot company {company_id} creates no Salesforce Account (its contact syncs as a Lead)",
               lambda: world.hubspot("companies", company_id, [link]), linked, "mapping mismatch")
    except AssertionError as broken:
        raise MappingMismatch("a company whose contacts all sync as Leads created a Salesforce Account; leads never "
                              "create accounts", str(broken).split("\n", 1)[-1]) from None
