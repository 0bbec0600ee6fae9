"""Salesforce Cases -> HubSpot tickets (placeholder)."""

from __future__ import annotations

from .objects import ObjectSync


class TicketSync(ObjectSync):
    object_type = "tickets"
    sf_objects = ("Case",)

    def enabled(self) -> bool:
        return self.ctx.settings.objects.tickets.enabled
