"""HubSpot deals ⇄ Salesforce Opportunities, and the lifecycle transitions opportunities drive.

- Each opportunity syncs into the pipeline of its record type, its stage through the pipeline's stage mapping
  (an unmapped stage is a Sync Health picklist error, switch `deal_unmapped_stage`). A deal moved to a pipeline
  that is not synced stops syncing. Opportunities are never deduplicated.
- Deleting an opportunity deletes the deal; deleting a deal leaves the opportunity (both documented).
- A HubSpot deal in a synced pipeline creates an opportunity when `objects.deals.on_hubspot_create` says so.
- Associations: the deal's primary company is the opportunity's account (Two-way); its contacts are the
  opportunity's contact roles (Salesforce -> HubSpot).
- Automatic lifecycle transitions: a synced contact added to an open opportunity as a contact role becomes
  `opportunity`; when the opportunity is won its contacts become `customer`, never backwards. With company
  lifecycle sync, a won opportunity's company and all its contacts become customers too.
"""

from __future__ import annotations

from typing import Any

from ..hubspot.models import HsObject
from .associations import (
    COMPANY,
    UNLINKED,
    account_of_primary_company,
    associate,
    company_of_account,
    set_primary_company,
)
from .context import Context
from .fieldsync import PairPlan, PlannedError, Translator
from .lifecycle import LIFECYCLE_PROPERTY
from .links import Link
from .objects import ObjectSync, Pair
from .pipelines import PipelineMap, Pipelines
from .settings import FieldMapping, SyncRule

OPPORTUNITY_LINK = "hs_salesforceopportunityid"
STAGE, PIPELINE = "dealstage", "pipeline"
UNMAPPED = "unmapped-stage:"
ROLES = "OpportunityContactRole"


class DealSync(ObjectSync):
    object_type = "deals"
    sf_objects = ("Opportunity",)
    link_property = {"Opportunity": OPPORTUNITY_LINK}

    def __init__(self, ctx: Context, source: str = "connector.yaml") -> None:
        super().__init__(ctx)
        self._pipelines: Pipelines | None = None
        self._current: PipelineMap | None = None  # the pipeline of the pair being planned (its stage translator)
        self.source = source
        self.roles_changed: set[str] = set()
        ctx.fields.special[(self.object_type, STAGE)] = self._stage_translator

    @property
    def config(self):  # noqa: ANN201 - the pydantic DealSettings
        return self.ctx.settings.objects.deals

    def enabled(self) -> bool:
        return self.config.enabled

    @property
    def pipelines(self) -> Pipelines:
        if self._pipelines is None:
            stage = self.ctx.salesforce.field("Opportunity", "StageName")
            self._pipelines = Pipelines(self.object_type, [(p.record_type, p.pipeline, p.stages)
                                                           for p in self.config.pipelines],
                                        self.ctx.hubspot.backend.portal, list(stage.values) if stage else [],
                                        f"{self.source}: objects.deals.pipelines")
        return self._pipelines

    def check(self) -> None:
        """Resolve the pipelines now, so a wrong pipeline or stage stops the twin at start (SettingsError)."""
        if self.enabled() and self.available_objects():
            _ = self.pipelines

    # -- the stage, compared as HubSpot stage ids ------------------------------------------------------
    def _stage_translator(self, _field: Any) -> Translator:
        def from_sf(stage: Any) -> str | None:
            if not stage:
                return None
            mapped = self._current.to_hubspot.get(str(stage)) if self._current else None
            return mapped or UNMAPPED + str(stage)

        def to_hs(value: str | None) -> str | None:
            return None if value is None or value.startswith(UNMAPPED) else value

        def to_sf(value: str | None) -> Any:
            return self._current.to_salesforce.get(value) if self._current and value else None

        return Translator(hs=lambda v: v or None, sf=from_sf, hs_out=to_hs, sf_out=to_sf)

    def virtual_mappings(self, sobject_name: str) -> list[FieldMapping]:
        mappings = [FieldMapping(hubspot=STAGE, salesforce="StageName", rule=self.config.stage_rule,
                                 salesforce_objects=("Opportunity",))]
        companies = self.ctx.settings.objects.companies
        if self.config.sync_associations and companies.enabled and self.ctx.salesforce.field("Opportunity", "AccountId"):
            mappings.append(FieldMapping(hubspot=COMPANY, salesforce="AccountId", rule=SyncRule.TWO_WAY,
                                         salesforce_objects=("Opportunity",)))
        return mappings

    def virtual_values(self, pair: Pair) -> dict[str, str | None]:
        assert pair.hs is not None and pair.row is not None
        self._current = self.pipelines.for_record_type(pair.row.get("RecordTypeId"))
        if not self.config.sync_associations or not self.ctx.settings.objects.companies.enabled:
            return {}
        return {COMPANY: account_of_primary_company(self.ctx, self.object_type, pair.hs.id)}

    def write_virtual(self, plan: PairPlan, values: dict[str, str | None]) -> bool:
        account_id = values.get(COMPANY)
        company_id = company_of_account(self.ctx, account_id) if account_id else None
        if account_id and company_id is None:
            self.ctx.health.record("WAITING_FOR_ACCOUNT", f"Waiting for account to sync: the opportunity's account "
                                   f"{account_id} has not synced to HubSpot yet", self.object_type, plan.hs.id,
                                   "Opportunity", plan.link.sf_id)
            return False
        return set_primary_company(self.ctx, self.object_type, plan.hs.id, company_id)

    def extend_plan(self, plan: PairPlan) -> None:
        super().extend_plan(plan)
        account = plan.to_sf.get("AccountId")
        if isinstance(account, str) and account.startswith(UNLINKED):
            del plan.to_sf["AccountId"]
            plan.hs_expect[COMPANY] = plan.link.hs_snapshot.get(COMPANY)
            plan.sf_expect[COMPANY] = plan.link.sf_snapshot.get(COMPANY)
        stage = plan.sf_row.get("StageName")
        if STAGE in plan.to_hs and plan.to_hs[STAGE] is None and stage:
            self._unmapped(plan, str(stage))
        mapping = self._current
        if mapping is not None and plan.hs.properties.get(PIPELINE) != mapping.pipeline_id:
            plan.hs_extra[PIPELINE] = mapping.pipeline_id

    def _unmapped(self, plan: PairPlan, stage: str) -> None:
        mapping = self._current
        if self.ctx.settings.switches["deal_unmapped_stage"] == "first_stage" and mapping is not None:
            first = next(iter(mapping.to_salesforce), None)
            plan.to_hs[STAGE] = first
            plan.hs_expect[STAGE] = UNMAPPED + stage
            return
        del plan.to_hs[STAGE]
        plan.hs_expect[STAGE] = plan.link.hs_snapshot.get(STAGE)
        plan.sf_expect[STAGE] = plan.link.sf_snapshot.get(STAGE)
        plan.errors.append(PlannedError("UNMAPPED_DEAL_STAGE", f"The opportunity stage {stage!r} is not mapped to a stage of "
                                  "the deal's pipeline"))

    # -- eligibility: a deal outside the synced pipelines stops syncing ---------------------------------
    def eligible(self, pair: Pair) -> bool:
        assert pair.hs is not None
        pipeline = pair.hs.properties.get(PIPELINE)
        return pipeline is None or self.pipelines.synced(pipeline)

    # -- unlinked records ------------------------------------------------------------------------------
    def match_salesforce(self, unlinked: list[tuple[str, dict[str, Any]]]) -> None:
        for sobject_name, row in unlinked:
            mapping = self.pipelines.for_record_type(row.get("RecordTypeId"))
            if mapping is None:
                continue  # a record type with no pipeline does not sync
            extra = {OPPORTUNITY_LINK: row["Id"], PIPELINE: mapping.pipeline_id}
            stage = mapping.to_hubspot.get(str(row.get("StageName")))
            if stage:
                extra[STAGE] = stage
            obj = self.create_in_hubspot(sobject_name, row, extra)
            if obj is not None:
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)

    def match_hubspot(self, unlinked: list[HsObject]) -> None:
        to_create = []
        for obj in unlinked:
            if self.adopt_by_link_property(obj) or self.config.on_hubspot_create != "create_opportunity":
                continue
            mapping = self.pipelines.for_pipeline(obj.properties.get(PIPELINE))
            if mapping is None:
                continue
            data = self.salesforce_values(obj, "Opportunity")
            stage = mapping.to_salesforce.get(obj.properties.get(STAGE) or "")
            if stage:
                data["StageName"] = stage
            account = account_of_primary_company(self.ctx, self.object_type, obj.id)
            if account and not account.startswith(UNLINKED):
                data["AccountId"] = account
            to_create.append((obj, "Opportunity", data))
        self.create_in_salesforce(to_create)

    def salesforce_deleted(self, sobject_name: str, row: dict[str, Any], link: Link | None) -> None:
        if link is None:
            return
        self.pairs.pop(link.hs_id, None)
        self.ctx.links.unlink(self.object_type, link.hs_id)
        if self.ctx.hubspot.archive(self.object_type, link.hs_id):  # documented: the deal goes with its opportunity
            self.ctx.stats.bump(self.object_type, "deleted_in_hubspot")

    # -- contact roles: associations and lifecycle -------------------------------------------------------
    def run(self) -> None:
        self.roles_changed = set()
        if self.ctx.salesforce.has(ROLES):
            for row in self.ctx.salesforce.changed(ROLES, self.ctx.since_ms):
                self.roles_changed.add(str(row["OpportunityId"]))
        super().run()

    def after_pairs(self) -> None:
        ctx = self.ctx
        synced = {p.link.sf_id: p.link.hs_id for p in self.pairs.values()}
        wanted = set(synced) | self.roles_changed
        if not wanted or not ctx.salesforce.has(ROLES):
            return
        missing = [i for i in wanted if i not in synced]
        for sf_id, link in ctx.links.by_sf(missing).items():
            synced[sf_id] = link.hs_id
        opportunities = ctx.salesforce.rows("Opportunity", list(wanted))
        marks = ",".join("?" * len(wanted))
        roles = ctx.salesforce.where(ROLES, f'"OpportunityId" IN ({marks}) AND "IsDeleted" = 0', tuple(wanted))
        contact_links = ctx.links.by_sf([r["ContactId"] for r in roles if r.get("ContactId")])
        for role in roles:
            deal_id = synced.get(role["OpportunityId"])
            contact = contact_links.get(role.get("ContactId") or "")
            if contact is None or contact.hs_object != "contacts":
                continue
            if deal_id and self.config.sync_associations:
                associate(ctx, self.object_type, deal_id, "contacts", contact.hs_id)
            opportunity = opportunities.get(role["OpportunityId"])
            if opportunity is not None and ctx.settings.lifecycle.automatic_transitions:
                self._transition(contact.hs_id, opportunity)

    def _transition(self, contact_id: str, opportunity: dict[str, Any]) -> None:
        """Documented automatic transitions, forward only: open opportunity -> opportunity, won -> customer."""
        if opportunity.get("IsWon"):
            stage = "customer"
        elif not opportunity.get("IsClosed"):
            stage = "opportunity"
        else:
            return  # lost: no transition
        moved = self._advance("contacts", contact_id, stage)
        if stage == "customer" and self.ctx.settings.lifecycle.company_to_contacts and opportunity.get("AccountId"):
            company_id = company_of_account(self.ctx, opportunity["AccountId"])
            if company_id is not None:
                self._advance("companies", company_id, stage)
                for other in self.ctx.hubspot.associated("companies", company_id, "contacts"):
                    moved = self._advance("contacts", other, stage) or moved

    def _advance(self, object_type: str, object_id: str, stage: str) -> bool:
        ctx = self.ctx
        if ctx.hubspot.property(object_type, LIFECYCLE_PROPERTY) is None:
            return False
        obj = ctx.hubspot.get(object_type, object_id)
        if obj is None:
            return False
        current = obj.properties.get(LIFECYCLE_PROPERTY)
        if current == stage or ctx.funnel.backwards(current, stage) or (current and ctx.funnel.rank(current) is None):
            return False
        if ctx.hubspot.update(object_type, object_id, {LIFECYCLE_PROPERTY: stage}).ok:
            ctx.stats.bump(self.object_type, "lifecycle_transitions")
            return True
        return False


