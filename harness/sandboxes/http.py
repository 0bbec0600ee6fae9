"""The one way the harness builds an HTTP session for a platform.

`trust_env=False` whenever a CA bundle is given: requests lets REQUESTS_CA_BUNDLE from the environment override
`session.verify`, and these machines set one, which would make the twin's throwaway CA untrusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from harness.errors import UserError

# (connect, read) seconds. requests waits forever by default, and simple-salesforce passes no timeout: a host that
# accepts the connection and never answers would hang a run. Connect covers the TLS handshake; a read allows for
# Salesforce's slow queries and HubSpot's batch calls.
TIMEOUT = (10.0, 120.0)


class PlatformSession(requests.Session):
    """A requests session whose calls time out unless the caller chose a timeout."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT
        return super().request(method, url, *args, **kwargs)


def platform_session(ca_bundle: str | None) -> requests.Session:
    session = PlatformSession()
    if ca_bundle:
        session.verify = ca_bundle
        session.trust_env = False
    return session


@contextmanager
def reaching(platform: str, where: str, setting: str) -> Iterator[None]:
    """A platform that cannot be reached, or whose certificate is not trusted, is the user's setting to fix."""
    try:
        yield
    except requests.exceptions.InvalidHeader:
        # requests' message quotes the header, credential and all: name the variables, never the value
        raise UserError(f"environment: a credential for {platform} cannot be sent in an HTTP header; copy "
                        "UAT_SF_ACCESS_TOKEN / UAT_HUBSPOT_TOKEN again (no spaces or line breaks)") from None
    except requests.exceptions.SSLError:
        raise UserError(f"environment: the TLS certificate of {platform} at {where} is not trusted; set UAT_CA_BUNDLE "
                        "to the PEM bundle that signs it") from None
    except requests.Timeout:
        raise UserError(f"environment: {platform} at {where} did not answer in time; check {setting} and the "
                        "network") from None
    except requests.ConnectionError:
        raise UserError(f"environment: cannot reach {platform} at {where}; check {setting} and the network") from None
