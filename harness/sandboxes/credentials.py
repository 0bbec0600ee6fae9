"""Credentials from the environment. Secrets are held in `Secret`, whose repr and str never show the value.

Salesforce, one of:
  UAT_SF_INSTANCE_URL + UAT_SF_ACCESS_TOKEN                       (an existing session / OAuth access token)
  UAT_SF_USERNAME + UAT_SF_PASSWORD + UAT_SF_SECURITY_TOKEN [+ UAT_SF_DOMAIN, default "test"]  (SOAP login)
  UAT_SF_CLIENT_ID + UAT_SF_CLIENT_SECRET + UAT_SF_DOMAIN          (OAuth client credentials; My Domain host)
HubSpot:
  UAT_HUBSPOT_TOKEN [+ UAT_HUBSPOT_HOST, default https://api.hubapi.com]   (private-app token)
Either:
  UAT_CA_BUNDLE   a PEM bundle to trust (the twin's throwaway CA; corporate proxies)
Twin only:
  UAT_TWIN_CONTROL_URL + UAT_TWIN_CONTROL_TOKEN
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from harness.errors import UserError


class Secret:
    """A credential that cannot leak by accident into a log line, an f-string or a report."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class SalesforceCredentials:
    method: str  # "session", "password", "client_credentials"
    instance_url: str | None = None
    access_token: Secret | None = None
    username: str | None = None
    password: Secret | None = None
    security_token: Secret | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    domain: str = "test"


@dataclass(frozen=True)
class HubSpotCredentials:
    token: Secret
    host: str = "https://api.hubapi.com"


@dataclass(frozen=True)
class TwinControlCredentials:
    url: str
    token: Secret


@dataclass(frozen=True)
class Credentials:
    salesforce: SalesforceCredentials
    hubspot: HubSpotCredentials
    ca_bundle: str | None = None
    control: TwinControlCredentials | None = None

    def secrets(self) -> list[str]:
        """Every secret value, for the redaction filter of logs and reports."""
        found = [self.hubspot.token.reveal()]
        for value in (self.salesforce.access_token, self.salesforce.password, self.salesforce.security_token,
                      self.salesforce.client_secret):
            if value:
                found.append(value.reveal())
        if self.control:
            found.append(self.control.token.reveal())
        return [s for s in found if s]


def _salesforce(env: Mapping[str, str]) -> SalesforceCredentials:
    if env.get("UAT_SF_INSTANCE_URL") or env.get("UAT_SF_ACCESS_TOKEN"):
        if not (env.get("UAT_SF_INSTANCE_URL") and env.get("UAT_SF_ACCESS_TOKEN")):
            raise UserError("environment: UAT_SF_INSTANCE_URL and UAT_SF_ACCESS_TOKEN go together; set both")
        return SalesforceCredentials("session", instance_url=env["UAT_SF_INSTANCE_URL"],
                                     access_token=Secret(env["UAT_SF_ACCESS_TOKEN"]))
    if env.get("UAT_SF_USERNAME"):
        missing = [n for n in ("UAT_SF_PASSWORD", "UAT_SF_SECURITY_TOKEN") if not env.get(n)]
        if missing:
            raise UserError(f"environment: {', '.join(missing)} not set; username login needs UAT_SF_USERNAME, "
                            "UAT_SF_PASSWORD and UAT_SF_SECURITY_TOKEN")
        return SalesforceCredentials("password", username=env["UAT_SF_USERNAME"], password=Secret(env["UAT_SF_PASSWORD"]),
                                     security_token=Secret(env["UAT_SF_SECURITY_TOKEN"]),
                                     domain=env.get("UAT_SF_DOMAIN", "test"))
    if env.get("UAT_SF_CLIENT_ID"):
        missing = [n for n in ("UAT_SF_CLIENT_SECRET", "UAT_SF_DOMAIN") if not env.get(n)]
        if missing:
            raise UserError(f"environment: {', '.join(missing)} not set; client-credentials login needs UAT_SF_CLIENT_ID, "
                            "UAT_SF_CLIENT_SECRET and UAT_SF_DOMAIN (your sandbox My Domain, e.g. acme--uat.sandbox.my)")
        return SalesforceCredentials("client_credentials", client_id=env["UAT_SF_CLIENT_ID"],
                                     client_secret=Secret(env["UAT_SF_CLIENT_SECRET"]), domain=env["UAT_SF_DOMAIN"])
    raise UserError("environment: no Salesforce credentials; set UAT_SF_INSTANCE_URL + UAT_SF_ACCESS_TOKEN, or "
                    "UAT_SF_USERNAME + UAT_SF_PASSWORD + UAT_SF_SECURITY_TOKEN (see README, 'Real sandboxes')")


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials:
    env = os.environ if env is None else env
    salesforce = _salesforce(env)
    if not env.get("UAT_HUBSPOT_TOKEN"):
        raise UserError("environment: UAT_HUBSPOT_TOKEN not set; create a private app in the HubSpot sandbox portal and "
                        "export its access token (see README, 'Real sandboxes')")
    hubspot = HubSpotCredentials(Secret(env["UAT_HUBSPOT_TOKEN"]), env.get("UAT_HUBSPOT_HOST", "https://api.hubapi.com"))
    ca_bundle = env.get("UAT_CA_BUNDLE") or None
    if ca_bundle and not os.path.isfile(ca_bundle):
        raise UserError(f"environment: UAT_CA_BUNDLE={ca_bundle} is not a file; point it at a PEM bundle or unset it")
    control = None
    if env.get("UAT_TWIN_CONTROL_URL") and env.get("UAT_TWIN_CONTROL_TOKEN"):
        control = TwinControlCredentials(env["UAT_TWIN_CONTROL_URL"], Secret(env["UAT_TWIN_CONTROL_TOKEN"]))
    return Credentials(salesforce, hubspot, ca_bundle, control)


def has_credentials(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("UAT_HUBSPOT_TOKEN")) and any(
        env.get(k) for k in ("UAT_SF_ACCESS_TOKEN", "UAT_SF_USERNAME", "UAT_SF_CLIENT_ID"))
