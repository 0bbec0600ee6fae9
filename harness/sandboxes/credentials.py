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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from harness.errors import UserError
from harness.run.redaction import remember_secrets


class Secret:
    """A credential that cannot leak by accident into a log line, an f-string or a report."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        remember_secrets([value])  # whatever prints or writes from now on masks it (harness/run/redaction.py)

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


HEADER_SAFE = re.compile(r"[\x21-\x7e]+")  # visible ASCII: what an Authorization header can carry unquoted
NO_CONTROL = re.compile(r"[^\x00-\x1f\x7f]+")  # a password or secret may hold spaces, never a control character
DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")
SECRET_NAMES = ("UAT_SF_ACCESS_TOKEN", "UAT_SF_PASSWORD", "UAT_SF_SECURITY_TOKEN", "UAT_SF_CLIENT_SECRET",
                "UAT_HUBSPOT_TOKEN", "UAT_TWIN_CONTROL_TOKEN")
HEADER_NAMES = ("UAT_SF_ACCESS_TOKEN", "UAT_HUBSPOT_TOKEN", "UAT_TWIN_CONTROL_TOKEN", "UAT_SF_CLIENT_ID")
URL_NAMES = ("UAT_SF_INSTANCE_URL", "UAT_HUBSPOT_HOST", "UAT_TWIN_CONTROL_URL")
PACING_NAMES = ("UAT_HUBSPOT_CALLS_PER_10S", "UAT_HUBSPOT_SEARCHES_PER_S")  # harness/sandboxes/pacing.py


def _problem(name: str, value: str) -> str | None:
    """What is wrong with one variable's (stripped) value, in words that never repeat the value."""
    if name in HEADER_NAMES and not HEADER_SAFE.fullmatch(value):
        return ("holds a space, a line break, a non-ASCII or control character inside the value, which cannot be sent "
                "in an HTTP header; copy the value again")
    if not NO_CONTROL.fullmatch(value):
        return "holds a line break or control character inside the value; copy the value again"
    if name in URL_NAMES:
        return _url_problem(value)
    if name in PACING_NAMES and not (value.isdigit() and int(value) > 0):
        return f"is {value!r}; give a whole number of calls above 0"
    if name == "UAT_SF_DOMAIN" and not DOMAIN.fullmatch(value):
        return "is not a login domain; use test, login or your My Domain host without https:// (e.g. acme--uat.sandbox.my)"
    return None


def _url_problem(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "is not a URL; give https://HOST[:PORT]"
    if parts.scheme == "http":
        return "uses http://; the platforms serve only HTTPS, give the https:// URL"
    if parts.scheme != "https":
        return "must start with https:// (e.g. https://acme--uat.sandbox.my.salesforce.com)"
    if not parts.hostname or " " in value:
        return "is not a URL; give https://HOST[:PORT]"
    if parts.username or parts.password:
        return "carries a user name or password in the URL; remove it (credentials have their own variables)"
    if port == 0:
        return "has port 0; give the port the platform listens on"
    return None


def checked_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The UAT_* variables, stripped of surrounding whitespace (a token pasted from a file ends in a newline) and
    checked before any of them is used; a bad one is refused naming the variable, never its value. Empty values
    count as unset."""
    out: dict[str, str] = {}
    for name, raw in env.items():
        if not name.startswith("UAT_"):
            continue
        value = raw.strip()
        if not value:
            continue
        problem = _problem(name, value)
        if problem:
            raise UserError(f"environment: {name} {problem}")
        out[name] = value
    remember_secrets(out[name] for name in SECRET_NAMES if name in out)
    return out


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


def check_pacing(env: Mapping[str, str] | None = None) -> None:
    """The pacing variables, which every run reads (the twin's too): checked in the preflight."""
    env = os.environ if env is None else env
    checked_environment({name: env[name] for name in PACING_NAMES if name in env})


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials:
    env = checked_environment(os.environ if env is None else env)
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
    present = {name for name, value in env.items() if name.startswith("UAT_") and value.strip()}
    return "UAT_HUBSPOT_TOKEN" in present and bool(
        present & {"UAT_SF_ACCESS_TOKEN", "UAT_SF_USERNAME", "UAT_SF_CLIENT_ID"})
