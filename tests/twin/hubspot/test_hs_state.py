"""The portal's state survives a restart on the same state directory: records, schema changes, lists, links."""

from __future__ import annotations

from harness.twin import Twin
from harness.twin.hubspot.portal import Owner
from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import relaxed


def test_everything_written_is_there_after_a_restart(tmp_path):
    with Twin.start(org="healthy", state_dir=tmp_path) as first:
        relaxed(first)
        hs = hubspot_client(first)
        hs.crm.properties.core_api.create("contacts", {"name": "uat_tier", "label": "Tier", "type": "string",
                                                       "fieldType": "text", "groupName": "contactinformation"})
        person = hs.crm.contacts.basic_api.create({"properties": {"email": "kept@example.com", "uat_tier": "gold"}}).id
        company = hs.crm.companies.basic_api.create({"properties": {"name": "Kept Co"}}).id
        hs.crm.associations.v4.basic_api.create_default("contacts", person, "companies", company)
        hs.crm.lists.memberships_api.add("102", [person])
        first.hubspot.add_owner(Owner("71000009", 9100009, "sf.only@example.com", "Sam", "Force"))
    with Twin.start(org="healthy", state_dir=tmp_path) as second:
        relaxed(second)
        hs = hubspot_client(second)
        read = hs.crm.contacts.basic_api.get_by_id("kept@example.com", id_property="email", properties=["uat_tier"])
        assert read.id == person and read.properties["uat_tier"] == "gold"
        assert second.hubspot.associated_ids("contacts", person, "companies") == [company]
        assert second.hubspot.is_member("102", person)
        assert hs.crm.owners.owners_api.get_by_id("71000009").email == "sf.only@example.com"
        again = hs.crm.contacts.basic_api.create({"properties": {"email": "new@example.com"}}).id
        assert int(again) > int(company)  # ids keep counting up
        found = hs.crm.contacts.search_api.do_search({"filterGroups": [{"filters": [
            {"propertyName": "uat_tier", "operator": "EQ", "value": "gold"}]}]})
        assert [r.id for r in found.results] == [person]
