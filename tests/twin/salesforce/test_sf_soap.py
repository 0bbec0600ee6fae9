"""The SOAP partner API through sf.session: login, convertLead, merge; what conversion and merge leave behind."""

from __future__ import annotations

from datetime import date
from xml.dom import minidom

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from .conftest import client
from .soap_client import convert_lead, envelope, merge, post


def test_login_returns_an_unprefixed_session_and_server_url(twin):
    sf = client(twin)
    login = ("<urn:login><urn:username>hubspot.integration@acme-uat.example.com</urn:username>"
             "<urn:password>twin-integration-passTWINTOKENINT</urn:password></urn:login>")
    response = sf.session.post(f"{twin.salesforce_url}/services/Soap/u/59.0", data=envelope(login),
                               headers={"Content-Type": "text/xml", "charset": "UTF-8", "SOAPAction": "login"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/xml")
    dom = minidom.parseString(response.content)  # exactly how simple-salesforce's SalesforceLogin reads it
    session_id = dom.getElementsByTagName("sessionId")[0].firstChild.nodeValue
    server_url = dom.getElementsByTagName("serverUrl")[0].firstChild.nodeValue
    assert server_url.startswith(twin.salesforce_url + "/services/Soap/u/59.0/")
    assert dom.getElementsByTagName("sandbox")[0].firstChild.nodeValue == "true"
    as_integration = client(twin, session_id)
    me = as_integration.query("SELECT Id FROM User WHERE Alias = 'hsint'")["records"][0]["Id"]
    created = as_integration.Lead.create({"LastName": "ByIntegration", "Company": "I"})["id"]
    assert as_integration.Lead.get(created)["CreatedById"] == me


def test_bad_login_is_an_invalid_login_fault(twin):
    status, root = post(client(twin), "<urn:login><urn:username>hubspot.integration@acme-uat.example.com"
                                      "</urn:username><urn:password>wrong</urn:password></urn:login>")
    assert status == 500
    code = root.find(".//{urn:fault.partner.soap.sforce.com}exceptionCode").text
    assert code == "INVALID_LOGIN" and root.find(".//faultcode").text == "sf:INVALID_LOGIN"


def test_calls_without_a_valid_session_header_are_refused(twin):
    status, root = post(client(twin), "<urn:convertLead><urn:leadConverts><urn:leadId>00Q</urn:leadId>"
                                      "</urn:leadConverts></urn:convertLead>", "00D!bogus")
    assert status == 500 and root.find(".//faultcode").text == "sf:INVALID_SESSION_ID"


def test_convert_lead_creates_account_contact_opportunity_and_locks_the_lead(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"FirstName": "Ada", "LastName": "Lovelace", "Company": "Analytical Engines",
                              "Email": "ada@example.com", "LeadSource": "Web", "Lifecycle_Stage__c": "salesqualifiedlead",
                              "Country": "United Kingdom"})["id"]
    result = convert_lead(sf, lead_id)
    assert result["success"] == "true" and result["leadId"] == lead_id
    assert result["accountId"].startswith("001") and result["contactId"].startswith("003")
    assert result["opportunityId"].startswith("006")
    lead = sf.Lead.get(lead_id)
    assert lead["IsConverted"] is True and lead["Status"] == "Closed - Converted"
    assert lead["ConvertedDate"] == date.today().isoformat()
    assert (lead["ConvertedAccountId"], lead["ConvertedContactId"], lead["ConvertedOpportunityId"]) == (
        result["accountId"], result["contactId"], result["opportunityId"])
    contact = sf.Contact.get(result["contactId"])
    assert (contact["Email"], contact["AccountId"], contact["Lifecycle_Stage__c"], contact["MailingCountry"]) == (
        "ada@example.com", result["accountId"], "salesqualifiedlead", "United Kingdom")
    assert sf.Account.get(result["accountId"])["Name"] == "Analytical Engines"
    role = sf.query(f"SELECT ContactId, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = "
                    f"'{result['opportunityId']}'")["records"]
    assert role == [{"attributes": role[0]["attributes"], "ContactId": result["contactId"], "IsPrimary": True}]
    with pytest.raises(SalesforceMalformedRequest) as locked:
        sf.Lead.update(lead_id, {"Title": "Countess"})
    assert locked.value.content[0]["errorCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"
    assert locked.value.content[0]["message"] == "cannot reference converted lead"


def test_convert_into_existing_account_fills_only_empty_fields_and_can_skip_the_opportunity(twin):
    sf = client(twin)
    account = sf.Account.create({"Name": "Existing Ltd", "Industry": "Finance"})["id"]
    lead_id = sf.Lead.create({"LastName": "Hopper", "Company": "Other Name", "Industry": "Technology",
                              "Website": "https://hopper.example.com"})["id"]
    result = convert_lead(sf, lead_id, accountId=account, doNotCreateOpportunity=True)
    assert result["success"] == "true" and result["accountId"] == account and result["opportunityId"] is None
    merged = sf.Account.get(account)
    assert (merged["Name"], merged["Industry"], merged["Website"]) == ("Existing Ltd", "Finance",
                                                                        "https://hopper.example.com")


def test_convert_refuses_a_status_that_is_not_converted(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Nope", "Company": "N"})["id"]
    result = convert_lead(sf, lead_id, status="Working - Contacted")
    assert result["success"] == "false" and result["errors"][0]["statusCode"] == "INVALID_STATUS"
    assert sf.Lead.get(lead_id)["IsConverted"] is False
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0  # nothing half-done


def test_merge_deletes_losers_with_master_record_id_and_reparents_children(twin):
    sf = client(twin)
    master = sf.Contact.create({"LastName": "Master", "Email": "m@example.com"})["id"]
    loser = sf.Contact.create({"LastName": "Loser", "Email": "l@example.com"})["id"]
    task = sf.Task.create({"Subject": "Call", "WhoId": loser})["id"]
    result = merge(sf, "Contact", master, [loser], Title="Chief")
    assert result["success"] == "true" and result["id"] == master
    assert result["mergedRecordIds"] == [loser] and result["updatedRelatedIds"] == [task]
    assert sf.Task.get(task)["WhoId"] == master and sf.Contact.get(master)["Title"] == "Chief"
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 1
    gone = sf.query_all(f"SELECT Id, IsDeleted, MasterRecordId FROM Contact WHERE Id = '{loser}'",
                        include_deleted=True)["records"]
    assert (gone[0]["IsDeleted"], gone[0]["MasterRecordId"]) == (True, master)
    again = merge(sf, "Contact", master, [loser])
    assert again["success"] == "false" and again["errors"][0]["statusCode"] == "ENTITY_IS_DELETED"


def test_merge_takes_at_most_two_records_besides_the_master(twin):
    sf = client(twin)
    ids = [sf.Account.create({"Name": f"A{i}"})["id"] for i in range(4)]
    result = merge(sf, "Account", ids[0], ids[1:])
    assert result["success"] == "false" and result["errors"][0]["statusCode"] == "INVALID_OPERATION"
