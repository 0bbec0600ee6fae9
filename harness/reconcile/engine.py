"""Reconcile one object pair: counts within tolerance, matched pairs compared field by field per sync rule,
key totals, and the records left unmatched on either side.

Bounded in memory at any scale: both sides are spilled to SQLite (`store.py`) as pages arrive, every
mismatch is streamed to CSV, and deepdiff runs only on the first mismatched records kept as evidence.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from harness.reconcile.compare import FieldComparator
from harness.reconcile.spec import ObjectSpec
from harness.reconcile.store import SideStore

EVIDENCE_LIMIT = 50


@dataclass
class TotalResult:
    name: str
    groups: list[dict[str, Any]]  # {group, hubspot, salesforce, difference, ok}
    ok: bool


@dataclass
class ObjectReconciliation:
    name: str
    hubspot_object: str
    salesforce_object: str
    hubspot_count: int
    salesforce_count: int
    variance: int
    variance_pct: float
    within_tolerance: bool
    matched_by_id: int
    matched_by_key: int
    unmatched_hubspot: int
    unmatched_salesforce: int
    compared_pairs: int
    mismatched_pairs: int
    field_mismatches: dict[str, int]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    unmatched_examples: dict[str, list[list[Any]]] = field(default_factory=dict)
    totals: list[TotalResult] = field(default_factory=list)
    mismatch_csv: str | None = None

    @property
    def clean(self) -> bool:
        return (self.within_tolerance and self.mismatched_pairs == 0 and all(t.ok for t in self.totals)
                and self.unmatched_hubspot == 0 and self.unmatched_salesforce == 0)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["clean"] = self.clean
        return out


def count_variance(spec: ObjectSpec, hubspot: int, salesforce: int) -> tuple[int, float, bool]:
    variance = abs(hubspot - salesforce)
    base = max(hubspot, salesforce, 1)
    pct = variance / base * 100
    allowed = variance <= spec.count_tolerance_abs or pct <= spec.count_tolerance_pct
    return variance, round(pct, 3), allowed


def _canonical_groups(groups: dict[str, float], spec: ObjectSpec, column: str | None, side: str) -> dict[str, float]:
    """Group labels in their canonical spelling (picklist synonyms), so 'USA' and 'United States' add up."""
    field_spec = next((f for f in spec.fields if column and (f.hubspot if side == "hubspot" else f.salesforce) == column),
                      None)
    if field_spec is None or not field_spec.synonyms:
        return groups
    table = {variant.strip().lower(): canonical for variant, canonical in field_spec.synonyms}
    merged: dict[str, float] = {}
    for label, value in groups.items():
        canonical = table.get(label.strip().lower(), label)
        merged[canonical] = merged.get(canonical, 0.0) + value
    return merged


def key_totals(spec: ObjectSpec, grouped_total: Callable[[str, str | None, str | None], dict[str, float]],
               ) -> list[TotalResult]:
    """Each key total per group on both sides; `grouped_total(side, group column, value column)` reads a side
    (shared by both engines, so a total means the same whatever computed its sums)."""
    totals = []
    for total in spec.totals:
        hs_groups = _canonical_groups(grouped_total("hubspot", total.hubspot_group, total.hubspot_value),
                                      spec, total.hubspot_group, "hubspot")
        sf_groups = _canonical_groups(grouped_total("salesforce", total.salesforce_group, total.salesforce_value),
                                      spec, total.salesforce_group, "salesforce")
        if total.salesforce_group_map:
            translate = dict(total.salesforce_group_map)
            regrouped: dict[str, float] = {}
            for label, value in sf_groups.items():
                regrouped[translate.get(label, label)] = regrouped.get(translate.get(label, label), 0.0) + value
            sf_groups = regrouped
        groups = []
        for group in sorted(set(hs_groups) | set(sf_groups)):
            left, right = hs_groups.get(group, 0.0), sf_groups.get(group, 0.0)
            groups.append({"group": group, "hubspot": left, "salesforce": right, "difference": round(left - right, 6),
                           "ok": abs(left - right) <= total.tolerance})
        totals.append(TotalResult(total.name, groups, all(g["ok"] for g in groups)))
    return totals


def evidence_item(spec: ObjectSpec, hs_id: str, sf_id: str, how: str, bad: list[int], hs_values: Any,
                  sf_values: Any) -> dict[str, Any]:
    """One mismatched pair as evidence: what the system of record holds against what the other side holds."""
    expected = {spec.fields[i].hubspot: (sf_values[i] if spec.fields[i].system_of_record == "salesforce"
                                         else hs_values[i]) for i in bad}
    actual = {spec.fields[i].hubspot: (hs_values[i] if spec.fields[i].system_of_record == "salesforce"
                                       else sf_values[i]) for i in bad}
    return {"hubspot_id": hs_id, "salesforce_id": sf_id, "matched_by": how,
            "deepdiff": DeepDiff(expected, actual, verbose_level=2).to_dict()}


def reconcile_object(spec: ObjectSpec, hubspot: Iterable[Iterable[tuple[str, dict[str, Any]]]],
                     salesforce: Iterable[Iterable[dict[str, Any]]], mismatch_csv: Path | None = None,
                     evidence_limit: int = EVIDENCE_LIMIT, work_dir: Path | None = None) -> ObjectReconciliation:
    """`hubspot` yields pages of (id, properties); `salesforce` yields pages of records with `Id`."""
    store = SideStore(spec, work_dir)
    try:
        for page in hubspot:
            store.add_hubspot(page)
        for page in salesforce:
            store.add_salesforce(page)
        matched = store.match()
        comparators = [FieldComparator(f) for f in spec.fields]
        active = [(i, c.agrees) for i, c in enumerate(comparators) if c.spec.rule.value != "Don't sync"]
        field_counts: Counter[str] = Counter()
        evidence: list[dict[str, Any]] = []
        compared = mismatched = 0
        writer = None
        handle = mismatch_csv.open("w", encoding="utf-8", newline="") if mismatch_csv else None
        if handle:
            writer = csv.writer(handle)
            writer.writerow(["hubspot_id", "salesforce_id", "matched_by", "hubspot_property", "salesforce_field", "rule",
                             "hubspot_value", "salesforce_value", "system_of_record"])
        try:
            for hs_id, sf_id, how, hs_values, sf_values in store.pairs():
                compared += 1
                # Raw equality first: most fields of a healthy pair never reach the normalising comparator.
                bad = [i for i, agrees in active if hs_values[i] != sf_values[i] and not agrees(hs_values[i], sf_values[i])]
                if not bad:
                    continue
                mismatched += 1
                for i in bad:
                    f = spec.fields[i]
                    field_counts[f.hubspot] += 1
                    if writer:
                        writer.writerow([hs_id, sf_id, how, f.hubspot, f.salesforce_label, f.rule.value, hs_values[i],
                                         sf_values[i], f.system_of_record])
                if len(evidence) < evidence_limit:
                    evidence.append(evidence_item(spec, hs_id, sf_id, how, bad, hs_values, sf_values))
        finally:
            if handle:
                handle.close()
        variance, pct, allowed = count_variance(spec, store.hs_count, store.sf_count)
        totals = key_totals(spec, store.grouped_total)
        return ObjectReconciliation(
            name=spec.name, hubspot_object=spec.hubspot_object, salesforce_object=spec.salesforce_object,
            hubspot_count=store.hs_count, salesforce_count=store.sf_count, variance=variance, variance_pct=pct,
            within_tolerance=allowed, matched_by_id=matched["by_id"], matched_by_key=matched["by_key"],
            unmatched_hubspot=store.unmatched_count("hubspot"), unmatched_salesforce=store.unmatched_count("salesforce"),
            compared_pairs=compared, mismatched_pairs=mismatched, field_mismatches=dict(field_counts),
            evidence=evidence,
            unmatched_examples={"hubspot": [list(r) for r in store.unmatched("hubspot", 20)],
                                "salesforce": [list(r) for r in store.unmatched("salesforce", 20)]},
            totals=totals, mismatch_csv=str(mismatch_csv) if mismatch_csv else None)
    finally:
        store.close()
