"""Companies and Accounts: Salesforce-born pairs (every new Account syncs to HubSpot when company sync is on)."""

from __future__ import annotations

import time
from typing import Any

from faker import Faker

from ..waiter import SyncTimeout
from .pairs import Pair
from .world import World

_fake = Faker("en_US")


def account_values(world: World, leave_blank: set[str] | None = None, **overrides: Any) -> dict[str, Any]:
    name = f"{_fake.company()} {world.tag}"
    domain = f"{_fake.domain_word()}-{world.tag}.example.com"
    values = {"Name": name, "Website": domain, "Industry": "Technology", "BillingCountry": "United States",
              "Region__c": "NA", "NumberOfEmployees": 250, "AnnualRevenue": 1_000_000.0}
    values.update(overrides)
    for blank in leave_blank or set():
        values.pop(blank, None)
    return values


def find_company(world: World, account_id: str) -> dict[str, Any] | None:
    """The HubSpot company linked to an Account. A search: HubSpot has no unique key for salesforceaccountid."""
    body = {"filterGroups": [{"filters": [{"propertyName": "salesforceaccountid", "operator": "EQ", "value": account_id}]}],
            "properties": ["salesforceaccountid", "name", "domain"], "limit": 10}
    api = world.sandboxes.hubspot.api("companies", "search_api")
    results = world.sandboxes.hubspot._call(api.do_search, body).results or []
    return {"id": results[0].id, **(results[0].properties or {})} if results else None


SEARCH_LAG_SECONDS = 30.0  # HubSpot's search index trails writes by seconds; the wait is in time, not cycles


def account_synced(world: World, leave_blank: set[str] | None = None, **overrides: Any) -> Pair:
    data = account_values(world, leave_blank, **overrides)
    account_id = world.create_salesforce("Account", data)
    found: dict[str, Any] | None = None
    deadline = time.monotonic() + (world.waiter.timeout if world.waiter.nudge is None else SEARCH_LAG_SECONDS)
    started = time.monotonic()
    cycles = 0
    while found is None and time.monotonic() < deadline:
        if world.waiter.nudge is not None and cycles < world.waiter.nudged_cycles:
            world.waiter.nudge()
            cycles += 1
        found = find_company(world, account_id)
        if found is None:
            time.sleep(min(world.waiter.max_poll, 0.5 if world.waiter.nudge else world.waiter.first_poll))
    if found is None:
        raise SyncTimeout(f"Salesforce Account {account_id} reaches HubSpot as a company",
                          time.monotonic() - started, {"salesforceaccountid": account_id, "company": "not found"})
    world.waiter.timings.add(f"Account {account_id} reaches HubSpot", time.monotonic() - started, cycles + 1, True)
    world.observed("hubspot", "companies", found["id"])
    return Pair("companies", found["id"], "Account", account_id, data)
