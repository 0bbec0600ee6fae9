"""Single misconfigurations nobody planted: each copy of `healthy` differs by one change, and configuration
conformance names the changed row, value, owner or field among its differing clauses (and nothing else differs)."""

from __future__ import annotations

import pytest

from harness.conformance import Status

from .mutants import conformance_of, differing, mutant_org, mutant_profile

# The healthy org's HubSpot integration user (fixtures/orgs/healthy/salesforce.yaml): the login field-level security
# is read as, when the environment names it.
INTEGRATION_LOGIN = {"UAT_SF_INTEGRATION_USERNAME": "hubspot.integration@acme-uat.example.com",
                     "UAT_SF_INTEGRATION_PASSWORD": "twin-integration-pass",
                     "UAT_SF_INTEGRATION_SECURITY_TOKEN": "TWINTOKENINT"}

FLOW = """  flows:
    - api_name: Lead_Title_From_Rating
      label: Lead - job title from rating
      object: Lead
      trigger: before_save
      when: create_or_update
      condition: "ISPICKVAL(Rating, 'Hot')"
      set_fields: {Title: "'Hot prospect'"}
"""
VALIDATION = """  validation_rules:
    - {name: Rating_Required, object: Lead, condition: "ISBLANK(TEXT(Rating))", message: Rate every lead., field: Rating}
"""

MUTANTS = {
    "mapping to a Salesforce field that does not exist": (
        [("connector.yaml", "{hubspot: jobtitle, salesforce: Title, rule: Two-way}",
          "{hubspot: jobtitle, salesforce: Job_Title__c, rule: Two-way}")],
        [f"{kind}: contacts: jobtitle <-> {sobject}.{field}" for sobject in ("Lead", "Contact")
         for kind, field in (("field", "Job_Title__c"), ("mapping", "Title"), ("mapping", "Job_Title__c"))]),
    "sync rule that differs from the profile": (
        [("connector.yaml", "{hubspot: industry, salesforce: Industry, rule: Always use Salesforce}",
          "{hubspot: industry, salesforce: Industry, rule: Two-way}")],
        ["sync_rule: companies: industry <-> Account.Industry"]),
    "Salesforce picklist value HubSpot lacks": (
        [("salesforce.yaml", "Website: {type: url, length: 255}\n      Industry: {type: picklist, restricted: true, "
          "values: [Technology, Finance, Healthcare, Manufacturing, Retail, Education, Other]}",
          "Website: {type: url, length: 255}\n      Industry: {type: picklist, restricted: true, "
          "values: [Technology, Finance, Healthcare, Manufacturing, Retail, Education, Hospitality, Other]}")],
        ["picklist: companies.industry <-> Account.Industry: Salesforce value 'Hospitality'"]),
    "HubSpot option Salesforce lacks": (
        [("hubspot.yaml", "options: [Technology, Finance, Healthcare, Manufacturing, Retail, Education, Other]}",
          "options: [Technology, Finance, Healthcare, Manufacturing, Retail, Education, Hospitality, Other]}")],
        ["picklist: companies.industry <-> Account.Industry: HubSpot option 'Hospitality'"]),
    "HubSpot owner with another e-mail": (
        [("hubspot.yaml", "email: aiko.tanaka@example.com", "email: aiko.t@example.com")],
        ["owner: owner aiko.tanaka@example.com: HubSpot owner"]),
    "Salesforce territory owner with no HubSpot owner": (
        [("salesforce.yaml", "Email: aiko.tanaka@example.com", "Email: a.tanaka@example.com")],
        ["owner: owner aiko.tanaka@example.com: Salesforce user", "owner: owner a.tanaka@example.com: HubSpot owner",
         # the profile gives her the Asia Pacific territory: its member now has another e-mail
         "owner: owner aiko.tanaka@example.com: territory Asia Pacific"]),
    "delete policy flipped": (
        [("connector.yaml", "on_salesforce_delete: do_nothing\n", "on_salesforce_delete: delete_contact\n")],
        ["delete_policy: contacts: on a Salesforce delete"]),
    "required field no mapping fills": (
        [("salesforce.yaml", "Rating: {type: picklist, values: [Hot, Warm, Cold]}",
          "Rating: {type: picklist, values: [Hot, Warm, Cold], required: true}")],
        ["required: Lead.Rating (required on create)"]),
    "validation rule that refuses what HubSpot sends": (
        [("salesforce.yaml", "  validation_rules:\n", VALIDATION)],
        ["required: Lead validation rule Rating_Required"]),
    "deal stage landing on another HubSpot stage": (
        [("connector.yaml", "Closed Lost: closedlost", "Closed Lost: closedwon")],
        ["picklist: deal stage 'Closed Lost' -> Sales Pipeline / closedlost"]),
    "inclusion-list filter narrowed": (
        [("hubspot.yaml", "        - {property: lifecyclestage, operator: NEQ, value: subscriber}\n",
          "        - {property: lifecyclestage, operator: NEQ, value: subscriber}\n"
          "        - {property: country, operator: NOT_IN, values: [Canada]}\n")],
        ["inclusion_list: contacts inclusion list 'Salesforce sync - inclusion list': country is none of ['Canada']"]),
    "Salesforce flow writing a field HubSpot owns": (
        [("salesforce.yaml", "  flows:\n", FLOW)],
        ["automation: salesforce Flow 'Lead_Title_From_Rating' (active) sets Lead.Title to \"'Hot prospect'\""]),
    "Contact's job title shorter than the Lead's": (
        [("salesforce.yaml", "      Email: {type: email, length: 80}\n      Phone: {type: phone, length: 40}\n      Title: "
          "{type: string, length: 128}\n      AccountId:", "      Email: {type: email, length: 80}\n      Phone: {type: "
          "phone, length: 40}\n      Title: {type: string, length: 30}\n      AccountId:")],
        ["field: contacts: jobtitle <-> Contact.Title"]),
    "deal stage rule switched to Two-way": (
        [("connector.yaml", "stage_rule: Always use Salesforce", "stage_rule: Two-way")],
        ["connector_setting: deals.stage_rule (which side's deal stage wins)"]),
    "HubSpot creating companies for every contact": (
        [("connector.yaml", "hubspot_auto_create_companies: false", "hubspot_auto_create_companies: true")],
        ["connector_setting: companies.hubspot_auto_create_companies (whether HubSpot creates a company for every "
         "contact)"]),
    "write-once validation rule deactivated": (
        [("salesforce.yaml", "message: The SQL date is set once and cannot change., field: SQL_Date__c}\n    - {name: "
          "MQL_Date_Write_Once, object: Contact", "message: The SQL date is set once and cannot change., field: "
          "SQL_Date__c, active: false}\n    - {name: MQL_Date_Write_Once, object: Contact")],
        ["required_automation: validation rule Lead.SQL_Date_Write_Once"]),
    "stamping flow deleted": (
        [("salesforce.yaml", "    - api_name: Contact_Stamp_SQL_Date\n", "    - api_name: Contact_Stamp_SQL_Date_Old\n")],
        ["required_automation: flow Contact_Stamp_SQL_Date on Contact"]),
    "a blocking duplicate rule nobody listed": (
        [("salesforce.yaml", "  duplicate_rules:\n", "  duplicate_rules:\n    - {name: Contact_Name_Rule, object: Contact, "
          "match_rule: Contact_Name_Match, match_on: [FirstName, LastName], compare_with: [Contact], "
          "action_on_create: block, action_on_edit: allow}\n")],
        ["required_automation: duplicate rule Contact.Contact_Name_Rule"]),
    "duplicate rule that blocks creates": (
        [("salesforce.yaml", "action_on_create: allow", "action_on_create: block")],
        ["required_automation: duplicate rule Lead.Standard_Lead_Duplicate_Rule"]),
}


def test_healthy_conforms_everywhere(monkeypatch):
    for name, value in INTEGRATION_LOGIN.items():
        monkeypatch.setenv(name, value)
    report = conformance_of("healthy")
    assert differing(report) == {}
    counts = report.counts()
    assert all(counts[kind]["conforms"] > 0 and counts[kind]["not_evaluated"] == 0 for kind in counts), counts


@pytest.mark.parametrize("name", list(MUTANTS))
def test_a_single_change_is_named_by_a_differing_clause(tmp_path, name):
    edits, expected = MUTANTS[name]
    found = differing(conformance_of(mutant_org(tmp_path, *edits)))
    missing = [clause for clause in expected if clause not in found]
    assert not missing, (missing, found)
    assert sorted(found) == sorted(expected), "only the changed item differs"


HIDDEN_TITLE = ("salesforce.yaml", "\nautomation:\n",
                "\naccess:\n  integration:\n    fields:\n      Lead: {Title: none}\n\nautomation:\n")


def test_a_hidden_mapped_field_is_never_passed_silently(tmp_path, monkeypatch):
    """Without the integration user's login, the org's FieldPermissions of the user's permission sets still tell."""
    for name in INTEGRATION_LOGIN:
        monkeypatch.delenv(name, raising=False)
    report = conformance_of(mutant_org(tmp_path, HIDDEN_TITLE))
    assert all(c.status is not Status.NOT_EVALUATED for c in report.of("field_security"))
    found = differing(report)
    assert sorted(found) == ["field_security: contacts: jobtitle <-> Lead.Title"], found
    assert "cannot see it" in found["field_security: contacts: jobtitle <-> Lead.Title"]


def test_a_hidden_mapped_field_is_named_as_the_integration_user_sees_it(tmp_path, monkeypatch):
    for name, value in INTEGRATION_LOGIN.items():
        monkeypatch.setenv(name, value)
    found = differing(conformance_of(mutant_org(tmp_path, HIDDEN_TITLE)))
    assert sorted(found) == ["field_security: contacts: jobtitle <-> Lead.Title"], found
    assert "cannot see it" in found["field_security: contacts: jobtitle <-> Lead.Title"]


def test_a_read_only_field_hubspot_writes_is_named(tmp_path, monkeypatch):
    for name, value in INTEGRATION_LOGIN.items():
        monkeypatch.setenv(name, value)
    org = mutant_org(tmp_path, ("salesforce.yaml", "\nautomation:\n",
                                "\naccess:\n  integration:\n    fields:\n      Lead: {MQL_Date__c: read}\n\nautomation:\n"))
    found = differing(conformance_of(org))
    key = "field_security: contacts: hs_lifecyclestage_marketingqualifiedlead_date <-> Lead.MQL_Date__c"
    assert sorted(found) == [key], found
    assert "can edit it" in found[key] and "can read" in found[key]


def test_a_profile_row_to_a_field_that_does_not_exist_differs(tmp_path):
    profile = mutant_profile(tmp_path, ("mappings/contacts.csv", "Job Title,jobtitle,text,Lead;Contact,Title,Title,string,Two-way",
                                        "Job Title,jobtitle,text,Lead;Contact,Title,Title,string,Two-way\n"
                                        "Fax,fax,text,Lead,Fax,Fax__c,string,Two-way"))
    found = differing(conformance_of("healthy", profile))
    assert "field: contacts: fax <-> Lead.Fax__c" in found, found
    assert "mapping: contacts: fax <-> Lead.Fax__c" in found, found
    assert "Fax__c" in found["field: contacts: fax <-> Lead.Fax__c"]


def test_a_salesforce_user_who_owns_synced_records_needs_a_hubspot_owner(tmp_path):
    """Not a territory member, not in the profile's list: owning a synced Lead is enough to need a counterpart."""
    user = ("    - {_alias: owner_events, Username: priya.events@acme-uat.example.com, FirstName: Priya, LastName: Events, "
            "Email: priya.events@example.com, Alias: pevents, IsActive: true}\n")
    org = mutant_org(tmp_path, ("salesforce.yaml", "  LeadStatus:\n    - {ApiName: Open - Not Contacted",
                                user + "  LeadStatus:\n    - {ApiName: Open - Not Contacted"))

    def lead_owned_by_the_new_user(sandboxes):
        [owner] = sandboxes.salesforce.query_all("SELECT Id FROM User WHERE Email = 'priya.events@example.com'")
        sandboxes.salesforce.create("Lead", {"LastName": "Owned", "Company": "Events Ltd", "OwnerId": owner["Id"],
                                             "Email": "owned.lead@example.com"})

    found = differing(conformance_of(org, before=lead_owned_by_the_new_user))
    assert list(found) == ["owner: owner priya.events@example.com: HubSpot owner"], found
    assert "owns 1 synced record(s)" in found["owner: owner priya.events@example.com: HubSpot owner"]


def test_the_profiles_value_mapping_applies_both_ways(tmp_path):
    """HubSpot stores North America as 'Americas': a one-sided value until the profile maps it, then it conforms."""
    org = mutant_org(tmp_path, ("hubspot.yaml", "options: [NA, EMEA, APAC]", "options: [Americas, EMEA, APAC]"))
    found = differing(conformance_of(org))
    assert sorted(found) == ["picklist: companies.region <-> Account.Region__c: HubSpot option 'Americas'",
                             "picklist: companies.region <-> Account.Region__c: Salesforce value 'NA'"], found
    profile = mutant_profile(tmp_path / "p", ("default.yaml", "    values: [NA, EMEA, APAC]\n",
                                              "    values: [NA, EMEA, APAC]\n    hubspot_values: {NA: Americas}\n"))
    assert differing(conformance_of(org, profile)) == {}


def test_records_of_the_harness_and_of_the_integration_user_need_no_hubspot_owner():
    """Excluded as documented: the run's own records (the API user) and those HubSpot created (the integration user)."""

    def records_owned_by_both(sandboxes):
        sandboxes.salesforce.create("Lead", {"LastName": "Run's own", "Company": "UAT Ltd", "Email": "own@example.com"})
        [integration] = sandboxes.salesforce.query_all(
            "SELECT Id FROM User WHERE Username = 'hubspot.integration@acme-uat.example.com'")
        sandboxes.salesforce.create("Lead", {"LastName": "From HubSpot", "Company": "HS Ltd", "Email": "hs@example.com",
                                             "OwnerId": integration["Id"]})

    report = conformance_of("healthy", before=records_owned_by_both)
    assert differing(report) == {}
    assert all("uat.runner@" not in c.item and "hubspot.integration@" not in c.item for c in report.of("owner"))
