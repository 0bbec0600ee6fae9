"""The reconciliation engine: matching, per-rule comparison in one normal form, tolerance, totals, evidence."""

from __future__ import annotations

import csv

from harness.reconcile import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec, SyncRule, reconcile_object

FIELDS = (
    FieldSpec("email", "Email", SyncRule.TWO_WAY),
    FieldSpec("firstname", "FirstName", SyncRule.TWO_WAY),
    FieldSpec("amount", "Amount__c", SyncRule.ALWAYS_USE_SALESFORCE, FieldKind.NUMBER),
    FieldSpec("optin", "OptIn__c", SyncRule.TWO_WAY, FieldKind.BOOLEAN),
    FieldSpec("seen", "Seen__c", SyncRule.PREFER_SALESFORCE_UNLESS_BLANK, FieldKind.DATETIME),
    FieldSpec("tags", "Tags__c", SyncRule.TWO_WAY, FieldKind.MULTI),
    FieldSpec("country", "Country", SyncRule.TWO_WAY, FieldKind.PICKLIST,
              synonyms=(("USA", "United States"), ("U.S.", "United States"))),
    FieldSpec("notes", "Notes__c", SyncRule.DONT_SYNC),
)


def spec(**kw) -> ObjectSpec:
    return ObjectSpec("contacts <-> Contact", "contacts", "Contact", "salesforcecontactid", FIELDS, "email", "Email", **kw)


def sf(n: int, **over) -> dict:
    record = {"Id": f"003{n:015d}", "Email": f"p{n}@example.com", "FirstName": f"Ann{n}", "Amount__c": 100.0,
              "OptIn__c": True, "Seen__c": "2026-11-28T10:00:00.000+0000", "Tags__c": "a;b", "Country": "United States",
              "Notes__c": "sf only"}
    record.update(over)
    return record


def hs(n: int, link: bool = True, **over) -> tuple[str, dict]:
    props = {"email": f"p{n}@example.com", "firstname": f"Ann{n}", "amount": "100", "optin": "true",
             "seen": "2026-11-28T10:00:00Z", "tags": "b;a", "country": "USA", "notes": "hs only",
             "salesforcecontactid": f"003{n:015d}" if link else None}
    props.update(over)
    return str(5000 + n), props


def test_spellings_of_the_same_value_agree_and_dont_sync_is_ignored():
    result = reconcile_object(spec(), [[hs(1), hs(2)]], [[sf(1), sf(2)]])
    assert result.compared_pairs == 2
    assert result.mismatched_pairs == 0 and result.clean


def test_a_real_difference_is_reported_per_field_with_a_deepdiff():
    result = reconcile_object(spec(), [[hs(1, firstname="Anne"), hs(2, amount="99.5")]], [[sf(1), sf(2)]])
    assert result.mismatched_pairs == 2
    assert result.field_mismatches == {"firstname": 1, "amount": 1}
    diff = result.evidence[0]["deepdiff"]
    assert "values_changed" in diff
    assert not result.clean


def test_a_blank_on_one_side_is_a_difference_for_every_syncing_rule():
    result = reconcile_object(spec(), [[hs(1, seen="")]], [[sf(1)]])
    assert result.field_mismatches == {"seen": 1}
    both_blank = reconcile_object(spec(), [[hs(1, seen=None)]], [[sf(1, Seen__c=None)]])
    assert both_blank.mismatched_pairs == 0


def test_matching_by_salesforce_id_first_then_by_email():
    result = reconcile_object(spec(), [[hs(1), hs(2, link=False), hs(3, link=False, email="nobody@example.com")]],
                              [[sf(1), sf(2), sf(4)]])
    assert (result.matched_by_id, result.matched_by_key) == (1, 1)
    assert result.unmatched_hubspot == 1 and result.unmatched_salesforce == 1
    assert result.unmatched_examples["hubspot"][0][0] == "5003"


def test_email_match_is_case_and_whitespace_insensitive():
    result = reconcile_object(spec(), [[hs(7, link=False, email="  P7@EXAMPLE.com ")]], [[sf(7)]])
    assert result.matched_by_key == 1


def test_counts_within_tolerance():
    hubspot = [[hs(n) for n in range(100)]]
    salesforce = [[sf(n) for n in range(97)]]
    strict = reconcile_object(spec(), hubspot, salesforce)
    assert strict.variance == 3 and not strict.within_tolerance
    lenient = reconcile_object(spec(count_tolerance_pct=5.0), [[hs(n) for n in range(100)]], [[sf(n) for n in range(97)]])
    assert lenient.within_tolerance and lenient.variance_pct == 3.0


def test_key_totals_by_group():
    total = KeyTotalSpec("amount by country", "country", "Country", "amount", "Amount__c")
    result = reconcile_object(spec(totals=(total,)), [[hs(1, country="United States"), hs(2, amount="250")]],
                              [[sf(1), sf(2)]])
    groups = {g["group"]: g for g in result.totals[0].groups}
    assert set(groups) == {"United States"}  # "USA" counts under its canonical spelling
    assert groups["United States"]["hubspot"] == 350.0 and groups["United States"]["salesforce"] == 200.0
    assert not result.totals[0].ok
    agreeing = reconcile_object(spec(totals=(total,)), [[hs(1), hs(2)]], [[sf(1), sf(2)]])
    assert agreeing.totals[0].ok


def test_every_mismatch_streams_to_csv(tmp_path):
    target = tmp_path / "mismatches.csv"
    reconcile_object(spec(), [[hs(n, firstname="X") for n in range(120)]], [[sf(n) for n in range(120)]], target,
                     evidence_limit=5)
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == 120 and rows[0]["hubspot_property"] == "firstname"
