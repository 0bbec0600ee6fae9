"""Deals ⇄ Opportunities (pipeline, stage mapping, deletes, associations) and the lifecycle transitions they
drive: contact role on an open opportunity -> opportunity; Closed Won -> customer; never backwards."""

from __future__ import annotations

from tests.twin.connector.conftest import Both


def opportunity_with_buyer(both: Both, stage: str = "Qualification", email: str = "buyer@example.com"):
    account = both.sf.Account.create({"Name": "Dealco"})["id"]
    contact = both.sf.Contact.create({"LastName": "Buyer", "Email": email, "AccountId": account})["id"]
    opportunity = both.sf.Opportunity.create({"Name": "Big deal", "AccountId": account, "StageName": stage,
                                              "CloseDate": "2026-12-31", "Amount": 5000})["id"]
    both.sf.OpportunityContactRole.create({"OpportunityId": opportunity, "ContactId": contact, "IsPrimary": True})
    return account, contact, opportunity


def deal_of(both: Both, opportunity_id: str):
    page = both.hs.crm.deals.basic_api.get_page(
        properties=["dealname", "amount", "dealstage", "pipeline", "closedate", "hs_salesforceopportunityid"])
    found = [d for d in page.results if d.properties.get("hs_salesforceopportunityid") == opportunity_id]
    assert len(found) == 1, f"{len(found)} deals for {opportunity_id}"
    return found[0]


def test_an_opportunity_becomes_a_deal_in_the_synced_pipeline_at_the_mapped_stage(both: Both):
    _, _, opportunity = opportunity_with_buyer(both, stage="Needs Analysis")
    both.sync()
    deal = deal_of(both, opportunity)
    assert (deal.properties["dealname"], deal.properties["amount"], deal.properties["pipeline"],
            deal.properties["dealstage"]) == ("Big deal", "5000", "default", "qualifiedtobuy")
    assert deal.properties["closedate"].startswith("2026-12-31")


def test_the_deal_is_associated_with_the_account_company_and_the_contact_roles(both: Both):
    account, _, opportunity = opportunity_with_buyer(both)
    both.sync()
    deal = deal_of(both, opportunity)
    contact = both.hs.crm.contacts.basic_api.get_by_id("buyer@example.com", id_property="email")
    companies = both.hs.crm.associations.v4.basic_api.get_page("deals", deal.id, "companies").results
    contacts = both.hs.crm.associations.v4.basic_api.get_page("deals", deal.id, "contacts").results
    assert [str(c.to_object_id) for c in contacts] == [contact.id]
    company = both.hs.crm.companies.basic_api.get_by_id(str(companies[0].to_object_id),
                                                        properties=["salesforceaccountid"])
    assert company.properties["salesforceaccountid"] == account


def test_stage_changes_follow_salesforce_and_hubspot_edits_do_not_win(both: Both):
    _, _, opportunity = opportunity_with_buyer(both)
    both.sync()
    deal_id = deal_of(both, opportunity).id
    both.sf.Opportunity.update(opportunity, {"StageName": "Negotiation/Review", "Amount": 7500})
    both.sync()
    assert (deal_of(both, opportunity).properties["dealstage"], deal_of(both, opportunity).properties["amount"]) == (
        "contractsent", "7500")
    both.hs.crm.deals.basic_api.update(deal_id, {"properties": {"dealstage": "closedwon"}})
    both.sync()
    # healthy maps the stage "Always use Salesforce": the opportunity is untouched and HubSpot is put back.
    assert both.sf.Opportunity.get(opportunity)["StageName"] == "Negotiation/Review"
    assert deal_of(both, opportunity).properties["dealstage"] == "contractsent"


def test_an_unmapped_stage_is_a_picklist_error(org, start):
    def drop_a_stage(data):
        del data["objects"]["deals"]["pipelines"][0]["stages"]["Value Proposition"]

    both = start(org(connector=drop_a_stage))
    _, _, opportunity = opportunity_with_buyer(both, stage="Value Proposition")
    both.sync()
    [error] = both.errors("picklists")
    assert error["code"] == "UNMAPPED_DEAL_STAGE" and "Value Proposition" in error["message"]
    assert deal_of(both, opportunity).properties.get("dealstage") is None


def test_deleting_the_opportunity_deletes_the_deal_but_not_the_other_way(both: Both):
    _, _, first = opportunity_with_buyer(both)
    account = both.sf.Account.create({"Name": "Other"})["id"]
    second = both.sf.Opportunity.create({"Name": "Second", "AccountId": account, "StageName": "Prospecting",
                                         "CloseDate": "2026-10-01"})["id"]
    both.sync()
    first_deal, second_deal = deal_of(both, first).id, deal_of(both, second).id
    both.sf.Opportunity.delete(first)
    both.hs.crm.deals.basic_api.archive(second_deal)
    both.sync()
    assert both.hs.crm.deals.basic_api.get_by_id(first_deal, archived=True).archived is True
    assert both.sf.Opportunity.get(second)["IsDeleted"] is False


def test_a_deal_moved_to_an_unsynced_pipeline_stops_syncing(org, start):
    def second_pipeline(data):
        data["pipelines"]["deals"].append({"id": "partner", "label": "Partner Pipeline",
                                           "stages": [{"id": "partnerintro", "label": "Intro"}]})

    both = start(org(hubspot=second_pipeline))
    _, _, opportunity = opportunity_with_buyer(both)
    both.sync()
    deal_id = deal_of(both, opportunity).id
    both.hs.crm.deals.basic_api.update(deal_id, {"properties": {"pipeline": "partner", "dealstage": "partnerintro"}})
    both.sync()
    both.sf.Opportunity.update(opportunity, {"Amount": 9999})
    both.sync()
    assert deal_of(both, opportunity).properties["amount"] == "5000"


def test_a_contact_role_on_an_open_opportunity_makes_the_contact_an_opportunity(both: Both):
    _, contact, _ = opportunity_with_buyer(both)
    both.sync(cycles=2)
    hs_contact = both.hs.crm.contacts.basic_api.get_by_id("buyer@example.com", id_property="email",
                                                          properties=["lifecyclestage"])
    assert hs_contact.properties["lifecyclestage"] == "opportunity"
    assert both.sf.Contact.get(contact)["Lifecycle_Stage__c"] == "opportunity"  # and it syncs back


def test_winning_the_opportunity_makes_its_contacts_and_company_customers(both: Both):
    account, _, opportunity = opportunity_with_buyer(both)
    colleague = both.sf.Contact.create({"LastName": "Colleague", "Email": "colleague@example.com",
                                        "AccountId": account})["id"]
    both.sync()
    both.sf.Opportunity.update(opportunity, {"StageName": "Closed Won"})
    both.sync()
    for email in ("buyer@example.com", "colleague@example.com"):
        stage = both.hs.crm.contacts.basic_api.get_by_id(email, id_property="email", properties=["lifecyclestage"])
        assert stage.properties["lifecyclestage"] == "customer", email
    both.sync()
    assert both.sf.Contact.get(colleague)["Lifecycle_Stage__c"] == "customer"


def test_a_lost_opportunity_or_an_earlier_stage_never_moves_a_stage_back(both: Both):
    contact_id = both.sf.Contact.create({"LastName": "Evangelist", "Email": "fan@example.com",
                                         "Lifecycle_Stage__c": "evangelist"})["id"]
    account = both.sf.Account.create({"Name": "Fans"})["id"]
    both.sf.Contact.update(contact_id, {"AccountId": account})
    opportunity = both.sf.Opportunity.create({"Name": "Upsell", "AccountId": account, "StageName": "Prospecting",
                                              "CloseDate": "2026-11-30"})["id"]
    both.sf.OpportunityContactRole.create({"OpportunityId": opportunity, "ContactId": contact_id})
    both.sync(cycles=2)
    fan = both.hs.crm.contacts.basic_api.get_by_id("fan@example.com", id_property="email", properties=["lifecyclestage"])
    assert fan.properties["lifecyclestage"] == "evangelist"
    both.sf.Contact.update(contact_id, {"Lifecycle_Stage__c": "lead"})  # Salesforce tries to move it back
    both.sync()
    fan = both.hs.crm.contacts.basic_api.get_by_id("fan@example.com", id_property="email", properties=["lifecyclestage"])
    assert fan.properties["lifecyclestage"] == "evangelist"


def test_automatic_transitions_can_be_switched_off(org, start):
    def off(data):
        data["lifecycle"]["automatic_transitions"] = False

    both = start(org(connector=off))
    opportunity_with_buyer(both)
    both.sync(cycles=2)
    stage = both.hs.crm.contacts.basic_api.get_by_id("buyer@example.com", id_property="email",
                                                     properties=["lifecyclestage"])
    assert stage.properties.get("lifecyclestage") != "opportunity"
