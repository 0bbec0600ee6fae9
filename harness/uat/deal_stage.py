"""The deal stage moved in HubSpot, against the profile's deal stage rule (`connector.deals.stage_rule`): the
stage syncs on its own setting, not as a mapping row, through the pipeline's stage mapping (`deal_pipeline`).
Two-way carries the move to the Opportunity; every other rule keeps the Opportunity's stage."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from harness.conformance.verdict import NOT_EVALUATED_PREFIX
from harness.uat.deletions import opportunity_synced
from harness.uat.failures import MappingMismatch, TestDataProblem
from harness.uat.pairs import Pair
from harness.uat.waiter import ExpectationBroken, SyncTimeout, settle
from harness.uat.world import World

START = "Prospecting"


@dataclass
class StageMove:
    pair: Pair
    rule: str
    before: str  # the Opportunity's stage
    moved_to: str  # the HubSpot stage the deal was moved to
    counterpart: str  # the one Salesforce stage that HubSpot stage maps back to


def stage_rule(world: World) -> str:
    connector = world.profile.connector
    rule = connector.deals.stage_rule if connector is not None else None
    if rule is None:
        pytest.skip(f"{NOT_EVALUATED_PREFIX}the profile states no deal stage rule (connector.deals.stage_rule)")
    if world.profile.deal_pipeline is None:
        pytest.skip(f"{NOT_EVALUATED_PREFIX}the profile states no deal pipeline (deal_pipeline.stages)")
    return str(rule)


def _target(world: World) -> tuple[str, str]:
    """A HubSpot stage other than the start's that exactly one Salesforce stage maps to (so the way back is known)."""
    stages = world.profile.deal_pipeline.stages  # type: ignore[union-attr]
    if START not in stages:
        raise TestDataProblem(f"deal_pipeline.stages has no {START!r}: the opportunity starts there")
    back: dict[str, list[str]] = {}
    for salesforce, hubspot in stages.items():
        back.setdefault(hubspot, []).append(salesforce)
    for hubspot, salesforce in back.items():
        if hubspot != stages[START] and len(salesforce) == 1 and not salesforce[0].startswith("Closed"):
            return hubspot, salesforce[0]
    raise TestDataProblem("deal_pipeline.stages maps no open HubSpot stage back to exactly one Salesforce stage")


def move_in_hubspot(world: World) -> StageMove:
    rule = stage_rule(world)
    moved_to, counterpart = _target(world)
    pair = opportunity_synced(world)
    world.sandboxes.hubspot.update(pair.hubspot_object, pair.hubspot_id, {"dealstage": moved_to})
    return StageMove(pair, rule, START, moved_to, counterpart)


def _stage(world: World, pair: Pair) -> str:
    return str(world.sandboxes.salesforce.get("Opportunity", pair.salesforce_id).get("StageName"))


def expect_as_stage_rule_says(world: World, move: StageMove) -> None:
    pair, setting = move.pair, f"connector.deals.stage_rule is {move.rule!r}"
    try:
        if move.rule == "Two-way":
            world.waiter.until(f"Opportunity {pair.salesforce_id} follows its deal to {move.counterpart!r}",
                               lambda: _stage(world, pair),
                               lambda stage: None if stage == move.counterpart else {"StageName": stage})
        else:
            settle(world.waiter, f"Opportunity {pair.salesforce_id} keeps {move.before!r}", lambda: _stage(world, pair),
                   lambda stage: None if stage == move.before else {"StageName": stage}, "mapping mismatch")
    except (SyncTimeout, ExpectationBroken) as failure:
        raise MappingMismatch(f"{setting}, but after HubSpot deal {pair.hubspot_id} moved to {move.moved_to!r} the "
                              f"Opportunity's stage did otherwise", str(failure).split(": ", 1)[-1]) from None
