"""Reconciliation results as the tables people read (tabulate) and the CSV they filter."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from tabulate import tabulate

from harness.reconcile.engine import ObjectReconciliation

SUMMARY_HEADERS = ["Object", "HubSpot", "Salesforce", "Variance", "Within tolerance", "Matched by id",
                   "Matched by key", "Unmatched HubSpot", "Unmatched Salesforce", "Mismatched pairs"]


def summary_rows(results: Iterable[ObjectReconciliation]) -> list[list[object]]:
    return [[r.name, r.hubspot_count, r.salesforce_count, f"{r.variance} ({r.variance_pct:.1f}%)",
             "yes" if r.within_tolerance else "NO", r.matched_by_id, r.matched_by_key, r.unmatched_hubspot,
             r.unmatched_salesforce, r.mismatched_pairs] for r in results]


def summary_table(results: Iterable[ObjectReconciliation], fmt: str = "github") -> str:
    return tabulate(summary_rows(results), headers=SUMMARY_HEADERS, tablefmt=fmt)


def write_summary_csv(results: Iterable[ObjectReconciliation], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_HEADERS)
        writer.writerows(summary_rows(results))


def totals_table(result: ObjectReconciliation, fmt: str = "github") -> str:
    rows = [[t.name, g["group"], g["hubspot"], g["salesforce"], g["difference"], "ok" if g["ok"] else "NO"]
            for t in result.totals for g in t.groups]
    return tabulate(rows, headers=["Total", "Group", "HubSpot", "Salesforce", "Difference", "Agrees"], tablefmt=fmt)
