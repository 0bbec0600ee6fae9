"""The org's own resources: the versions list and resource directory, /limits, the identity URL and OAuth's
userinfo, read with simple-salesforce as a client would."""

from __future__ import annotations

from .conftest import client

DOCUMENTED_LIMITS = {"DailyApiRequests", "DailyBulkApiBatches", "DailyBulkV2QueryJobs", "DailyBulkV2QueryFileStorageMB",
                     "DataStorageMB", "FileStorageMB", "SingleEmail", "MassEmail", "DailyAsyncApexExecutions",
                     "HourlyTimeBasedWorkflow", "DailyWorkflowEmails", "DailyStreamingApiEvents",
                     "ConcurrentSyncReportRuns", "HourlyODataCallout"}


def test_limits_lists_the_documented_keys_and_counts_api_calls(twin):
    sf = client(twin)
    first = sf.limits()
    assert set(first) >= DOCUMENTED_LIMITS, DOCUMENTED_LIMITS - set(first)
    assert all(set(v) == {"Max", "Remaining"} for v in first.values())
    sf.query("SELECT Id FROM Lead LIMIT 1")
    second = sf.limits()
    assert second["DailyApiRequests"]["Remaining"] == first["DailyApiRequests"]["Remaining"] - 2
    storage = second["DataStorageMB"]
    assert storage["Max"] > 0 and 0 <= storage["Remaining"] <= storage["Max"]


def test_the_versions_and_resource_directory_name_what_clients_look_for(twin):
    sf = client(twin)
    versions = sf.session.get(f"{twin.salesforce_url}/services/data/", headers=sf.headers).json()
    assert versions[-1]["version"] == "59.0" and versions[-1]["url"] == "/services/data/v59.0"
    directory = sf.restful("")
    for name in ("identity", "search", "recent", "composite", "limits", "sobjects", "query", "queryAll", "tooling",
                 "jobs"):
        assert name in directory, name
    assert directory["search"] == "/services/data/v59.0/search"
    assert directory["identity"].startswith(f"{twin.salesforce_url}/id/00D")
    recent = sf.session.get(f"{twin.salesforce_url}{directory['recent']}", headers=sf.headers)
    assert (recent.status_code, recent.json()) == (200, [])  # nobody has viewed a record in the twin


def test_the_identity_url_answers_for_the_session_user_only(twin):
    sf = client(twin)
    identity_url = sf.restful("")["identity"]
    me = sf.session.get(identity_url, params={"format": "json"}, headers=sf.headers)
    assert me.status_code == 200
    body = me.json()
    user_id = identity_url.rsplit("/", 1)[1]
    assert body["user_id"] == user_id and body["id"] == identity_url
    assert body["organization_id"] == identity_url.split("/")[-2]
    user = sf.User.get(user_id)
    assert (body["username"], body["email"], body["last_name"]) == (user["Username"], user["Email"], user["LastName"])
    assert body["urls"]["rest"].endswith("/services/data/v{version}/")
    someone_else = sf.query(f"SELECT Id FROM User WHERE Id != '{user_id}' LIMIT 1")["records"][0]["Id"]
    refused = sf.session.get(identity_url.rsplit("/", 1)[0] + "/" + someone_else, headers=sf.headers)
    assert refused.status_code == 403
    anonymous = sf.session.get(identity_url)
    assert anonymous.status_code == 401


def test_userinfo_is_the_openid_view_of_the_same_user(twin):
    sf = client(twin)
    identity_url = sf.restful("")["identity"]
    info = sf.oauth2("userinfo")
    assert info["sub"] == identity_url and info["user_id"] == identity_url.rsplit("/", 1)[1]
    assert {"preferred_username", "email", "given_name", "family_name", "zoneinfo", "organization_id"} <= set(info)
