"""API usage against the allocation, as each platform reports it.

Salesforce: the REST `limits` resource, `DailyApiRequests` (Max, Remaining), documented at
https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
HubSpot: the account's daily private-app usage (`/account-info/v3/api-usage/daily/private-apps`,
https://developers.hubspot.com/docs/api/settings/account-information-api); where the token may not read it, the
`X-HubSpot-RateLimit-Daily` / `-Daily-Remaining` headers of an ordinary response
(https://developers.hubspot.com/docs/api/usage-details). Neither readable: said so, never a zero.
"""

from __future__ import annotations

from typing import Any

from harness.sandboxes import Sandboxes


def _figure(used: int, limit: int, source: str) -> dict[str, Any]:
    return {"used": used, "limit": limit, "percent": round(used / limit * 100, 4) if limit else None, "source": source}


def salesforce_usage(sandboxes: Sandboxes) -> tuple[dict[str, Any] | None, str]:
    try:
        daily = (sandboxes.salesforce.restful("limits/") or {}).get("DailyApiRequests") or {}
    except Exception as error:  # a user without "View Setup and Configuration" is refused the resource
        return None, f"the limits resource answered {getattr(error, 'status', type(error).__name__)}"
    if "Max" not in daily:
        return None, "the limits resource has no DailyApiRequests"
    maximum, remaining = int(daily["Max"]), int(daily.get("Remaining", daily["Max"]))
    return _figure(maximum - remaining, maximum, "limits: DailyApiRequests"), ""


def hubspot_usage(sandboxes: Sandboxes) -> tuple[dict[str, Any] | None, str]:
    hubspot = sandboxes.hubspot
    try:
        results = (hubspot.request("GET", "/account-info/v3/api-usage/daily/private-apps") or {}).get("results") or []
        daily = next((r for r in results if r.get("name") == "private-apps-api-calls-daily"), None)
        if daily and daily.get("usageLimit"):
            return _figure(int(daily.get("currentUsage") or 0), int(daily["usageLimit"]),
                           "account-info: private-apps-api-calls-daily"), ""
    except Exception:  # a token without the account-info scope: try the rate-limit headers instead
        pass
    hubspot.budget.spend("hubspot")
    try:
        response = hubspot.raw.get(hubspot.credentials.host.rstrip("/") + "/account-info/v3/details")
    except Exception as error:  # the portal answered the identity read at connect time: this is a passing fault
        return None, f"the account details could not be read for their rate-limit headers ({type(error).__name__})"
    limit, remaining = (response.headers.get(f"X-HubSpot-RateLimit-Daily{s}") for s in ("", "-Remaining"))
    if limit and remaining and limit.isdigit() and remaining.isdigit():
        return _figure(int(limit) - int(remaining), int(limit), "X-HubSpot-RateLimit-Daily headers"), ""
    return None, "neither the account's API usage nor the daily rate-limit headers are readable with this token"
