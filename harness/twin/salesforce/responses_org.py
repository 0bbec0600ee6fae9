"""Discovery and the org itself: the versions list and resource directory, `/limits`, the identity URL and
OAuth's `/services/oauth2/userinfo`.

Shapes: REST API Developer Guide "Versions", "Resources by Version" and "Limits"
(https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm) and the
identity URL response (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm). The
identity URL is what the resource directory's `identity` names, so jsforce's `identity()` finds it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..web import json_response
from . import exceptions as err

if TYPE_CHECKING:
    from .bulk2 import BulkJobs
    from .models import SalesforceBackend

# Release labels of the API versions the twin lists, newest last, as `/services/data` returns them.
RELEASES = {"57.0": "Spring '23", "58.0": "Summer '23", "59.0": "Winter '24", "60.0": "Spring '24",
            "61.0": "Summer '24", "62.0": "Winter '25"}
RESOURCES = ("tooling", "metadata", "eclair", "folders", "prechatForms", "connect", "chatter", "tabs", "appMenu",
             "quickActions", "queryAll", "commerce", "wave", "iot", "analytics", "search", "identity", "composite",
             "parameterizedSearch", "fingerprint", "theme", "nouns", "event", "serviceTemplates", "recent",
             "connect", "licensing", "limits", "process", "async-queries", "query", "match", "localizedvalue",
             "mobile", "emailConnect", "consent", "tokenizer", "compactLayouts", "knowledgeManagement", "sobjects",
             "actions", "support", "jobs", "scheduling", "sobjectsUI", "ui-api", "jsonxform", "dedupe")
# Documented limits the twin has no activity for: (Max) with Remaining = Max, sized like a sandbox's allocation.
STATIC_LIMITS = {
    "ActiveScratchOrgs": 3, "AnalyticsExternalDataSizeMB": 40960, "ConcurrentAsyncGetReportInstances": 200,
    "ConcurrentEinsteinDataInsightsStoryCreation": 5, "ConcurrentEinsteinDiscoveryStoryCreation": 2,
    "ConcurrentSyncReportRuns": 20, "DailyAnalyticsDataflowJobExecutions": 60, "DailyAnalyticsUploadedFilesSizeMB":
    51200, "DailyAsyncApexExecutions": 250000, "DailyAsyncApexTests": 500, "DailyDeliveredPlatformEvents": 50000,
    "DailyDurableGenericStreamingApiEvents": 10000, "DailyDurableStreamingApiEvents": 10000,
    "DailyEinsteinDataInsightsStoryCreation": 1000, "DailyEinsteinDiscoveryPredictAPICalls": 50000,
    "DailyEinsteinDiscoveryPredictionsByCDC": 500000, "DailyEinsteinDiscoveryStoryCreation": 100,
    "DailyFunctionsApiCallLimit": 235000, "DailyGenericStreamingApiEvents": 10000, "DailyScratchOrgs": 6,
    "DailyStandardVolumePlatformEvents": 10000, "DailyStreamingApiEvents": 10000, "DailyWorkflowEmails": 1000000,
    "DurableStreamingApiConcurrentClients": 20, "HourlyAsyncReportRuns": 1200, "HourlyDashboardRefreshes": 200,
    "HourlyDashboardResults": 5000, "HourlyDashboardStatuses": 999999999, "HourlyLongTermIdMapping": 100000,
    "HourlyManagedContentPublicRequests": 50000, "HourlyODataCallout": 10000, "HourlyPublishedPlatformEvents": 50000,
    "HourlyPublishedStandardVolumePlatformEvents": 1000, "HourlyShortTermIdMapping": 100000,
    "HourlySyncReportRuns": 500, "HourlyTimeBasedWorkflow": 1000, "MassEmail": 5000,
    "MonthlyEinsteinDiscoveryStoryCreation": 500, "MonthlyPlatformEventsUsageEntitlement": 0, "Package2VersionCreates":
    6, "Package2VersionCreatesWithoutValidation": 500, "PermissionSets": 1500,
    "PrivateConnectOutboundCalloutHourlyLimitMB": 0, "PublishCallbackUsageInApex": 5000, "SingleEmail": 5000,
    "StreamingApiConcurrentClients": 20,
}


class OrgResponses:
    backend: SalesforceBackend
    bulk_jobs: BulkJobs
    version: str
    user: Any  # (request) -> acting user id, from SalesforceResponses

    # -- discovery ------------------------------------------------------------------------------------
    def versions(self, request: Request) -> Response:
        listed = [v for v in RELEASES if float(v) <= float(self.version)] or [self.version]
        if self.version not in listed:
            listed.append(self.version)
        return json_response([{"label": RELEASES.get(v, f"Version {v}"), "url": f"/services/data/v{v}", "version": v}
                              for v in listed])

    def resources(self, request: Request, version: str) -> Response:
        base = f"/services/data/v{version}"
        directory = {name: f"{base}/{name}" for name in dict.fromkeys(RESOURCES)}
        directory["identity"] = self.identity_url(request, self.user(request))
        return json_response(directory)

    def recent(self, request: Request, version: str) -> Response:
        """Recently viewed records: viewing is something people do in the UI, and nobody browses the twin."""
        return json_response([])

    def identity_url(self, request: Request, user_id: str) -> str:
        return f"{request.host_url.rstrip('/')}/id/{self.backend.organization_id}/{user_id}"

    # -- limits ---------------------------------------------------------------------------------------
    def limits(self, request: Request, version: str) -> Response:
        usage, jobs = self.backend.usage, self.bulk_jobs
        counted = {
            "DailyApiRequests": (usage.maximum, max(usage.maximum - usage.used, 0)),
            "DailyBulkApiBatches": (15000, max(15000 - jobs.ingest_batches, 0)),
            "DailyBulkV2QueryJobs": (10000, max(10000 - jobs.query_jobs, 0)),
            "DailyBulkV2QueryFileStorageMB": (976562, 976562),
            "DataStorageMB": (self.backend.storage_limit_mb, self.backend.storage_limit_mb - self.backend.data_storage_mb()),
            "FileStorageMB": (self.backend.storage_limit_mb, self.backend.storage_limit_mb),
        }
        limits = {name: {"Max": maximum, "Remaining": maximum} for name, maximum in STATIC_LIMITS.items()}
        limits.update({name: {"Max": m, "Remaining": r} for name, (m, r) in counted.items()})
        return json_response(dict(sorted(limits.items())))

    def ui_duplicates(self, request: Request, version: str, sobject: str) -> Response:
        """UI API: the object's duplicate management configuration (active duplicate rules and their actions)."""
        schema = self.backend.sobject(sobject)  # NOT_FOUND for an object the org does not have
        return json_response(self.backend.automation.duplicate_configuration(schema.name))

    # -- identity -------------------------------------------------------------------------------------
    def _person(self, request: Request, user_id: str) -> tuple[dict[str, Any], dict[str, str]]:
        user = self.backend.directory.user(user_id)
        if user is None:
            raise err.NotFound("Bad_Id")
        base = request.host_url.rstrip("/")
        org = self.backend.organization_id
        data = f"{base}/services/data/v{{version}}/"
        urls = {"enterprise": f"{base}/services/Soap/c/{{version}}/{org}",
                "metadata": f"{base}/services/Soap/m/{{version}}/{org}",
                "partner": f"{base}/services/Soap/u/{{version}}/{org}", "rest": data,
                "sobjects": f"{data}sobjects/", "search": f"{data}search/", "query": f"{data}query/",
                "recent": f"{data}recent/", "tooling_soap": f"{base}/services/Soap/T/{{version}}/{org}",
                "tooling_rest": f"{data}tooling/", "profile": f"{base}/{user_id}", "feeds": f"{data}chatter/feeds",
                "groups": f"{data}chatter/groups", "users": f"{data}chatter/users",
                "feed_items": f"{data}chatter/feed-items", "feed_elements": f"{data}chatter/feed-elements",
                "custom_domain": base}
        return user, urls

    def identity(self, request: Request, org_id: str, user_id: str) -> Response:
        """The identity URL: who the session belongs to. Another user's URL is refused, as Salesforce does."""
        if org_id != self.backend.organization_id:
            raise err.SalesforceError("Wrong_Org", error_code="Wrong_Org", status=403)
        acting = self.user(request)
        if user_id not in {acting, acting[:15]}:
            raise err.SalesforceError("Bad_Id", error_code="Bad_Id", status=403)
        user, urls = self._person(request, acting)
        directory = self.backend.directory
        timezone = self.backend.schema.organization.get("timezone", "UTC")
        return json_response({
            "id": self.identity_url(request, acting), "asserted_user": True, "user_id": acting,
            "organization_id": self.backend.organization_id, "username": user.get("Username"),
            "nick_name": user.get("Alias") or (user.get("Username") or "").split("@")[0],
            "display_name": directory.full_name(user), "email": user.get("Email"), "email_verified": True,
            "first_name": user.get("FirstName"), "last_name": user.get("LastName"), "timezone": timezone,
            "photos": {"picture": f"{request.host_url}profilephoto/005/F", "thumbnail":
                       f"{request.host_url}profilephoto/005/T"},
            "addr_street": None, "addr_city": None, "addr_state": None, "addr_country": None, "addr_zip": None,
            "mobile_phone": None, "mobile_phone_verified": False, "is_lightning_login_user": False,
            "status": {"created_date": None, "body": None}, "urls": urls, "active": bool(user.get("IsActive", True)),
            "user_type": "STANDARD", "language": "en_US", "locale": "en_US", "utcOffset": 0,
            "last_modified_date": user.get("LastModifiedDate"), "is_app_installed": True,
        })

    def userinfo(self, request: Request) -> Response:
        """OpenID Connect UserInfo for the session's user (`GET /services/oauth2/userinfo`)."""
        acting = self.user(request)
        user, urls = self._person(request, acting)
        return json_response({
            "sub": self.identity_url(request, acting), "user_id": acting,
            "organization_id": self.backend.organization_id, "preferred_username": user.get("Username"),
            "nickname": user.get("Alias"), "name": self.backend.directory.full_name(user), "email": user.get("Email"),
            "email_verified": True, "given_name": user.get("FirstName"), "family_name": user.get("LastName"),
            "zoneinfo": self.backend.schema.organization.get("timezone", "UTC"),
            "photos": {"picture": f"{request.host_url}profilephoto/005/F", "thumbnail":
                       f"{request.host_url}profilephoto/005/T"},
            "profile": urls["profile"], "picture": f"{request.host_url}profilephoto/005/F", "address": {},
            "is_salesforce_integration_user": acting == self.backend.integration_user_id, "urls": urls,
            "active": bool(user.get("IsActive", True)), "user_type": "STANDARD", "language": "en_US",
            "locale": "en_US", "utcOffset": 0, "updated_at": user.get("LastModifiedDate"), "is_app_installed": True,
        })
