"""The four sync rules, deletes and blanks included, exactly as HubSpot's mapping article tabulates them.

Each test maps Job Title (jobtitle ⇄ Title) with one rule and drives both sides through the real clients.
"""

from __future__ import annotations

import pytest

from tests.twin.connector.conftest import Both, set_rule


@pytest.fixture
def rule_org(org, start):
    def make(rule: str) -> Both:
        return start(org(connector=set_rule("jobtitle", rule)))
    return make


def linked(both: Both, title: str | None = "Engineer") -> tuple[str, str]:
    props = {"email": "rules@example.com", "lastname": "Rules"}
    if title is not None:
        props["jobtitle"] = title
    contact_id = both.new_contact(**props)
    both.sync()
    return contact_id, both.lead_of(contact_id)


def sf_title(both: Both, lead_id: str) -> str | None:
    return both.sf.Lead.get(lead_id)["Title"]


def hs_title(both: Both, contact_id: str) -> str | None:
    return both.contact(contact_id, "jobtitle")["jobtitle"]


# -- Two-way --------------------------------------------------------------------------------------------
def test_two_way_carries_changes_both_ways(rule_org):
    both = rule_org("Two-way")
    contact_id, lead_id = linked(both)
    assert sf_title(both, lead_id) == "Engineer"
    both.update_contact(contact_id, jobtitle="Architect")
    both.sync()
    assert sf_title(both, lead_id) == "Architect"
    both.sf.Lead.update(lead_id, {"Title": "Director"})
    both.sync()
    assert hs_title(both, contact_id) == "Director"


def test_two_way_deletes_cross_both_ways(rule_org):
    both = rule_org("Two-way")
    contact_id, lead_id = linked(both)
    both.update_contact(contact_id, jobtitle=None)
    both.sync()
    assert sf_title(both, lead_id) is None
    both.sf.Lead.update(lead_id, {"Title": "Back"})
    both.sync()
    assert hs_title(both, contact_id) == "Back"
    both.sf.Lead.update(lead_id, {"Title": None})
    both.sync()
    assert hs_title(both, contact_id) is None


@pytest.mark.parametrize("last", ["hubspot", "salesforce"])
def test_two_way_conflict_goes_to_the_most_recent_change(rule_org, last):
    both = rule_org("Two-way")
    contact_id, lead_id = linked(both)
    if last == "hubspot":
        both.sf.Lead.update(lead_id, {"Title": "From Salesforce"})
        both.update_contact(contact_id, jobtitle="From HubSpot")
    else:
        both.update_contact(contact_id, jobtitle="From HubSpot")
        both.sf.Lead.update(lead_id, {"Title": "From Salesforce"})
    both.sync()
    winner = "From HubSpot" if last == "hubspot" else "From Salesforce"
    assert (hs_title(both, contact_id), sf_title(both, lead_id)) == (winner, winner)


def test_the_conflict_rule_can_prefer_salesforce(org, start):
    def prefer_sf(data):
        data["conflict_rule"] = "prefer_salesforce"

    both = start(org(connector=prefer_sf))
    contact_id, lead_id = linked(both)
    both.sf.Lead.update(lead_id, {"Title": "From Salesforce"})
    both.update_contact(contact_id, jobtitle="From HubSpot")  # more recent, but the rule prefers Salesforce
    both.sync()
    assert (hs_title(both, contact_id), sf_title(both, lead_id)) == ("From Salesforce", "From Salesforce")


# -- Prefer Salesforce unless blank ----------------------------------------------------------------------
def test_prefer_salesforce_overwrites_hubspot_whenever_salesforce_has_a_value(rule_org):
    both = rule_org("Prefer Salesforce unless blank")
    contact_id, lead_id = linked(both)
    assert sf_title(both, lead_id) == "Engineer"  # Salesforce was blank at creation: HubSpot filled it
    both.update_contact(contact_id, jobtitle="HubSpot edit")
    both.sync()
    assert sf_title(both, lead_id) == "Engineer"
    assert hs_title(both, contact_id) == "Engineer"  # Salesforce's value always overwrites HubSpot's
    both.sf.Lead.update(lead_id, {"Title": "Salesforce edit"})
    both.sync()
    assert hs_title(both, contact_id) == "Salesforce edit"


def test_prefer_salesforce_lets_hubspot_fill_a_blank(rule_org):
    both = rule_org("Prefer Salesforce unless blank")
    contact_id, lead_id = linked(both, title=None)
    both.update_contact(contact_id, jobtitle="Filled from HubSpot")
    both.sync()
    assert sf_title(both, lead_id) == "Filled from HubSpot"


def test_prefer_salesforce_deletes_in_hubspot_what_salesforce_deletes(rule_org):
    both = rule_org("Prefer Salesforce unless blank")
    contact_id, lead_id = linked(both)
    both.sf.Lead.update(lead_id, {"Title": None})
    both.sync()
    assert hs_title(both, contact_id) is None
    assert sf_title(both, lead_id) is None


# -- Always use Salesforce -------------------------------------------------------------------------------
def test_always_use_salesforce_never_passes_hubspot_values(rule_org):
    both = rule_org("Always use Salesforce")
    contact_id, lead_id = linked(both)
    assert sf_title(both, lead_id) is None  # not even into a blank Salesforce field
    both.update_contact(contact_id, jobtitle="Still not")
    both.sync()
    assert sf_title(both, lead_id) is None


def test_always_use_salesforce_overwrites_and_deletes_in_hubspot(rule_org):
    both = rule_org("Always use Salesforce")
    contact_id, lead_id = linked(both)
    both.sf.Lead.update(lead_id, {"Title": "Salesforce title"})
    both.sync()
    assert hs_title(both, contact_id) == "Salesforce title"
    both.update_contact(contact_id, jobtitle="HubSpot edit")
    both.sync()
    assert hs_title(both, contact_id) == "Salesforce title"
    both.sf.Lead.update(lead_id, {"Title": None})
    both.sync()
    assert hs_title(both, contact_id) is None


# -- Don't sync ------------------------------------------------------------------------------------------
def test_dont_sync_passes_nothing_either_way_deletes_included(rule_org):
    both = rule_org("Don't sync")
    contact_id, lead_id = linked(both)
    assert sf_title(both, lead_id) is None
    both.sf.Lead.update(lead_id, {"Title": "Salesforce only"})
    both.sync()
    assert hs_title(both, contact_id) == "Engineer"
    both.update_contact(contact_id, jobtitle=None)
    both.sync()
    assert sf_title(both, lead_id) == "Salesforce only"
