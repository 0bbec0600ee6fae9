"""`drifted` = `healthy` + the planted defects of its DEFECTS.md, and each defect does what the table says.

The structural test compares the two orgs' YAML and fails on any difference DEFECTS.md does not name (and on any
row that plants nothing), so `drifted` keeps following `healthy` as the platforms grow. The behavioural tests show
each defect through the real clients, and where it matters that `healthy` does not have it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.twin.connector.conftest import ORGS, Both

CATEGORIES = {"sync timeout", "mapping mismatch", "platform automation", "duplicates", "permissions", "picklists",
              "rate limit", "test data"}
COLUMNS = ["id", "defect", "planted in", "category", "feature", "scenario"]


def defects() -> list[dict[str, str]]:
    lines = [line for line in (ORGS / "drifted" / "DEFECTS.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == COLUMNS
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(COLUMNS), line
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def _item_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        if "hubspot" in item and "salesforce" in item:
            return f"{item['hubspot']}→{item['salesforce']}"
        for key in ("api_name", "id", "name", "_alias", "value"):
            if key in item:
                return str(item[key])
    return str(index)


def differences(left: Any, right: Any, path: str = "") -> list[str]:
    """Key paths where two YAML documents differ; list items are matched by their name (or id, or mapping)."""
    if isinstance(left, dict) and isinstance(right, dict):
        out = []
        for key in sorted(set(left) | set(right), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in left or key not in right:
                out.append(sub)
            else:
                out.extend(differences(left[key], right[key], sub))
        return out
    if isinstance(left, list) and isinstance(right, list) and all(isinstance(i, dict) for i in left + right):
        def grouped(items: list[Any]) -> dict[str, list[Any]]:
            groups: dict[str, list[Any]] = {}
            for index, item in enumerate(items):
                groups.setdefault(_item_key(item, index), []).append(item)
            return groups
        a, b = grouped(left), grouped(right)
        return [f"{path}[{key}]" for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]
    return [] if left == right else [path]


def planted_locations() -> dict[str, str]:
    out = {}
    for row in defects():
        for location in row["planted in"].split(";"):
            out[location.strip()] = row["id"]
    return out


def _covers(planted: str, found: str) -> bool:
    return found == planted or found.startswith((planted + ".", planted + "[")) or \
        planted.startswith((found + ".", found + "["))


def test_defects_table_is_machine_readable():
    rows = defects()
    assert [r["id"] for r in rows] == [f"D{n}" for n in range(1, len(rows) + 1)]
    for row in rows:
        assert row["category"] in CATEGORIES, row
        assert row["feature"] and re.fullmatch(r"[a-z_]+", row["feature"]), row
        assert all(":" in s for s in row["scenario"].split(";")), row  # "feature: behaviour"
        for location in row["planted in"].split(";"):
            file, _, key = location.strip().partition(": ")
            assert file in {"connector.yaml", "salesforce.yaml", "hubspot.yaml"} and key, location
    planted = {r["defect"] for r in rows}
    assert len(planted) >= 9


@pytest.mark.parametrize("name", ["connector.yaml", "salesforce.yaml", "hubspot.yaml"])
def test_drifted_differs_from_healthy_only_where_defects_md_says(name: str):
    healthy = yaml.safe_load((ORGS / "healthy" / name).read_text(encoding="utf-8"))
    drifted = yaml.safe_load((ORGS / "drifted" / name).read_text(encoding="utf-8"))
    found = differences(healthy, drifted)
    planted = [key.split(": ", 1)[1] for key in planted_locations() if key.startswith(name + ": ")]
    unexplained = [f for f in found if not any(_covers(p, f) for p in planted)]
    assert unexplained == [], (f"{name}: drifted differs from healthy at {unexplained}, which DEFECTS.md does not "
                               "plant: copy healthy's change into drifted (or add the defect to the table)")
    idle = [p for p in planted if not any(_covers(p, f) for f in found)]
    assert idle == [], f"{name}: DEFECTS.md plants {idle}, but drifted does not differ from healthy there"


# -- each defect, through the clients ----------------------------------------------------------------------
@pytest.fixture
def drifted(start) -> Both:
    return start("drifted")


def user(both: Both, alias: str) -> str:
    return both.sf.query(f"SELECT Id FROM User WHERE Alias = '{alias}'")["records"][0]["Id"]


def test_d1_hubspot_lead_status_gets_the_lifecycle_stage_instead(drifted: Both, start):
    for both in (drifted, start("healthy")):
        contact_id = both.new_contact(email="d1@example.com", lastname="Status", lifecyclestage="lead")
        both.sync()
        both.sf.Lead.update(both.lead_of(contact_id), {"Status": "Working - Contacted"})
        both.sync()
        status = both.contact(contact_id, "hs_lead_status")["hs_lead_status"]
        if both is drifted:
            assert status is None
            assert {e["code"] for e in both.errors("picklists")} == {"INVALID_OPTION"}
        else:
            assert status == "Working - Contacted"


def test_d2_a_flow_overwrite_moves_hubspots_lifecycle_stage_backwards(drifted: Both):
    contact_id_sf = drifted.sf.Contact.create({"LastName": "Backwards", "Email": "d2@example.com"})["id"]
    drifted.sync()
    contact_id = drifted.hs.crm.contacts.basic_api.get_by_id("d2@example.com", id_property="email").id
    drifted.update_contact(contact_id, lifecyclestage="salesqualifiedlead")
    drifted.sync()
    drifted.sf.Contact.update(contact_id_sf, {"OwnerId": user(drifted, "enovak")})  # the legacy flow resets the stage
    drifted.sync(cycles=2)
    history = drifted.hs.crm.contacts.basic_api.get_by_id(contact_id, properties_with_history=["lifecyclestage"])
    stages = [h.value for h in reversed(history.properties_with_history["lifecyclestage"]) if h.value]
    assert stages[-1] == "lead" and "salesqualifiedlead" in stages  # it went back down the funnel


def test_d3_a_salesforce_owner_change_does_not_hold(drifted: Both):
    contact_id = drifted.new_contact(email="d3@example.com", lastname="Owner", hubspot_owner_id="71000001")
    drifted.sync(cycles=2)
    lead_id = drifted.lead_of(contact_id)
    drifted.sf.Lead.update(lead_id, {"OwnerId": user(drifted, "atanaka")})
    drifted.sync(cycles=2)
    assert drifted.sf.Lead.get(lead_id)["OwnerId"] != user(drifted, "atanaka")  # the rotation won


def test_d4_automation_on_both_sides_sets_retired_stages(drifted: Both):
    contact_id = drifted.new_contact(email="d4@example.com", lastname="Retired", lifecyclestage="lead")
    drifted.sync()
    drifted.sf.Lead.update(drifted.lead_of(contact_id), {"Status": "Working - Contacted"})
    drifted.sync()
    assert drifted.contact(contact_id, "lifecyclestage")["lifecyclestage"] == "salesacceptedlead"
    parked = drifted.new_contact(email="d4b@example.com", lastname="Parked", lifecyclestage="other")
    assert drifted.contact(parked, "lifecyclestage")["lifecyclestage"] == "recycled"


def test_d5_a_country_variant_is_refused_by_the_country_picklist(drifted: Both):
    contact_id = drifted.new_contact(email="d5@example.com", lastname="Country", country="USA")
    drifted.sync()
    assert not drifted.contact(contact_id, "salesforceleadid")["salesforceleadid"]
    [error] = drifted.errors()
    assert (error["category"], error["code"]) == ("picklists", "FIELD_INTEGRITY_EXCEPTION")


def test_d6_same_name_and_company_with_different_emails_is_a_duplicate_in_salesforce(drifted: Both):
    drifted.new_contact(email="d6a@example.com", firstname="Sam", lastname="Lee", company="Acme")
    drifted.new_contact(email="d6b@example.com", firstname="Sam", lastname="Lee", company="Acme")
    drifted.sync()
    assert drifted.sf.query("SELECT COUNT() FROM Lead WHERE LastName = 'Lee'")["totalSize"] == 1
    assert [e["code"] for e in drifted.errors("duplicates")] == ["DUPLICATES_DETECTED"]


def test_d7_the_sql_date_is_re_stamped_on_every_save(drifted: Both, start):
    for both in (drifted, start("healthy")):
        lead_id = both.sf.Lead.create({"LastName": "Stamped", "Company": "X", "Email": "d7@example.com",
                                       "Lifecycle_Stage__c": "salesqualifiedlead", "SQL_Date__c": "2025-01-15"})["id"]
        both.sf.Lead.update(lead_id, {"Title": "Any edit"})
        kept = both.sf.Lead.get(lead_id)["SQL_Date__c"]
        assert (kept != "2025-01-15") if both is drifted else (kept == "2025-01-15")


def test_d8_an_mql_date_the_integration_user_cannot_write_fails_the_record(drifted: Both):
    contact_id = drifted.new_contact(email="d8@example.com", lastname="Mql", lifecyclestage="marketingqualifiedlead")
    drifted.sync()
    assert not drifted.contact(contact_id, "salesforceleadid")["salesforceleadid"]
    assert {(e["category"], e["code"]) for e in drifted.errors()} == {("permissions", "INVALID_FIELD_FOR_INSERT_UPDATE")}


def test_d9_apac_contacts_never_reach_salesforce(drifted: Both):
    tokyo = drifted.new_contact(email="d9a@example.com", lastname="Tokyo", country="Japan")
    toronto = drifted.new_contact(email="d9b@example.com", lastname="Toronto", country="Canada")
    drifted.sync()
    assert drifted.lead_of(toronto)
    assert not drifted.contact(tokyo, "salesforceleadid")["salesforceleadid"]


def test_drifted_defects_are_all_documented_in_the_fixture_files():
    for name in ("connector.yaml", "salesforce.yaml", "hubspot.yaml"):
        text = (ORGS / "drifted" / name).read_text(encoding="utf-8")
        marked = set(re.findall(r"# DEFECT (D\d+)", text))
        expected = {v for k, v in planted_locations().items() if k.startswith(name)}
        assert marked == expected, f"{name}: # DEFECT markers {sorted(marked)} vs DEFECTS.md {sorted(expected)}"


def test_healthy_has_no_defect_markers():
    for path in Path(ORGS / "healthy").glob("*.yaml"):
        assert "DEFECT" not in path.read_text(encoding="utf-8"), path
