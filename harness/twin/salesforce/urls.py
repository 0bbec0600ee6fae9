"""Salesforce routes: werkzeug rules naming handlers of `SalesforceResponses`. Any `vNN.N` is accepted."""

from __future__ import annotations

from werkzeug.routing import Rule

V = "/services/data/v<version>"
J = f"{V}/jobs"

RULES = [
    Rule("/services/data", endpoint="versions", methods=["GET"]),
    Rule(f"{V}", endpoint="resources", methods=["GET"]),
    Rule(f"{V}/sobjects", endpoint="describe_global", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>", endpoint="sobject_basic", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>", endpoint="create", methods=["POST"]),
    Rule(f"{V}/sobjects/<sobject>/describe", endpoint="describe", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>/deleted", endpoint="deleted", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>/updated", endpoint="updated", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>/<record_id>", endpoint="record", methods=["GET", "PATCH", "DELETE"]),
    Rule(f"{V}/sobjects/<sobject>/<field>/<path:value>", endpoint="by_external_id", methods=["GET", "PATCH", "DELETE"]),
    Rule(f"{V}/query", endpoint="query", methods=["GET"]),
    Rule(f"{V}/query/<locator>", endpoint="query_more", methods=["GET"]),
    Rule(f"{V}/queryAll", endpoint="query_all", methods=["GET"]),
    Rule(f"{V}/queryAll/<locator>", endpoint="query_more", methods=["GET"]),
    Rule(f"{V}/limits", endpoint="limits", methods=["GET"]),
    Rule(f"{V}/composite", endpoint="composite", methods=["POST"]),
    Rule(f"{V}/composite/batch", endpoint="composite_batch", methods=["POST"]),
    Rule(f"{V}/composite/tree/<sobject>", endpoint="composite_tree", methods=["POST"]),
    Rule(f"{V}/search", endpoint="search", methods=["GET"]),
    Rule(f"{V}/ui-api/duplicates/<sobject>", endpoint="ui_duplicates", methods=["GET"]),
    Rule(f"{V}/recent", endpoint="recent", methods=["GET"]),
    Rule(f"{V}/composite/sobjects", endpoint="collection", methods=["POST", "PATCH", "DELETE"]),
    Rule(f"{V}/composite/sobjects/<sobject>", endpoint="collection_retrieve", methods=["GET", "POST"]),
    Rule(f"{V}/composite/sobjects/<sobject>/<field>", endpoint="collection_upsert", methods=["PATCH"]),
    Rule(f"{V}/tooling/query", endpoint="tooling_query", methods=["GET"]),
    Rule(f"{V}/tooling/query/<locator>", endpoint="query_more", methods=["GET"]),
    Rule(f"{V}/tooling/sobjects", endpoint="tooling_describe_global", methods=["GET"]),
    Rule(f"{V}/tooling/sobjects/<sobject>/describe", endpoint="tooling_describe", methods=["GET"]),
    Rule(f"{V}/tooling/sobjects/<sobject>/<record_id>", endpoint="tooling_record", methods=["GET"]),
    Rule(f"{J}/ingest", endpoint="ingest_jobs", methods=["GET", "POST"]),
    Rule(f"{J}/ingest/<job_id>", endpoint="ingest_job", methods=["GET", "PATCH", "DELETE"]),
    Rule(f"{J}/ingest/<job_id>/batches", endpoint="ingest_batches", methods=["PUT"]),
    Rule(f"{J}/ingest/<job_id>/<kind>", endpoint="ingest_results", methods=["GET"]),
    Rule(f"{J}/query", endpoint="query_jobs", methods=["GET", "POST"]),
    Rule(f"{J}/query/<job_id>", endpoint="query_job", methods=["GET", "PATCH", "DELETE"]),
    Rule(f"{J}/query/<job_id>/results", endpoint="query_results", methods=["GET"]),
    Rule("/id/<org_id>/<user_id>", endpoint="identity", methods=["GET", "POST"]),
    Rule("/services/oauth2/userinfo", endpoint="userinfo", methods=["GET", "POST"]),
    Rule("/services/Soap/u/<version>", endpoint="soap", methods=["POST"]),
    Rule("/services/Soap/u/<version>/<org_id>", endpoint="soap", methods=["POST"]),
]
