"""The Salesforce side, through simple-salesforce, with the retries simple-salesforce does not have."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceRefusedRequest,
)
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from harness.errors import UserError
from harness.sandboxes.budget import ApiBudget
from harness.sandboxes.credentials import SalesforceCredentials
from harness.sandboxes.http import platform_session, reaching

log = logging.getLogger("harness.salesforce")
API_VERSION = "59.0"


# Fields that identify a record a run created (its values carry the run's tag), in order of preference: what a
# create whose answer was lost is looked up by before it is sent again.
IDENTIFYING_FIELDS = ("Email", "Name", "LastName", "Subject", "OpportunityId", "ContactId", "CampaignId", "LeadId")


def is_transient(error: BaseException) -> bool:
    """Worth another try: throttling, 5xx, dropped connections. Never a validation error or a 404."""
    if isinstance(error, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)):
        return True
    if isinstance(error, SalesforceRefusedRequest):
        return "REQUEST_LIMIT_EXCEEDED" in str(error.content)
    if isinstance(error, SalesforceGeneralError):
        return error.status >= 500 or error.status == 429
    return False


def answer_lost(error: BaseException) -> bool:
    """The request may have been served though no answer came back (a reset connection, a read timeout)."""
    return isinstance(error, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError))


def soql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


# A query travels in the URI of a GET (`/query?q=...`): Salesforce refuses URIs over 16,384 bytes (HTTP 414), and
# each quoted id costs ~28 of them once URL-encoded. Chunks fill that, up to 800 ids: the query answers 2,000 rows a
# page, so a chunk stays one call (https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.
# meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm).
URI_BUDGET = 15_000
MAX_IDS_PER_QUERY = 800


def id_filters(field: str, ids: Iterable[str], prefix: str = "") -> Iterator[str]:
    """`field IN (...)` clauses for all of `ids`, each as long as a query URI allows (`prefix`: the query before
    the clause, counted against the URI)."""
    wanted = list(dict.fromkeys(ids))
    room = URI_BUDGET - len(quote_plus(prefix + f"{field} IN ()")) - 200  # the path, /query?q= and the host
    size = max(1, min(MAX_IDS_PER_QUERY, room // len(quote_plus("'001000000000000AAA', "))))
    for start in range(0, len(wanted), size):
        yield f"{field} IN ({', '.join(soql_literal(i) for i in wanted[start:start + size])})"


def error_code(error: SalesforceError) -> str | None:
    content = getattr(error, "content", None)
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return content[0].get("errorCode")
    return None


class SalesforceSandbox:
    def __init__(self, client: Salesforce, budget: ApiBudget, attempts: int = 6) -> None:
        self.client = client
        self.budget = budget
        self.attempts = attempts

    @classmethod
    def connect(cls, credentials: SalesforceCredentials, ca_bundle: str | None, budget: ApiBudget) -> SalesforceSandbox:
        session = platform_session(ca_bundle)
        common = {"session": session, "version": API_VERSION, "object_pairs_hook": dict}
        try:
            if credentials.method == "session":
                client = Salesforce(instance_url=credentials.instance_url, session_id=credentials.access_token.reveal(),
                                    **common)
            elif credentials.method == "password":
                client = Salesforce(username=credentials.username, password=credentials.password.reveal(),
                                    security_token=credentials.security_token.reveal(), domain=credentials.domain, **common)
            else:
                client = Salesforce(consumer_key=credentials.client_id, consumer_secret=credentials.client_secret.reveal(),
                                    domain=credentials.domain, **common)
        except SalesforceAuthenticationFailed as error:
            raise UserError(f"environment: Salesforce login failed ({error.code}); check the UAT_SF_* credentials and "
                            "that UAT_SF_DOMAIN is your sandbox's login domain") from None
        except requests.ConnectionError:
            raise UserError("environment: cannot reach Salesforce; check UAT_SF_INSTANCE_URL / UAT_SF_DOMAIN and the "
                            "network") from None
        budget.spend("salesforce", 0)
        return cls(client, budget)

    # -- the retry wrapper ----------------------------------------------------------------------------
    def call(self, operation: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        def before_sleep(state: RetryCallState) -> None:
            self.budget.retried("salesforce")
            self.budget.waited("backoff", state.next_action.sleep if state.next_action else 0.0)
            log.info("salesforce %s: transient failure, retry %d", operation, state.attempt_number)

        for attempt in Retrying(stop=stop_after_attempt(self.attempts), wait=wait_exponential_jitter(multiplier=0.2, max=8, jitter=0.3),
                                retry=retry_if_exception(is_transient), before_sleep=before_sleep, reraise=True):
            with attempt:
                self.budget.spend("salesforce")
                try:
                    return function(*args, **kwargs)
                except SalesforceExpiredSession:
                    raise UserError("environment: the Salesforce session was refused (INVALID_SESSION_ID); refresh "
                                    "UAT_SF_ACCESS_TOKEN or use username/password login") from None
        raise AssertionError("unreachable")

    # -- records --------------------------------------------------------------------------------------
    def sobject(self, name: str) -> Any:
        return getattr(self.client, name)

    def create(self, sobject: str, data: dict[str, Any], headers: dict[str, str] | None = None,
               taken: Callable[[], set[str]] | None = None) -> str:
        """Create one record, at most once. A create is not idempotent: when an attempt's answer was lost, the next
        attempt first looks for the record that attempt may have made (same identifying values, created since the
        first attempt, not one of `taken`: ids already accounted for, e.g. the ledger) and adopts it."""
        started = time.time()
        lost = {"answer": False}

        def attempt() -> dict[str, Any]:
            if lost["answer"]:
                found = self.find_created(sobject, data, started, taken() if taken else set())
                if found:
                    log.info("salesforce create %s: adopted %s, created by an attempt whose answer was lost", sobject, found)
                    return {"id": found}
            try:
                return self.sobject(sobject).create(data, headers=headers)
            except Exception as error:
                lost["answer"] = lost["answer"] or answer_lost(error)
                raise

        return self.call(f"create {sobject}", attempt)["id"]

    def find_created(self, sobject: str, data: dict[str, Any], since: float, taken: set[str]) -> str | None:
        """A record of `sobject` with the identifying values of `data`, created since `since` (epoch seconds)."""
        keys = [f for f in IDENTIFYING_FIELDS if isinstance(data.get(f), str) and data[f]]
        if not keys:
            return None
        keys = keys[:1] if keys[0] == "Email" else keys
        stamp = datetime.fromtimestamp(since - 2, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # clocks: whole seconds
        where = " AND ".join(f"{f} = {soql_literal(data[f])}" for f in keys)
        rows = self.query_all(f"SELECT Id FROM {sobject} WHERE {where} AND CreatedDate >= {stamp} ORDER BY CreatedDate")
        return next((r["Id"] for r in rows if r["Id"] not in taken), None)

    def get(self, sobject: str, record_id: str) -> dict[str, Any]:
        return self.call(f"get {sobject}", self.sobject(sobject).get, record_id)

    def update(self, sobject: str, record_id: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.call(f"update {sobject}", self.sobject(sobject).update, record_id, data, headers=headers)

    def delete(self, sobject: str, record_id: str) -> None:
        self.call(f"delete {sobject}", self.sobject(sobject).delete, record_id)

    def query_all(self, soql: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        result = self.call("query", self.client.query_all, soql, include_deleted=include_deleted)
        return result["records"]

    def read_many(self, sobject: str, ids: Iterable[str], fields: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Records by id, by SOQL on Id (an indexed read, not a search), as many ids a query as its URI holds."""
        columns = ", ".join(dict.fromkeys(["Id", *fields]))
        out: dict[str, dict[str, Any]] = {}
        for where in id_filters("Id", ids, f"SELECT {columns} FROM {sobject} WHERE "):
            for record in self.query_all(f"SELECT {columns} FROM {sobject} WHERE {where}"):
                out[record["Id"]] = record
        return out

    def organization(self) -> dict[str, Any]:
        """The org's identity: the first call of a run, so an unreachable or untrusted host is told here."""
        with reaching("Salesforce", self.instance_url, "UAT_SF_INSTANCE_URL (or UAT_SF_DOMAIN)"):
            records = self.query_all("SELECT Id, Name, IsSandbox, InstanceName, OrganizationType FROM Organization LIMIT 1")
        if not records:
            raise UserError("environment: Salesforce returned no Organization row; the user needs 'View Setup and "
                            "Configuration'")
        return records[0]

    def restful(self, path: str, method: str = "GET", **kwargs: Any) -> Any:
        return self.call(f"{method} {path}", self.client.restful, path, method=method, **kwargs)

    @property
    def session(self) -> requests.Session:
        return self.client.session

    @property
    def instance_url(self) -> str:
        return f"https://{self.client.sf_instance}"
