"""The one way the harness builds an HTTP session for a platform.

`trust_env=False` whenever a CA bundle is given: requests lets REQUESTS_CA_BUNDLE from the environment override
`session.verify`, and these machines set one, which would make the twin's throwaway CA untrusted.
"""

from __future__ import annotations

import requests


def platform_session(ca_bundle: str | None) -> requests.Session:
    session = requests.Session()
    if ca_bundle:
        session.verify = ca_bundle
        session.trust_env = False
    return session
