"""The DuckDB engine gives today's answer: the same counts, pairs, per-field mismatches, mismatch CSV rows,
key totals and unmatched records as the row-by-row reference, on the same inputs, whatever the spelling."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from harness.reconcile import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec, SyncRule, reconcile_object
from harness.reconcile.duck_engine import reconcile_object_duck

FIELDS = (
    FieldSpec("email", "sf:email", SyncRule.TWO_WAY),
    FieldSpec("firstname", "sf:firstname", SyncRule.TWO_WAY),
    FieldSpec("amount", "sf:amount", SyncRule.ALWAYS_USE_SALESFORCE, FieldKind.NUMBER),
    FieldSpec("score", "sf:score", SyncRule.TWO_WAY, FieldKind.NUMBER, synonyms=(("none", "0"),)),
    FieldSpec("optin", "sf:optin", SyncRule.TWO_WAY, FieldKind.BOOLEAN),
    FieldSpec("birthday", "sf:birthday", SyncRule.TWO_WAY, FieldKind.DATE),
    FieldSpec("seen", "sf:seen", SyncRule.PREFER_SALESFORCE_UNLESS_BLANK, FieldKind.DATETIME),
    FieldSpec("tags", "sf:tags", SyncRule.TWO_WAY, FieldKind.MULTI),
    FieldSpec("country", "sf:country", SyncRule.TWO_WAY, FieldKind.PICKLIST,
              synonyms=(("United States", "United States"), ("USA", "United States"), ("U.S.", "United States"),
                        ("Deutschland", "Germany"), ("Germany", "Germany")), system_of_record="hubspot"),
    FieldSpec("owner", "sf:owner", SyncRule.ALWAYS_USE_SALESFORCE, synonyms=(("005A", "77"), ("005B", "78"))),
    FieldSpec("mql_date", "sf:mql_date", SyncRule.TWO_WAY, FieldKind.DATE, hubspot_read_only=True),
    FieldSpec("notes", "sf:notes", SyncRule.DONT_SYNC),
)

# Spellings of the same and of different values, as each side may send them (Salesforce typed, HubSpot text).
VALUES = {
    "email": (["a@example.com", "A@example.com ", "", None], ["a@example.com", "b@example.com", "", None]),
    "firstname": (["Ann", " Ann ", "ann", "", None, "Ann\t"], ["Ann", "Anne", "", None]),
    "amount": (["100", "100.0", "1e2", "99.5", "abc", "", None, " 100 "], [100.0, 100, "100.00", 99.5, "abc", None, ""]),
    "score": (["0", "none", "None", "5", "", None], ["0", 0.0, "none", "5", None]),
    "optin": (["true", "false", "TRUE", "1", "0", "yes", "", None], [True, False, "true", "0", "yes", None]),
    "birthday": (["2024-01-05", "2024-01-05T10:00:00Z", "1704412800000", "05/01/2024", "", None],
                 ["2024-01-05", "2024-01-06", "1704412800000", None, ""]),
    "seen": (["2026-11-28T10:00:00Z", "2026-11-28T10:00:00.000+0000", "2026-11-28T12:00:00+02:00", "1795860000000",
              "2026-11-28 10:00:00", "not a date", "", None],
             ["2026-11-28T10:00:00.000+0000", "2026-11-28T10:00:01.000+0000", "2026-11-28T10:00:00", None]),
    "tags": (["a;b", "b; a", "a;b;", "a", " b ;a", "", None], ["a;b", "b;a", "a", "c", None]),
    "country": (["USA", "usa ", "United States", "U.S.", "Germany", "Deutschland", "France", "", None],
                ["United States", "USA", "Germany", "France", None, ""]),
    "owner": (["77", "78", "005A", "", None], ["005A", "005B", "77", None]),
    "mql_date": (["2024-01-05", "", None], ["2024-01-05", "2023-02-02", None, ""]),
    "notes": (["hs only", None], ["sf only", None]),
}

TOTALS = (
    KeyTotalSpec("contacts by country", "country", "x:Country"),
    KeyTotalSpec("amount by stage", "stage", "x:Stage", "amount", "x:Amount", tolerance=0.5,
                 salesforce_group_map=(("Closed Won", "closedwon"),)),
)


def _spec(with_key: bool = True) -> ObjectSpec:
    return ObjectSpec("contacts <-> Lead/Contact", "contacts", "Lead/Contact", "_sf_link", FIELDS,
                      "email" if with_key else None, "natural" if with_key else None, count_tolerance_pct=5.0,
                      totals=TOTALS)


def _population(seed: int, size: int) -> tuple[list[tuple[str, dict]], list[dict]]:
    rng = random.Random(seed)
    hubspot, salesforce = [], []
    for n in range(size):
        hs_props = {f.hubspot: rng.choice(VALUES[f.hubspot][0]) for f in FIELDS}
        sf_record = {"Id": f"00Q{n:015d}" if n % 2 else f"003{n:015d}",
                     **{f.salesforce: rng.choice(VALUES[f.hubspot][1]) for f in FIELDS}}
        shape = rng.random()
        if shape < 0.6:  # linked by id
            hs_props["_sf_link"] = sf_record["Id"]
        elif shape < 0.75:  # unlinked: only the e-mail can pair them (if both have one)
            sf_record["natural"] = hs_props["email"] = f"key{n % 7}@example.com"  # duplicates on purpose
            hs_props["_sf_link"] = rng.choice([None, ""])
        elif shape < 0.85:  # linked to a record that is not there
            hs_props["_sf_link"] = f"00Q{900000 + n:015d}"
        else:  # HubSpot only, and an unsynced Salesforce record
            hs_props["_sf_link"] = None
        hs_props["stage"] = rng.choice(["closedwon", "open", "", None])
        sf_record["x:Country"] = sf_record["sf:country"]
        sf_record["x:Stage"] = rng.choice(["Closed Won", "open", None])
        sf_record["x:Amount"] = rng.choice([100.0, "100", "250.5", None, "n/a"])
        hubspot.append((str(1000 + n), hs_props))
        salesforce.append(sf_record)
    return hubspot, salesforce


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [rows[0], *sorted(rows[1:])]


def _comparable(result) -> dict:
    out = result.as_dict()
    out.pop("evidence")
    out.pop("mismatch_csv")
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("with_key", [True, False])
def test_both_engines_give_the_same_reconciliation(tmp_path: Path, seed: int, with_key: bool) -> None:
    hubspot, salesforce = _population(seed, 600)
    spec = _spec(with_key)
    reference = reconcile_object(spec, [hubspot[:300], hubspot[300:]], [salesforce], tmp_path / "reference.csv")
    columnar = reconcile_object_duck(spec, [hubspot[:300], hubspot[300:]], [salesforce], tmp_path / "duck.csv")
    assert reference.mismatched_pairs > 50 and reference.compared_pairs > 300  # the sample exercises something
    assert set(reference.field_mismatches) == {f.hubspot for f in FIELDS if f.rule is not SyncRule.DONT_SYNC}
    assert _comparable(columnar) == _comparable(reference)
    assert _rows(tmp_path / "duck.csv") == _rows(tmp_path / "reference.csv")
    assert len(columnar.evidence) == len(reference.evidence) == 50
    mismatched_ids = {row[0] for row in _rows(tmp_path / "reference.csv")[1:]}
    assert {e["hubspot_id"] for e in columnar.evidence} <= mismatched_ids


def test_a_clean_population_is_clean_in_both(tmp_path: Path) -> None:
    spec = _spec()
    hubspot = [(str(n), {"_sf_link": f"003{n:015d}", "email": f"p{n}@example.com", "amount": "5", "country": "USA"})
               for n in range(20)]
    salesforce = [{"Id": f"003{n:015d}", "sf:email": f"p{n}@example.com", "sf:amount": 5.0,
                   "sf:country": "United States"} for n in range(20)]
    reference = reconcile_object(spec, [hubspot], [salesforce])
    columnar = reconcile_object_duck(spec, [hubspot], [salesforce], tmp_path / "duck.csv")
    assert reference.mismatched_pairs == 0
    assert _comparable(columnar) == _comparable(reference)
    assert _rows(tmp_path / "duck.csv") == [["hubspot_id", "salesforce_id", "matched_by", "hubspot_property",
                                              "salesforce_field", "rule", "hubspot_value", "salesforce_value",
                                              "system_of_record"]]
