"""Lifecycle stage: the funnel order and the connector's documented rule that it never moves a stage backwards."""

from __future__ import annotations

from ..hubspot.models import HubSpotBackend
from .settings import LifecycleSettings

LIFECYCLE_PROPERTY = "lifecyclestage"
DEFAULT_ORDER = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer",
                 "evangelist", "other"]


class Funnel:
    def __init__(self, settings: LifecycleSettings, hubspot: HubSpotBackend) -> None:
        self.settings = settings
        order = list(settings.order)
        if not order:
            definition = hubspot.portal.property("contacts", LIFECYCLE_PROPERTY)
            options = sorted(definition.options, key=lambda o: o.get("displayOrder", 0)) if definition else []
            order = [str(o["value"]) for o in options] or DEFAULT_ORDER
        self.order = order
        self._rank = {stage: position for position, stage in enumerate(order)}

    def rank(self, stage: str | None) -> int | None:
        return None if stage is None else self._rank.get(stage)

    def backwards(self, current: str | None, proposed: str | None) -> bool:
        """Whether moving `current` to `proposed` goes back down the funnel (clearing a stage counts as back)."""
        if current is None:
            return False
        if proposed is None:
            return True
        now, then = self.rank(current), self.rank(proposed)
        return now is not None and then is not None and then < now

    def guarded(self) -> bool:
        return self.settings.never_backwards

    def furthest(self, *stages: str | None) -> str | None:
        known = [s for s in stages if s is not None and self.rank(s) is not None]
        return max(known, key=lambda s: self.rank(s) or 0) if known else None
