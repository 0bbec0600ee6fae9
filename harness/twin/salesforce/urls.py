"""Salesforce routes: werkzeug rules naming handlers of `SalesforceResponses`. Any `vNN.N` is accepted."""

from __future__ import annotations

from werkzeug.routing import Rule

V = "/services/data/v<version>"

RULES = [
    Rule("/services/data", endpoint="versions", methods=["GET"]),
    Rule(f"{V}", endpoint="resources", methods=["GET"]),
    Rule(f"{V}/sobjects", endpoint="describe_global", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>", endpoint="sobject_basic", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>", endpoint="create", methods=["POST"]),
    Rule(f"{V}/sobjects/<sobject>/describe", endpoint="describe", methods=["GET"]),
    Rule(f"{V}/sobjects/<sobject>/<record_id>", endpoint="record", methods=["GET", "PATCH", "DELETE"]),
    Rule(f"{V}/query", endpoint="query", methods=["GET"]),
    Rule(f"{V}/query/<locator>", endpoint="query_more", methods=["GET"]),
    Rule(f"{V}/queryAll", endpoint="query_all", methods=["GET"]),
    Rule(f"{V}/queryAll/<locator>", endpoint="query_more", methods=["GET"]),
    Rule(f"{V}/limits", endpoint="limits", methods=["GET"]),
]
