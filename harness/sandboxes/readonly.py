"""Read-only connections for `uat monitor`: every request both clients send passes an allow-list of reads first.

The guard sits where a request leaves, not in the harness's own methods, so no code path can write, however it
reaches the platform: simple-salesforce's session (REST, Tooling, SOAP, Bulk and Bulk 2.0 all use it) gets a
guarding transport adapter; hubspot-api-client builds one urllib3 pool per API object, so its `api_factory` (a
documented config key, hubspot/discovery/discovery_base.py) wraps each pool; the raw HubSpot session and the
twin's control plane get the same adapter. A refused request raises `WriteRefused` before a byte is sent.

What passes (anything else is refused):
- Salesforce: GET/HEAD under /services/data/ (REST, query, describe, limits, Tooling queries, Bulk 2.0 job status
  and results), except Tooling's executeAnonymous and runTests* (GETs that run Apex); POST only to create a Bulk
  2.0 *query* job (`/jobs/query` with operation query or queryAll). SOAP (convertLead, merge), Bulk ingest,
  composite and any method override (`_HttpMethod`, X-HTTP-Method-Override) are refused.
- HubSpot: GET/HEAD; POST only to the read endpoints: CRM search, batch read (objects, associations, properties,
  workflows), lists search, and starting a CRM export.
- The twin's control plane: GET only (Sync Health, settings), never a sync cycle, pause or fault.

Logging in (SOAP login, OAuth token) happens before the guard is put on: it changes nothing in the org.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from hubspot.discovery.discovery_base import DiscoveryBase
from requests.adapters import BaseAdapter

from harness.sandboxes import Sandboxes
from harness.sandboxes.budget import ApiBudget
from harness.sandboxes.control import TwinControl
from harness.sandboxes.credentials import Credentials, credentials_from_env
from harness.sandboxes.hubspot import HubSpotSandbox
from harness.sandboxes.safety import allow_read_only
from harness.sandboxes.salesforce import SalesforceSandbox

READS = {"GET", "HEAD"}
_SF_QUERY_JOB = re.compile(r"^/services/data/v\d+\.\d+/jobs/query/?$")
# GETs that run code: anonymous Apex, and Apex tests (rolled back, but their callouts and async work are not)
_SF_REFUSED_READS = re.compile(r"/tooling/(executeanonymous|runtests)", re.I)
_HS_READ_POSTS = [re.compile(p) for p in (
    r"^/crm/v3/objects/[^/]+/search/?$",
    r"^/crm/v3/objects/[^/]+/batch/read/?$",
    r"^/crm/v4/associations/[^/]+/[^/]+/batch/read/?$",
    r"^/crm/v3/associations/[^/]+/[^/]+/batch/read/?$",
    r"^/crm/v3/properties/[^/]+/batch/read/?$",
    r"^/automation/v4/flows/batch/read/?$",
    r"^/crm/v3/lists/search/?$",
    r"^/crm/v3/exports/export/async/?$",
)]

Rule = Callable[[str, str, Any, dict[str, str]], str | None]  # (method, url, body, headers) -> why refused, or None


class WriteRefused(Exception):
    """A request monitor mode may not send; raised before it leaves. Never a user error: a bug to report."""

    def __init__(self, system: str, method: str, url: str, why: str) -> None:
        path = urlsplit(url).path
        super().__init__(f"monitor mode is read-only: refused {method} {path} to {system} before sending it ({why})")
        self.system, self.method, self.path = system, method, path


def _path(url: str) -> str | None:
    """The request's path, or None when it could be read two ways (dot segments, encoded slashes or dots)."""
    raw = urlsplit(url).path
    decoded = unquote(raw)
    if decoded != raw and re.search(r"%2[ef]", raw, re.I):
        return None
    if any(segment in (".", "..") for segment in decoded.split("/")):
        return None
    return decoded


def _overridden(url: str, headers: dict[str, str]) -> bool:
    query = {k.lower() for k in parse_qs(urlsplit(url).query)}
    named = {k.lower() for k in headers}
    return "_httpmethod" in query or "x-http-method-override" in named or "x-http-method" in named


def _json(body: Any) -> Any:
    try:
        return json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except (TypeError, ValueError, UnicodeDecodeError):
        return None


def _ambiguous(url: str, headers: dict[str, str]) -> tuple[str | None, str | None]:
    """(the request's path, None), or (None, why it is refused whatever the method): both platforms' first check."""
    path = _path(url)
    if path is None:
        return None, "an ambiguous path"
    if _overridden(url, headers):
        return None, "a method override"
    return path, None


def salesforce_rule(method: str, url: str, body: Any, headers: dict[str, str]) -> str | None:
    path, refused = _ambiguous(url, headers)
    if path is None:
        return refused
    if method in READS:
        if not path.startswith("/services/data/"):
            return "only the REST API under /services/data/ is read"
        if _SF_REFUSED_READS.search(path):
            return "it runs Apex"
        return None
    if method == "POST" and _SF_QUERY_JOB.match(path):
        job = _json(body)
        if isinstance(job, dict) and job.get("operation") in ("query", "queryAll"):
            return None
        return "a Bulk 2.0 job that is not a query"
    return "not a read"


def hubspot_rule(method: str, url: str, body: Any, headers: dict[str, str]) -> str | None:
    path, refused = _ambiguous(url, headers)
    if path is None:
        return refused
    if method in READS:
        return None
    if method == "POST" and any(p.match(path) for p in _HS_READ_POSTS):
        return None
    return "not a read"


def control_rule(method: str, url: str, body: Any, headers: dict[str, str]) -> str | None:
    return None if method in READS else "the control plane is only read (no sync cycle, pause or fault)"


class ReadOnlyAdapter(BaseAdapter):
    """A requests transport that sends only what its rule allows, through the adapter it replaced."""

    def __init__(self, inner: BaseAdapter, system: str, rule: Rule) -> None:
        super().__init__()
        self.inner, self.system, self.rule = inner, system, rule

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        method = (request.method or "GET").upper()
        why = self.rule(method, request.url or "", request.body, dict(request.headers))
        if why:
            raise WriteRefused(self.system, method, request.url or "", why)
        return self.inner.send(request, **kwargs)

    def close(self) -> None:
        self.inner.close()


def guard_session(session: requests.Session, system: str, rule: Rule) -> requests.Session:
    """Put the guard in front of every transport the session has (https://, http:// and any other mount)."""
    for prefix, adapter in list(session.adapters.items()):
        if not isinstance(adapter, ReadOnlyAdapter):
            session.mount(prefix, ReadOnlyAdapter(adapter, system, rule))
    return session


def guard_like(model: requests.Session, session: requests.Session) -> requests.Session:
    """Guard `session` as `model` is guarded, if it is: a client built later beside read-only connections (the
    integration user's login in conformance) stays read-only. Call it after that client has logged in."""
    guards = [a for a in model.adapters.values() if isinstance(a, ReadOnlyAdapter)]
    return guard_session(session, guards[0].system, guards[0].rule) if guards else session


class ReadOnlyPool:
    """hubspot-api-client's urllib3 pool, sending only what the HubSpot rule allows."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def _check(self, method: str, url: str, body: Any, headers: dict[str, str] | None) -> None:
        why = hubspot_rule(method.upper(), url, body, dict(headers or {}))
        if why:
            raise WriteRefused("hubspot", method.upper(), url, why)

    def request(self, method: str, url: str, body: Any = None, fields: Any = None, headers: Any = None,
                **kwargs: Any) -> Any:
        self._check(method, url, body, headers)
        return self.inner.request(method, url, body=body, fields=fields, headers=headers, **kwargs)

    def urlopen(self, method: str, url: str, body: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        self._check(method, url, body, headers)
        return self.inner.urlopen(method, url, body=body, headers=headers, **kwargs)

    def __getattr__(self, name: str) -> Any:  # clear(), connection_from_url()... for the SDK's own housekeeping
        return getattr(self.inner, name)


def read_only_api_factory(api_client_package: Any, api_name: str, config: dict[str, Any]) -> Any:
    """hubspot-api-client's default factory, with the API object's pool behind the guard."""
    api = DiscoveryBase._default_api_factory(api_client_package, api_name, config)
    rest = api.api_client.rest_client
    rest.pool_manager = ReadOnlyPool(rest.pool_manager)
    return api


def is_read_only(sandboxes: Sandboxes) -> bool:
    """Whether every way out of these connections is guarded: checked, not trusted, by the production guard."""
    sf_session = sandboxes.salesforce.client.session
    sessions = [sf_session, sandboxes.hubspot.raw] + ([sandboxes.control.session] if sandboxes.control else [])
    guarded = all(s.adapters and all(isinstance(a, ReadOnlyAdapter) for a in s.adapters.values()) for s in sessions)
    pools = [api.api_client.rest_client.pool_manager for api in sandboxes.hubspot._apis.values()]
    return guarded and sandboxes.hubspot.client.config.get("api_factory") is read_only_api_factory \
        and all(isinstance(pool, ReadOnlyPool) for pool in pools)  # none built before the factory was in place


def connect_read_only(credentials: Credentials | None = None,
                      budget: ApiBudget | None = None) -> tuple[Sandboxes, str]:
    """Connect both platforms (and the twin's control plane, if any) read-only. Production is allowed here, and
    only here: returns the connections and the one line that says what the target is and why it may be read."""
    credentials = credentials or credentials_from_env()
    budget = budget or ApiBudget()
    salesforce = SalesforceSandbox.connect(credentials.salesforce, credentials.ca_bundle, budget)
    guard_session(salesforce.client.session, "salesforce", salesforce_rule)
    hubspot = HubSpotSandbox.connect(credentials.hubspot, credentials.ca_bundle, budget)
    hubspot.client.config["api_factory"] = read_only_api_factory  # read by the SDK each time it builds an API
    hubspot._apis.clear()  # none yet; cleared so that none built before the factory can ever be reused
    guard_session(hubspot.raw, "hubspot", hubspot_rule)
    control = None
    if credentials.control:
        control = TwinControl(credentials.control, credentials.ca_bundle)
        guard_session(control.session, "twin control plane", control_rule)
    organization = salesforce.organization()
    portal = hubspot.account()
    sandboxes = Sandboxes(salesforce, hubspot, control, budget, organization, portal, credentials)
    return sandboxes, allow_read_only(organization, portal, is_read_only(sandboxes))


__all__ = ["ReadOnlyAdapter", "ReadOnlyPool", "WriteRefused", "connect_read_only", "control_rule", "guard_like",
           "guard_session",
           "hubspot_rule", "is_read_only", "read_only_api_factory", "salesforce_rule"]
