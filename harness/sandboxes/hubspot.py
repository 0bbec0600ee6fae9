"""The HubSpot side, through hubspot-api-client, with urllib3 retries that also cover POST and PATCH."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import hubspot
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from harness.errors import UserError
from harness.sandboxes.budget import ApiBudget
from harness.sandboxes.credentials import HubSpotCredentials
from harness.sandboxes.http import platform_session, reaching
from harness.sandboxes.pacing import hubspot_limits
from harness.sandboxes.readahead import AssociationReadAhead

log = logging.getLogger("harness.hubspot")
# SDK methods that only read: any other call may change associations, and drops what was read ahead.
READS = {"get_by_id", "get_page", "read", "do_search", "get_all"}


# POSTs that are not idempotent: `/crm/v3/objects/<type>`, `.../batch/create` and `.../merge`. Their answers,
# not only their requests, can be lost; a blind resend would create the record twice or merge a merged record.
CREATE_PATH = re.compile(r"^(https?://[^/]+)?/crm/v3/objects/[^/?]+(/batch/create|/merge)?/?(\?.*)?$")
# The property that identifies a record a run created (its value carries the run's tag), per object type.
IDENTIFYING_PROPERTY = {"contacts": "email", "companies": "name", "deals": "dealname", "tickets": "subject",
                        "notes": "hs_note_body", "tasks": "hs_task_subject", "calls": "hs_call_title",
                        "meetings": "hs_meeting_title", "emails": "hs_email_subject"}


class CountingRetry(Retry):
    """urllib3's Retry, counting each retry into the run's budget (the SDK retries below our code).

    Statuses (429, 5xx) are retried for every method: the platform answered, so nothing was done. A connection
    lost after a create was sent is not retried here: HubSpotSandbox.create first looks for what it created."""

    budget: ApiBudget | None = None

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any) -> Retry:
        error = kwargs.get("error")
        if error is not None and self._is_read_error(error) and method == "POST" and url and CREATE_PATH.match(url):
            raise error
        new = super().increment(method, url, *args, **kwargs)
        if self.budget is not None:
            self.budget.retried("hubspot")
            self.budget.spend("hubspot")
        new.budget = self.budget
        return new

    def sleep(self, response: Any = None) -> None:
        started = time.monotonic()
        super().sleep(response)
        if self.budget is not None:
            self.budget.waited("backoff", time.monotonic() - started)


def retry_policy(budget: ApiBudget, total: int = 6) -> Retry:
    # allowed_methods=None: urllib3's default leaves out POST and PATCH, i.e. creates, batches and searches.
    policy = CountingRetry(total=total, backoff_factor=0.3, backoff_max=10, status_forcelist=(429, 500, 502, 503, 504),
                           allowed_methods=None, respect_retry_after_header=True, raise_on_status=False)
    policy.budget = budget
    return policy


class HubSpotSandbox:
    def __init__(self, client: hubspot.Client, credentials: HubSpotCredentials, ca_bundle: str | None,
                 budget: ApiBudget) -> None:
        self.client = client
        self.credentials = credentials
        self.budget = budget
        self.raw = platform_session(ca_bundle)
        self.raw.headers["Authorization"] = f"Bearer {credentials.token.reveal()}"
        self.raw.mount("https://", HTTPAdapter(max_retries=retry_policy(budget)))
        self.raw.mount("http://", HTTPAdapter(max_retries=retry_policy(budget)))
        # The SDK builds a new connection pool on every `client.crm.<type>.<api>` access; keep one per API.
        self._apis: dict[tuple[str, str], Any] = {}
        self.read_ahead = AssociationReadAhead(self._associations_batch)
        self.pace, self.search_pace = hubspot_limits(credentials.host, credentials.token.reveal())
        for window in (self.pace, self.search_pace):
            window.on_wait = lambda seconds: budget.waited("pacing", seconds)

    @classmethod
    def connect(cls, credentials: HubSpotCredentials, ca_bundle: str | None, budget: ApiBudget) -> HubSpotSandbox:
        options: dict[str, Any] = {"access_token": credentials.token.reveal(), "host": credentials.host,
                                   "retry": retry_policy(budget)}
        if ca_bundle:
            options["ssl_ca_cert"] = ca_bundle
        return cls(hubspot.Client.create(**options), credentials, ca_bundle, budget)

    def api(self, object_type: str, kind: str) -> Any:
        """The SDK's API object for a CRM object type: contacts/companies/deals/tickets have their own packages,
        engagements (calls, emails, meetings, notes, tasks) live under crm.objects."""
        key = (object_type, kind)
        if key not in self._apis:
            package = getattr(self.client.crm, object_type, None)
            if package is None or object_type == "objects":
                package = getattr(self.client.crm.objects, object_type)
            self._apis[key] = getattr(package, kind)
        return self._apis[key]

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(function, "__name__", "")
        if name not in READS:
            self.read_ahead.written()
        searched = self.search_pace.acquire() if name == "do_search" else None
        paced = self.pace.acquire()
        self.budget.spend("hubspot")
        try:
            answer = function(*args, **kwargs)
            if name != "do_search":
                self._observe(getattr(getattr(getattr(function, "__self__", None), "api_client", None), "last_response",
                                      None))
            return answer
        except Exception as error:  # each SDK sub-package has its own ApiException class: test by status
            status = getattr(error, "status", None)
            if status == 401:
                raise UserError("environment: HubSpot refused the token (401); check UAT_HUBSPOT_TOKEN and the "
                                "private app's scopes") from None
            raise
        finally:
            self.pace.done(paced)
            if searched is not None:
                self.search_pace.done(searched)

    def _observe(self, response: Any) -> None:
        """The portal's rate-limit headers on an answer (pacing.py); an SDK answer keeps them in `last_response`."""
        headers = getattr(response, "headers", None)
        if headers is None and hasattr(response, "getheaders"):
            headers = response.getheaders()
        if headers:
            self.pace.observe(headers.get("X-HubSpot-RateLimit-Max"), headers.get("X-HubSpot-RateLimit-Remaining"))

    # -- records --------------------------------------------------------------------------------------
    def create(self, object_type: str, properties: dict[str, Any], taken: Callable[[], set[str]] | None = None,
               attempts: int = 4) -> str:
        """Create one record, at most once: after an attempt whose answer was lost, look for the record it may have
        made (contacts by e-mail through batch read; others by their identifying property) before sending again.
        `taken`: ids already accounted for (e.g. the ledger), never adopted."""
        lost: Exception | None = None
        for _attempt in range(attempts):
            if lost is not None:
                found = self.find_created(object_type, properties, taken() if taken else set())
                if found:
                    log.info("hubspot create %s: adopted %s, created by an attempt whose answer was lost", object_type, found)
                    return found
            try:
                return self._call(self.api(object_type, "basic_api").create, {"properties": properties}).id
            except urllib3.exceptions.HTTPError as error:  # ProtocolError, ReadTimeoutError: the answer was lost
                lost = error
                time.sleep(0.2 * (_attempt + 1))
        assert lost is not None
        raise lost

    def find_created(self, object_type: str, properties: dict[str, Any], taken: set[str]) -> str | None:
        prop = IDENTIFYING_PROPERTY.get(object_type)
        value = properties.get(prop) if prop else None
        if not value:
            return None
        if object_type == "contacts":  # batch read by e-mail: exact and immediate, unlike search
            response = self._call(self.api("contacts", "batch_api").read, {
                "inputs": [{"id": str(value).strip()}], "idProperty": "email", "properties": ["email"]})
            return next((r.id for r in response.results or [] if r.id not in taken), None)
        # Search lags writes: give the index a few seconds to catch up with the attempt that was lost.
        for pause in (0.0, 1.0, 2.0, 3.0):
            time.sleep(pause)
            response = self._call(self.api(object_type, "search_api").do_search, {
                "filterGroups": [{"filters": [{"propertyName": prop, "operator": "EQ", "value": str(value)}]}],
                "properties": [prop], "limit": 10})
            found = next((r.id for r in response.results or [] if r.id not in taken), None)
            if found:
                return found
        return None

    def get(self, object_type: str, object_id: str, properties: Iterable[str] | None = None,
            with_history: Iterable[str] | None = None) -> Any:
        return self._call(self.api(object_type, "basic_api").get_by_id, object_id, properties=list(properties or []) or None,
                          properties_with_history=list(with_history or []) or None)

    def update(self, object_type: str, object_id: str, properties: dict[str, Any]) -> None:
        self._call(self.api(object_type, "basic_api").update, object_id, {"properties": properties})

    def archive(self, object_type: str, object_id: str) -> None:
        self._call(self.api(object_type, "basic_api").archive, object_id)

    def read_many(self, object_type: str, ids: Iterable[str], properties: Iterable[str],
                  id_property: str | None = None) -> dict[str, dict[str, Any]]:
        """Objects by id through batch read (100 a call): by id, never by search, which lags writes. With
        `id_property` (e.g. email) the ids are values of that unique property; results stay keyed by object id.

        Read as JSON, not through the SDK: its models parse every record's timestamps with dateutil, 3.5 s of CPU
        for a 12,000-record population (profiled, docs/run-cost.md), and the properties are all this returns."""
        wanted = list(dict.fromkeys(ids))
        names = list(properties)
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 100):
            chunk = wanted[start:start + 100]
            body: dict[str, Any] = {"inputs": [{"id": i} for i in chunk], "properties": names}
            if id_property:
                body["idProperty"] = id_property
            answer = self.request("POST", f"/crm/v3/objects/{object_type}/batch/read", body, changes=False) or {}
            for item in answer.get("results") or []:
                out[str(item["id"])] = dict(item.get("properties") or {})
        self.read_ahead.records_read(object_type, out)
        return out

    # -- what the SDK lacks ---------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None, changes: bool | None = None) -> Any:
        """A raw call for endpoints hubspot-api-client 12 does not wrap (account info, lists, workflows), and for
        bulk reads whose answers need no models. `changes=False`: a POST that only reads."""
        if method != "GET" if changes is None else changes:
            self.read_ahead.written()
        paced = self.pace.acquire()
        self.budget.spend("hubspot")
        try:
            response = self.raw.request(method, self.credentials.host.rstrip("/") + path,
                                        data=json.dumps(body) if body is not None else None,
                                        headers={"Content-Type": "application/json"} if body is not None else None)
        finally:
            self.pace.done(paced)
        self._observe(response)
        if response.status_code == 401:
            raise UserError("environment: HubSpot refused the token (401); check UAT_HUBSPOT_TOKEN")
        response.raise_for_status()
        return response.json() if response.content else None

    def account(self) -> dict[str, Any]:
        """The portal's identity: the first call of a run, so an unreachable or untrusted host is told here."""
        with reaching("HubSpot", self.credentials.host, "UAT_HUBSPOT_HOST"):
            return self.request("GET", "/account-info/v3/details")

    # -- associations and merges ----------------------------------------------------------------------
    def associated_ids(self, from_type: str, object_id: str, to_type: str) -> list[str]:
        """Ids of `to_type` records associated with one record (associations v4, all pages; read ahead in batches
        for a record just read at population scale: readahead.py)."""
        ahead = self.read_ahead.lookup(from_type, object_id, to_type)
        if ahead is not None:
            return ahead
        api = self.client.crm.associations.v4.basic_api
        ids: list[str] = []
        after = None
        while True:
            page = self._call(api.get_page, from_type, object_id, to_type, after=after, limit=500)
            ids += [str(r.to_object_id) for r in page.results or []]
            after = page.paging.next.after if page.paging and page.paging.next else None
            if not after:
                return ids

    def associated_many(self, from_type: str, ids: Iterable[str], to_type: str) -> dict[str, list[str]]:
        """Associations of many records at once (v4 batch read, 1,000 inputs a call): from id -> to ids."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, list[str]] = {i: [] for i in wanted}
        for result in self._association_results(from_type, wanted, to_type):
            out.setdefault(str(result["from"]["id"]), []).extend(str(t["toObjectId"]) for t in result.get("to") or [])
        return out

    def _association_results(self, from_type: str, ids: list[str], to_type: str) -> Iterator[dict[str, Any]]:
        """The v4 batch read's results, 1,000 records a call, as JSON (no SDK models: see read_many)."""
        for start in range(0, len(ids), 1000):
            answer = self.request("POST", f"/crm/v4/associations/{from_type}/{to_type}/batch/read",
                                  {"inputs": [{"id": i} for i in ids[start:start + 1000]]}, changes=False) or {}
            yield from answer.get("results") or []

    def _associations_batch(self, from_type: str, ids: list[str], to_type: str) -> dict[str, list[str] | None]:
        """associated_many, but a record with more associations than one answer holds is left out (None)."""
        out: dict[str, list[str] | None] = {i: [] for i in ids}
        for result in self._association_results(from_type, ids, to_type):
            source = str(result["from"]["id"])
            if ((result.get("paging") or {}).get("next")) is not None:
                out[source] = None
            elif out.get(source) is not None:
                out.setdefault(source, []).extend(str(t["toObjectId"]) for t in result.get("to") or [])  # type: ignore[union-attr]
        return out

    def associate(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        """The default (unlabelled, primary where HubSpot makes it so) association between two records."""
        self._call(self.client.crm.associations.v4.basic_api.create_default, from_type, from_id, to_type, to_id)

    def merge(self, object_type: str, primary_id: str, merged_id: str) -> str:
        """HubSpot merge; returns the surviving record's id (which may be new: both old ids then resolve to it)."""
        body = {"primaryObjectId": primary_id, "objectIdToMerge": merged_id}
        try:
            return str(self._call(self.api(object_type, "basic_api").merge, body).id)
        except urllib3.exceptions.HTTPError:  # the answer was lost: did the merge happen?
            survivor = str(self._call(self.api(object_type, "basic_api").get_by_id, merged_id).id)
            if survivor != merged_id:  # a merged-away id resolves to the record that survived
                log.info("hubspot merge %s: %s already merged into %s by the attempt whose answer was lost",
                         object_type, merged_id, survivor)
                return survivor
            return str(self._call(self.api(object_type, "basic_api").merge, body).id)
