"""Salesforce as the HubSpot integration user sees it: describe answered for that user shows which fields it can
see (a hidden field is absent) and write (createable / updateable), which is what the connector can do.

The harness logs in as the integration user only when the environment names its login, never otherwise:
`UAT_SF_INTEGRATION_USERNAME`, `UAT_SF_INTEGRATION_PASSWORD`, `UAT_SF_INTEGRATION_SECURITY_TOKEN` (a SOAP login,
SOAP API Developer Guide "login()", posted to the org's own instance URL, which answers logins as the login host
does). Without them field-level security is read from FieldPermissions where the API user may query it.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from simple_salesforce import Salesforce
from simple_salesforce.login import soap_login

from harness.sandboxes import Sandboxes
from harness.sandboxes.http import platform_session
from harness.sandboxes.readonly import guard_like
from harness.sandboxes.salesforce import API_VERSION, SalesforceSandbox

VARIABLES = ("UAT_SF_INTEGRATION_USERNAME", "UAT_SF_INTEGRATION_PASSWORD", "UAT_SF_INTEGRATION_SECURITY_TOKEN")

LOGIN = ('<?xml version="1.0" encoding="utf-8" ?><env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
         'xmlns:urn="urn:partner.soap.sforce.com"><env:Body><urn:login><urn:username>{username}</urn:username>'
         '<urn:password>{password}</urn:password></urn:login></env:Body></env:Envelope>')


def configured() -> bool:
    return all(os.environ.get(name) for name in VARIABLES)


def login(sandboxes: Sandboxes) -> SalesforceSandbox:
    """A Salesforce client logged in as the integration user, over the run's own TLS settings and API budget."""
    session = platform_session(sandboxes.credentials.ca_bundle)
    instance = sandboxes.salesforce.instance_url
    body = LOGIN.format(username=escape(os.environ[VARIABLES[0]]),
                        password=escape(os.environ[VARIABLES[1]] + os.environ[VARIABLES[2]]))
    session_id, host = soap_login(f"{instance}/services/Soap/u/{API_VERSION}", body,
                                  {"content-type": "text/xml", "charset": "UTF-8", "SOAPAction": "login"}, None, session)
    client = Salesforce(instance_url=f"https://{host}", session_id=session_id, session=session, version=API_VERSION,
                        object_pairs_hook=dict)
    guard_like(sandboxes.salesforce.session, session)  # under `uat monitor`, read-only as the API user's connection is
    return SalesforceSandbox(client, sandboxes.budget)
