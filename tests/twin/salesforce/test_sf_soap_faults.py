"""SOAP requests the twin reads in full: merge in the shapes real clients send, and a fault (never an empty
success) for any operation or element it does not model."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from .conftest import client
from .soap_client import post, results

FAULT_NS = "{urn:fault.partner.soap.sforce.com}"


def fault(root: ET.Element) -> tuple[str, str]:
    return root.find(".//faultcode").text, root.find(".//faultstring").text


def jsforce_envelope(body: str, session_id: str) -> str:
    """What jsforce 3 posts: partner elements in the default namespace, the sObject type as a `type` child."""
    return ('<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            'envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
            f'instance"><soapenv:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>{session_id}'
            f'</sessionId></SessionHeader></soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>')


def test_jsforce_merge_requests_shape_merges(twin):
    sf = client(twin)
    master = sf.Contact.create({"LastName": "Keeper", "Email": "keep@example.com"})["id"]
    loser = sf.Contact.create({"LastName": "Goner", "Email": "gone@example.com"})["id"]
    body = ('<merge xmlns="urn:partner.soap.sforce.com"><mergeRequests><masterRecord><type>Contact</type>'
            f"<Id>{master}</Id><Title>Lead Keeper</Title></masterRecord><recordToMergeIds>{loser}"
            "</recordToMergeIds></mergeRequests></merge>")
    response = sf.session.post(f"{twin.salesforce_url}/services/Soap/u/59.0", data=jsforce_envelope(body, sf.session_id),
                               headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    assert response.status_code == 200
    [result] = results(ET.fromstring(response.content))
    assert (result["success"], result["id"], result["mergedRecordIds"]) == ("true", master, [loser])
    assert sf.Contact.get(master)["Title"] == "Lead Keeper"
    assert sf.query(f"SELECT COUNT() FROM Contact WHERE Id = '{loser}'")["totalSize"] == 0


def test_merge_without_requests_is_a_fault_not_an_empty_success(twin):
    sf = client(twin)
    status, root = post(sf, "<urn:merge/>", sf.session_id)
    assert status == 500
    code, message = fault(root)
    assert code == "sf:INVALID_OPERATION" and "merge" in message
    assert root.find(f".//{FAULT_NS}exceptionCode").text == "INVALID_OPERATION"


@pytest.mark.parametrize("child", ["mergeRequestz", "records"])
def test_an_element_merge_does_not_know_is_a_client_fault_naming_it(twin, child):
    sf = client(twin)
    master = sf.Account.create({"Name": "Master"})["id"]
    loser = sf.Account.create({"Name": "Loser"})["id"]
    status, root = post(sf, f'<urn:merge><urn:{child}><urn:masterRecord xsi:type="urn1:Account"><urn1:Id>{master}'
                            f"</urn1:Id></urn:masterRecord><urn:recordToMergeIds>{loser}</urn:recordToMergeIds>"
                            f"</urn:{child}></urn:merge>", sf.session_id)
    assert status == 500
    code, message = fault(root)
    assert code == "soapenv:Client" and message == f"Element {{urn:partner.soap.sforce.com}}{child} invalid at this location"
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 2  # nothing merged


def test_an_unknown_operation_is_a_client_fault_naming_it(twin):
    sf = client(twin)
    status, root = post(sf, "<urn:frobnicate><urn:x>1</urn:x></urn:frobnicate>", sf.session_id)
    assert status == 500
    assert fault(root) == ("soapenv:Client", "No operation available for request {urn:partner.soap.sforce.com}"
                                             "frobnicate, please check the WSDL for the service.")


def test_a_partner_operation_the_twin_does_not_model_is_a_fault_naming_it(twin):
    sf = client(twin)
    status, root = post(sf, "<urn:create><urn:sObjects><urn1:type>Lead</urn1:type></urn:sObjects></urn:create>",
                        sf.session_id)
    assert status == 500
    code, message = fault(root)
    assert code == "sf:INVALID_OPERATION" and "create call" in message
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_convert_lead_options_the_twin_does_not_model_are_refused_not_ignored(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Options", "Company": "O"})["id"]
    status, root = post(sf, f"<urn:convertLead><urn:leadConverts><urn:leadId>{lead_id}</urn:leadId>"
                            "<urn:convertedStatus>Closed - Converted</urn:convertedStatus>"
                            "<urn:opportunityRecord><urn1:type>Opportunity</urn1:type></urn:opportunityRecord>"
                            "</urn:leadConverts></urn:convertLead>", sf.session_id)
    assert status == 500
    code, message = fault(root)
    assert code == "sf:INVALID_OPERATION" and "leadConverts.opportunityRecord" in message
    assert sf.Lead.get(lead_id)["IsConverted"] is False
    status, root = post(sf, "<urn:convertLead/>", sf.session_id)
    assert status == 500 and fault(root)[0] == "sf:INVALID_OPERATION"


def test_documented_flags_left_false_do_not_stop_a_conversion(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Flags", "Company": "F"})["id"]
    status, root = post(sf, f"<urn:convertLead><urn:leadConverts><urn:leadId>{lead_id}</urn:leadId>"
                            "<urn:convertedStatus>Closed - Converted</urn:convertedStatus>"
                            "<urn:sendNotificationEmail>false</urn:sendNotificationEmail>"
                            "<urn:bypassAccountDedupeCheck>false</urn:bypassAccountDedupeCheck>"
                            "</urn:leadConverts></urn:convertLead>", sf.session_id)
    assert status == 200 and results(root)[0]["success"] == "true"
