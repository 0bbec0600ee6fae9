"""The one way the harness builds an HTTP session for a platform.

`trust_env=False` whenever a CA bundle is given: requests lets REQUESTS_CA_BUNDLE from the environment override
`session.verify`, and these machines set one, which would make the twin's throwaway CA untrusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from harness.errors import UserError


def platform_session(ca_bundle: str | None) -> requests.Session:
    session = requests.Session()
    if ca_bundle:
        session.verify = ca_bundle
        session.trust_env = False
    return session


@contextmanager
def reaching(platform: str, where: str, setting: str) -> Iterator[None]:
    """A platform that cannot be reached, or whose certificate is not trusted, is the user's setting to fix."""
    try:
        yield
    except requests.exceptions.SSLError:
        raise UserError(f"environment: the TLS certificate of {platform} at {where} is not trusted; set UAT_CA_BUNDLE "
                        "to the PEM bundle that signs it") from None
    except requests.ConnectionError:
        raise UserError(f"environment: cannot reach {platform} at {where}; check {setting} and the network") from None
