"""Merges on either side, and the single synced survivor they must leave behind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.reconcile.orphans import find_orphans
from harness.reconcile.population import gather
from harness.run.ledger import LedgerEntry
from harness.sandboxes.soap import MergeResult, SoapClient
from harness.sync import LINK_PROPERTY
from harness.uat.companies import account_synced
from harness.uat.failures import Duplicates, UatFailure
from harness.uat.pairs import (
    Pair,
    change_hubspot_property,
    contact_synced,
    expect_salesforce_values,
    salesforce_contact_synced,
)
from harness.uat.waiter import settle
from harness.uat.world import World


class MergeNotRefused(UatFailure):
    category = "duplicates"


@dataclass(frozen=True)
class MergeCandidates:
    """Two synced pairs of one kind that a scenario merges: the second into the first, which is the master."""

    first: Pair
    second: Pair


def contacts_to_merge(world: World) -> MergeCandidates:
    return MergeCandidates(salesforce_contact_synced(world), salesforce_contact_synced(world))


def leads_to_merge(world: World) -> MergeCandidates:
    return MergeCandidates(contact_synced(world, "Lead"), contact_synced(world, "Lead"))


def accounts_to_merge(world: World) -> MergeCandidates:
    return MergeCandidates(account_synced(world), account_synced(world))


def merge_second_into_first(world: World, candidates: MergeCandidates) -> MergeResult:
    return merge_in_salesforce(world, candidates.first, candidates.second)


def merge_in_salesforce(world: World, master: Pair, loser: Pair) -> MergeResult:
    return SoapClient(world.sandboxes.salesforce).merge(master.sobject, master.salesforce_id, [loser.salesforce_id])


def expect_still_linked(world: World, pair: Pair) -> None:
    link = LINK_PROPERTY[pair.sobject]
    props = world.hubspot(pair.hubspot_object, pair.hubspot_id, [link])
    if props.get(link) != pair.salesforce_id:
        raise Duplicates(f"HubSpot {pair.hubspot_object} {pair.hubspot_id} lost its link to master {pair.sobject} "
                         f"{pair.salesforce_id}", {link: props.get(link)})


def merge_in_hubspot(world: World, primary: Pair, secondary: Pair) -> Pair:
    survivor = world.sandboxes.hubspot.merge(primary.hubspot_object, primary.hubspot_id, secondary.hubspot_id)
    world.observed("hubspot", primary.hubspot_object, survivor)
    link = LINK_PROPERTY[primary.sobject]
    props = world.hubspot(primary.hubspot_object, survivor, [link])
    return Pair(primary.hubspot_object, survivor, primary.sobject, props.get(link) or primary.salesforce_id, primary.values)


def merge_hubspot_contacts(world: World, candidates: MergeCandidates) -> Pair:
    """Merge the second HubSpot contact into the first; returns the surviving contact's pair."""
    return merge_in_hubspot(world, candidates.first, candidates.second)


def expect_ids_resolve_to_survivor(world: World, candidates: MergeCandidates, survivor: Pair) -> None:
    expect_ids_resolve_to(world, [candidates.first.hubspot_id, candidates.second.hubspot_id], survivor.hubspot_id,
                          "contacts")


def expect_survivor_syncs(world: World, survivor: Pair) -> None:
    """Only the primary keeps syncing after a HubSpot merge: a change to the survivor reaches its Salesforce record."""
    value = change_hubspot_property(world, survivor, "jobtitle")
    expect_salesforce_values(world, survivor, {"Title": value.salesforce},
                             f"a change to merged survivor {survivor.hubspot_id} reaches {survivor.sobject} "
                             f"{survivor.salesforce_id}")


def expect_ids_resolve_to(world: World, ids: list[str], survivor: str, object_type: str) -> None:
    api = world.sandboxes.hubspot.api(object_type, "basic_api")
    resolved = {old: str(world.sandboxes.hubspot._call(api.get_by_id, old).id) for old in ids}
    if set(resolved.values()) != {survivor}:
        raise Duplicates(f"merged HubSpot ids do not all resolve to the survivor {survivor}", resolved)


def expect_merge_refused(world: World, first: Pair, second: Pair) -> None:
    try:
        world.sandboxes.hubspot.merge(first.hubspot_object, first.hubspot_id, second.hubspot_id)
    except Exception as refused:  # each SDK sub-package has its own exception classes: test the status
        if getattr(refused, "status", None) and 400 <= refused.status < 500:
            return
        raise
    raise MergeNotRefused(f"HubSpot merged {first.hubspot_object} {first.hubspot_id} and {second.hubspot_id} while the "
                          "Salesforce integration is on; company merges must be blocked")


def unsynced_duplicate(world: World, pair: Pair) -> Pair:
    """A duplicate of a synced Contact in Salesforce that HubSpot does not sync: same name and account, no e-mail."""
    current = world.salesforce(pair.sobject, pair.salesforce_id, ["FirstName", "LastName", "AccountId"])
    data = {k: v for k, v in current.items() if k in {"FirstName", "LastName", "AccountId"} and v}
    return Pair(pair.hubspot_object, "", pair.sobject, world.create_salesforce(pair.sobject, data))


def expect_link_stays(world: World, pair: Pair) -> None:
    """After a whole window the HubSpot record still links to the (master) Salesforce record."""
    link = LINK_PROPERTY[pair.sobject]
    try:
        settle(world.waiter, f"HubSpot {pair.hubspot_object[:-1]} {pair.hubspot_id} stays linked to {pair.sobject} "
               f"{pair.salesforce_id}", lambda: world.hubspot(pair.hubspot_object, pair.hubspot_id, [link]),
               lambda props: None if props.get(link) == pair.salesforce_id else {link: props.get(link)}, "duplicates")
    except AssertionError as broken:
        raise Duplicates(f"the merge master {pair.salesforce_id} lost its HubSpot record",
                         str(broken).split("\n", 1)[-1]) from None


def expect_loser_relinked_or_marked(world: World, candidates: MergeCandidates) -> None:
    expect_relinked_or_marked(world, candidates.second, candidates.first.salesforce_id)


def expect_relinked_or_marked(world: World, loser: Pair, master_id: str) -> None:
    """The HubSpot record of a merged-away Salesforce record follows the master, or is marked deleted in
    Salesforce (salesforcedeleted) so a reconciliation and a person can see it: never silently orphaned."""
    link = LINK_PROPERTY[loser.sobject]

    def state(props: dict[str, Any]) -> Any:
        if props.get(link) == master_id or str(props.get("salesforcedeleted")).lower() == "true":
            return None
        return {link: props.get(link), "salesforcedeleted": props.get("salesforcedeleted"), "master": master_id}

    try:
        world.waiter.until(f"HubSpot {loser.hubspot_object[:-1]} {loser.hubspot_id} relinked or marked after the merge",
                           lambda: world.hubspot(loser.hubspot_object, loser.hubspot_id, [link, "salesforcedeleted"]),
                           state)
    except AssertionError as timeout:
        raise Duplicates(f"HubSpot {loser.hubspot_object[:-1]} {loser.hubspot_id} still links to merged-away "
                         f"{loser.sobject} {loser.salesforce_id} with nothing to show it (a silent orphan)",
                         str(timeout)) from None


def expect_reported_orphan(world: World, loser: Pair) -> None:
    """The reconciliation, run on these records, names the loser's HubSpot record as linked to a merged-away one."""
    entries = [LedgerEntry("hubspot", loser.hubspot_object, loser.hubspot_id, "", "check", 0.0)]
    population = gather(world.sandboxes, entries, {loser.hubspot_object: set()}, {loser.sobject: set()}, world.catalog)
    kinds = {o.kind for o in find_orphans(population, world.profile).orphans if o.id == loser.hubspot_id}
    if "link_to_merged" not in kinds:
        raise Duplicates(f"the reconciliation does not report HubSpot {loser.hubspot_object[:-1]} {loser.hubspot_id} "
                         f"as linked to merged-away {loser.sobject} {loser.salesforce_id}", {"reported": sorted(kinds)})
