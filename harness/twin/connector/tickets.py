"""Salesforce Cases -> HubSpot tickets (documented as a beta: one-way; HubSpot tickets never create cases).

Cases land in the ticket pipeline mapped from their business process, their Status through the pipeline's status
mapping; the mapped fields (`mappings.tickets`) always take Salesforce's value; deleting a case deletes the ticket
or does nothing (`objects.tickets.on_salesforce_delete`); with associations on, the ticket is associated with the
case's contact and its account's company. The link property is `salesforcecaseid` (switch `ticket_link_property`,
a single Japanese document names it), written only when the portal has it.
"""

from __future__ import annotations

from typing import Any

from ..hubspot.models import HsObject
from .associations import associate, company_of_account, set_primary_company
from .context import Context
from .fieldsync import PairPlan, Translator
from .links import Link
from .objects import ObjectSync, Pair
from .pipelines import PipelineMap, Pipelines
from .settings import FieldMapping, SyncRule

STAGE, PIPELINE = "hs_pipeline_stage", "hs_pipeline"


class TicketSync(ObjectSync):
    object_type = "tickets"
    sf_objects = ("Case",)

    def __init__(self, ctx: Context, source: str = "connector.yaml") -> None:
        super().__init__(ctx)
        self.source = source
        self._pipelines: Pipelines | None = None
        self._current: PipelineMap | None = None
        prop = ctx.settings.switches["ticket_link_property"]
        self.link_property = {"Case": prop} if ctx.hubspot.property("tickets", prop) is not None else {}
        ctx.fields.special[(self.object_type, STAGE)] = self._status_translator

    @property
    def config(self):  # noqa: ANN201 - the pydantic TicketSettings
        return self.ctx.settings.objects.tickets

    def enabled(self) -> bool:
        return self.config.enabled

    @property
    def pipelines(self) -> Pipelines:
        if self._pipelines is None:
            status = self.ctx.salesforce.field("Case", "Status")
            self._pipelines = Pipelines(self.object_type, [(p.business_process, p.pipeline, p.statuses)
                                                           for p in self.config.pipelines],
                                        self.ctx.hubspot.backend.portal, list(status.values) if status else [],
                                        f"{self.source}: objects.tickets.pipelines")
        return self._pipelines

    def check(self) -> None:
        if self.enabled() and self.available_objects():
            _ = self.pipelines

    def mappings(self, sobject_name: str) -> list[FieldMapping]:
        # One-way: whatever the fixture says, Salesforce's value is the one that lands.
        return [m.model_copy(update={"rule": SyncRule.ALWAYS_USE_SALESFORCE}) if m.rule is not SyncRule.DONT_SYNC
                else m for m in super().mappings(sobject_name)]

    def _status_translator(self, _field: Any) -> Translator:
        def from_sf(status: Any) -> str | None:
            return self._current.to_hubspot.get(str(status)) if self._current and status else None

        return Translator(hs=lambda v: v or None, sf=from_sf, hs_out=lambda c: c, sf_out=lambda c: None)

    def virtual_mappings(self, sobject_name: str) -> list[FieldMapping]:
        return [FieldMapping(hubspot=STAGE, salesforce="Status", rule=SyncRule.ALWAYS_USE_SALESFORCE,
                             salesforce_objects=("Case",))]

    def virtual_values(self, pair: Pair) -> dict[str, str | None]:
        assert pair.row is not None
        self._current = self.pipelines.for_record_type(pair.row.get("RecordTypeId"))
        return {}

    def extend_plan(self, plan: PairPlan) -> None:
        super().extend_plan(plan)
        plan.to_sf.clear()  # tickets never write to Salesforce
        if self._current is not None and plan.hs.properties.get(PIPELINE) != self._current.pipeline_id:
            plan.hs_extra[PIPELINE] = self._current.pipeline_id

    def match_hubspot(self, unlinked: list[HsObject]) -> None:
        for obj in unlinked:
            self.adopt_by_link_property(obj)  # a HubSpot ticket never creates a case

    def match_salesforce(self, unlinked: list[tuple[str, dict[str, Any]]]) -> None:
        for sobject_name, row in unlinked:
            mapping = self.pipelines.for_record_type(row.get("RecordTypeId"))
            if mapping is None:
                continue
            extra = {PIPELINE: mapping.pipeline_id}
            stage = mapping.to_hubspot.get(str(row.get("Status")))
            if stage:
                extra[STAGE] = stage
            if self.link_property:
                extra[self.link_property["Case"]] = row["Id"]
            if not row.get("Subject"):
                extra.setdefault("subject", f"Salesforce case {row['Id']}")  # HubSpot requires a ticket name
            obj = self.create_in_hubspot(sobject_name, row, extra)
            if obj is not None:
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)

    def salesforce_deleted(self, sobject_name: str, row: dict[str, Any], link: Link | None) -> None:
        if link is None:
            return
        self.pairs.pop(link.hs_id, None)
        self.ctx.links.unlink(self.object_type, link.hs_id)
        if self.config.on_salesforce_delete == "delete_ticket" and self.ctx.hubspot.archive(self.object_type, link.hs_id):
            self.ctx.stats.bump(self.object_type, "deleted_in_hubspot")

    def after_pairs(self) -> None:
        if not self.config.sync_associations:
            return
        ctx = self.ctx
        for pair in self.pairs.values():
            row = pair.row or {}
            contact = ctx.links.one_by_sf(row["ContactId"]) if row.get("ContactId") else None
            if contact is not None and contact.hs_object == "contacts":
                associate(ctx, self.object_type, pair.link.hs_id, "contacts", contact.hs_id)
            company = company_of_account(ctx, row["AccountId"]) if row.get("AccountId") else None
            if company is not None:
                set_primary_company(ctx, self.object_type, pair.link.hs_id, company)
