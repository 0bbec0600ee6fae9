"""Merges on either side, and the single synced survivor they must leave behind."""

from __future__ import annotations

from typing import Any

from ..sandboxes.soap import MergeResult, SoapClient
from .failures import Duplicates, UatFailure
from .pairs import Pair
from .world import LINK_PROPERTY, World


class MergeNotRefused(UatFailure):
    category = "duplicates"


def merge_in_salesforce(world: World, master: Pair, loser: Pair) -> MergeResult:
    return SoapClient(world.sandboxes.salesforce).merge(master.sobject, master.salesforce_id, [loser.salesforce_id])


def expect_no_link_to(world: World, pairs: list[Pair], sobject: str, merged_away: str) -> None:
    """No live HubSpot record of the pairs still points at the merged-away Salesforce id."""
    link = LINK_PROPERTY[sobject]

    def read() -> dict[str, Any]:
        found = world.sandboxes.hubspot.read_many(pairs[0].hubspot_object, [p.hubspot_id for p in pairs], [link])
        return {hs_id: props.get(link) for hs_id, props in found.items()}

    def stale(links: dict[str, Any]) -> Any:
        pointing = [hs_id for hs_id, value in links.items() if value == merged_away]
        return {"linked to merged-away record": pointing} if pointing else None

    try:
        world.waiter.until(f"no HubSpot {pairs[0].hubspot_object} links to merged-away {sobject} {merged_away}", read,
                           stale)
    except AssertionError as timeout:
        raise Duplicates(f"a HubSpot record still links to merged-away {sobject} {merged_away} (an orphan)",
                         str(timeout)) from None


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
