"""The Salesforce side, through simple-salesforce, with the retries simple-salesforce does not have."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

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

from ..errors import UserError
from .budget import ApiBudget
from .credentials import SalesforceCredentials
from .http import platform_session

log = logging.getLogger("harness.salesforce")
API_VERSION = "59.0"


def is_transient(error: BaseException) -> bool:
    """Worth another try: throttling, 5xx, dropped connections. Never a validation error or a 404."""
    if isinstance(error, (requests.ConnectionError, requests.Timeout)):
        return True
    if isinstance(error, SalesforceRefusedRequest):
        return "REQUEST_LIMIT_EXCEEDED" in str(error.content)
    if isinstance(error, SalesforceGeneralError):
        return error.status >= 500 or error.status == 429
    return False


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

    def create(self, sobject: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> str:
        result = self.call(f"create {sobject}", self.sobject(sobject).create, data, headers=headers)
        return result["id"]

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
        """Records by id, in chunks, by SOQL on Id (an indexed read, not a search)."""
        wanted = list(dict.fromkeys(ids))
        columns = ", ".join(dict.fromkeys(["Id", *fields]))
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 200):
            chunk = wanted[start:start + 200]
            quoted = ", ".join(f"'{i}'" for i in chunk)
            for record in self.query_all(f"SELECT {columns} FROM {sobject} WHERE Id IN ({quoted})"):
                out[record["Id"]] = record
        return out

    def organization(self) -> dict[str, Any]:
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
