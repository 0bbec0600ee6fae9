"""State and Country/Territory Picklists as the platform runs them: text integration values kept in step with
restricted ISO-code picklists, StateCode dependent on CountryCode, anything else refused."""

from __future__ import annotations

import base64

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from harness.twin.salesforce.schema import SchemaError, load_org_schema

from .conftest import client

COUNTRY_MESSAGE = ("There's a problem with this country, even though it may appear correct. Please select a "
                   "country/territory from the list of valid countries.: Billing Country")


def refused(call) -> dict:
    with pytest.raises(SalesforceMalformedRequest) as error:
        call()
    return error.value.content[0]


def test_describe_shows_text_fields_beside_restricted_code_picklists(twin):
    fields = {f["name"]: f for f in client(twin).Account.describe()["fields"]}
    assert fields["BillingCountry"]["type"] == "string" and fields["BillingState"]["type"] == "string"
    code, state = fields["BillingCountryCode"], fields["BillingStateCode"]
    assert (code["type"], code["restrictedPicklist"], code["compoundFieldName"]) == ("picklist", True, "BillingAddress")
    us = next(v for v in code["picklistValues"] if v["value"] == "US")
    assert us["label"] == "United States"
    assert (state["controllerName"], state["dependentPicklist"]) == ("BillingCountryCode", True)
    countries = [v["value"] for v in code["picklistValues"]]
    ontario = next(v for v in state["picklistValues"] if v["value"] == "ON")
    raw = base64.b64decode(ontario["validFor"])
    assert [c for i, c in enumerate(countries) if raw[i >> 3] & (0x80 >> (i & 7))] == ["CA"]


def test_a_country_name_sets_the_code_and_a_code_sets_the_name(twin):
    sf = client(twin)
    by_name = sf.Account.create({"Name": "Named", "BillingCountry": "canada", "BillingState": "Ontario"})["id"]
    by_code = sf.Account.create({"Name": "Coded", "BillingCountryCode": "AU", "BillingStateCode": "NSW"})["id"]
    fields = "BillingCountry,BillingCountryCode,BillingState,BillingStateCode"
    named, coded = sf.Account.get(by_name), sf.Account.get(by_code)
    assert [named[f] for f in fields.split(",")] == ["Canada", "CA", "Ontario", "ON"]
    assert [coded[f] for f in fields.split(",")] == ["Australia", "AU", "New South Wales", "NSW"]
    lead = sf.Lead.create({"LastName": "Addr", "Company": "A", "Country": "Japan"})["id"]
    assert sf.Lead.get(lead)["CountryCode"] == "JP"
    assert sf.query("SELECT Id FROM Account WHERE BillingCountryCode = 'CA'")["records"][0]["Id"] == by_name


def test_a_country_outside_the_list_is_a_field_integrity_exception(twin):
    sf = client(twin)
    error = refused(lambda: sf.Account.create({"Name": "Variant", "BillingCountry": "USA"}))
    assert error == {"message": COUNTRY_MESSAGE, "errorCode": "FIELD_INTEGRITY_EXCEPTION", "fields": ["BillingCountry"]}
    error = refused(lambda: sf.Account.create({"Name": "Bad code", "BillingCountryCode": "LK"}))
    assert error["errorCode"] == "FIELD_INTEGRITY_EXCEPTION" and error["fields"] == ["BillingCountryCode"]
    assert "LK, which isn't an available country/territory" in error["message"]
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0


def test_a_state_needs_a_country_and_must_belong_to_it(twin):
    sf = client(twin)
    error = refused(lambda: sf.Contact.create({"LastName": "Stateless", "MailingState": "Texas"}))
    assert error["errorCode"] == "FIELD_INTEGRITY_EXCEPTION" and error["fields"] == ["MailingState"]
    assert error["message"].startswith("A country/territory must be specified before specifying a state value")
    error = refused(lambda: sf.Contact.create({"LastName": "Wrong", "MailingCountry": "Canada",
                                               "MailingState": "Texas"}))
    assert error["fields"] == ["MailingState"] and "problem with this state" in error["message"]
    error = refused(lambda: sf.Contact.create({"LastName": "Wrong", "MailingCountryCode": "US",
                                               "MailingStateCode": "ON"}))
    assert error["fields"] == ["MailingStateCode"]
    free = sf.Contact.create({"LastName": "Free", "MailingCountry": "Germany", "MailingState": "Bavaria"})["id"]
    assert (sf.Contact.get(free)["MailingState"], sf.Contact.get(free)["MailingStateCode"]) == ("Bavaria", None)


def test_updates_keep_text_and_code_in_step(twin):
    sf = client(twin)
    contact = sf.Contact.create({"LastName": "Mover", "MailingCountry": "United States", "MailingState": "Texas"})["id"]
    sf.Contact.update(contact, {"MailingCountryCode": "CA"})  # the state does not belong to Canada: it goes
    moved = sf.Contact.get(contact)
    assert (moved["MailingCountry"], moved["MailingState"], moved["MailingStateCode"]) == ("Canada", None, None)
    error = refused(lambda: sf.Contact.update(contact, {"MailingCountry": "France", "MailingCountryCode": "DE"}))
    assert error["errorCode"] == "FIELD_INTEGRITY_EXCEPTION"
    sf.Contact.update(contact, {"MailingCountry": None})
    cleared = sf.Contact.get(contact)
    assert (cleared["MailingCountry"], cleared["MailingCountryCode"]) == (None, None)


def test_a_mismatched_pair_on_create_follows_the_code(twin):
    sf = client(twin)
    account = sf.Account.create({"Name": "Pair", "BillingCountry": "France", "BillingCountryCode": "DE"})["id"]
    assert sf.Account.get(account)["BillingCountry"] == "Germany"


def test_lead_conversion_carries_the_country_to_account_and_contact(twin):
    from .soap_client import convert_lead

    sf = client(twin)
    lead = sf.Lead.create({"LastName": "Conv", "Company": "Conv Co", "CountryCode": "SG"})["id"]
    result = convert_lead(sf, lead)
    assert sf.Account.get(result["accountId"])["BillingCountryCode"] == "SG"
    assert sf.Contact.get(result["contactId"])["MailingCountry"] == "Singapore"
    texan = sf.Lead.create({"LastName": "Tex", "Company": "Tex Co", "Country": "United States", "State": "Texas"})["id"]
    result = convert_lead(sf, texan)
    account, contact = sf.Account.get(result["accountId"]), sf.Contact.get(result["contactId"])
    assert (account["BillingState"], account["BillingStateCode"]) == ("Texas", "TX")
    assert (contact["MailingCountryCode"], contact["MailingStateCode"]) == ("US", "TX")


def test_a_fixture_declaring_an_address_field_twice_is_refused(make_org):
    org = make_org({"objects": {"Lead": {"fields": {"Country": {"type": "string"}}}}})
    with pytest.raises(SchemaError, match=r"objects\.Lead\.fields\.Country: address_picklists defines this field"):
        load_org_schema(org / "salesforce.yaml")


def test_a_malformed_address_block_names_the_file_and_the_entry(make_org):
    org = make_org({"address_picklists": {"countries": [{"code": "US"}]}})
    with pytest.raises(SchemaError, match=r"salesforce\.yaml: address_picklists\.countries\[0\]: expected \{code, name"):
        load_org_schema(org / "salesforce.yaml")
