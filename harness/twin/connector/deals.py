"""HubSpot deals ⇄ Salesforce Opportunities (placeholder until the platforms have opportunities and pipelines)."""

from __future__ import annotations

from .objects import ObjectSync

OPPORTUNITY_LINK = "hs_salesforceopportunityid"


class DealSync(ObjectSync):
    object_type = "deals"
    sf_objects = ("Opportunity",)
    link_property = {"Opportunity": OPPORTUNITY_LINK}

    def enabled(self) -> bool:
        return self.ctx.settings.objects.deals.enabled
