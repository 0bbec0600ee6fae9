"""HubSpot activities -> Salesforce Tasks, and Salesforce tasks -> HubSpot (placeholder)."""

from __future__ import annotations

from .objects import ObjectSync


class ActivitySync(ObjectSync):
    object_type = "engagements"
    sf_objects = ("Task",)

    def enabled(self) -> bool:
        return self.ctx.settings.objects.activities.enabled
