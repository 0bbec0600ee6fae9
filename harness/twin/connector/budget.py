"""The connector's Salesforce API calls: counted against the org's daily allowance and HubSpot's allocation.

Sync Health shows the calls HubSpot used in the last 24 hours, the org's limit ("Limited by Salesforce") and the
editable "Allocated to HubSpot". Running out of either suspends the integration with the documented reason; the
suspension lifts once calls are available again (the allocation raised, or the 24-hour window moved on) or when
it is cleared by hand. Automatic retries of erroring records stop above 75% of the allocation (5,000 calls
without one), as HubSpot's article on the API call limit says.
"""

from __future__ import annotations

from ..clock import now_ms
from ..salesforce.exceptions import RequestLimitExceeded
from ..salesforce.models import SalesforceBackend
from ..store import Store
from .settings import ApiSettings

DAY_MS = 24 * 60 * 60 * 1000
API_LIMIT_REASON = "Salesforce Organization API limit exceeded"


class Suspended(Exception):
    """The integration stops: reason is the Sync Health suspension text, detail says which limit."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class ApiBudget:
    def __init__(self, store: Store, salesforce: SalesforceBackend, settings: ApiSettings) -> None:
        self.store = store
        self.sf = salesforce
        self.settings = settings
        with store.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS connector_api_calls (at_ms INTEGER NOT NULL, calls INTEGER NOT NULL)")
        self._window: list[tuple[int, int]] = [
            (r["at_ms"], r["calls"]) for r in store.db.execute(
                "SELECT at_ms, calls FROM connector_api_calls WHERE at_ms > ?", (now_ms() - DAY_MS,)).fetchall()]
        self._unsaved = 0

    # -- reading --------------------------------------------------------------------------------------
    def used_last_24h(self) -> int:
        horizon = now_ms() - DAY_MS
        if self._window and self._window[0][0] <= horizon:
            self._window = [(at, calls) for at, calls in self._window if at > horizon]
        return sum(calls for _, calls in self._window) + self._unsaved

    def allocation(self) -> int | None:
        return self.settings.allocated_to_hubspot

    def retries_allowed(self) -> bool:
        used = self.used_last_24h()
        if self.settings.allocated_to_hubspot:
            return used < self.settings.retry_stop_share * self.settings.allocated_to_hubspot
        return used < self.settings.retry_stop_calls_without_allocation

    def available(self) -> bool:
        """Whether a suspension for the API limit can lift: both the allocation and the org have calls left."""
        allocation = self.settings.allocated_to_hubspot
        if allocation is not None and self.used_last_24h() >= allocation:
            return False
        return self.sf.usage.used < self.sf.usage.maximum

    # -- spending -------------------------------------------------------------------------------------
    def spend(self, calls: int = 1) -> None:
        """Count calls before making them; raise Suspended when the allocation or the org's allowance runs out."""
        if calls <= 0:
            return
        allocation = self.settings.allocated_to_hubspot
        if allocation is not None and self.used_last_24h() + calls > allocation:
            raise Suspended(API_LIMIT_REASON, f"HubSpot has used its allocation of {allocation} Salesforce API calls "
                                              "in the last 24 hours")
        try:
            self.sf.count_api_call(calls)
        except RequestLimitExceeded:
            raise Suspended(API_LIMIT_REASON, f"the org's daily allowance of {self.sf.usage.maximum} API requests "
                                              "is used up (REQUEST_LIMIT_EXCEEDED)") from None
        self._unsaved += calls

    def calls_for(self, records: int, per_call: int) -> int:
        return max(1, -(-records // per_call))

    def flush(self) -> None:
        """Persist this cycle's calls so the 24-hour window survives a restart."""
        if self._unsaved:
            stamp = now_ms()
            self.store.db.execute("INSERT INTO connector_api_calls (at_ms, calls) VALUES (?, ?)", (stamp, self._unsaved))
            self._window.append((stamp, self._unsaved))
            self._unsaved = 0
