"""The root causes in `signoff.md`: what to fix first, above the exit criteria (the same content as the HTML)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from harness.signoff.categories import CATEGORIES
from harness.signoff.record import SignOff


def _cell(text: Any) -> str:
    return ("" if text is None else str(text)).replace("|", "\\|").replace("\n", " ")


def causes_markdown(report: SignOff) -> list[str]:
    unexplained = report.unexplained or {}
    if not report.causes and not unexplained.get("scenarios") and not unexplained.get("sync_errors"):
        return []
    out = ["## Root causes", "",
           "The run's failures grouped under the configuration item that explains them, inferred from what the "
           "sandboxes show (configuration conformance, the automation audit, Sync Health errors).", ""]
    if report.causes:
        out += [tabulate([[c["id"], _cell(c["item"]), _cell(c["what"]), _cell("; ".join(c["change_at"])),
                           _cell(c["owner"] or report.integration_owner), _cell(c["fix"]),
                           f"{len(c['scenarios'])} scenarios, {sum(g['records'] for g in c['sync_errors'])} "
                           "Sync Health records"] for c in report.causes],
                         headers=["Id", "Cause", "What is wrong", "Where to change it", "Owner", "Fix", "Explains"],
                         tablefmt="github"), ""]
        for c in report.causes:
            out += [f"<details><summary>{c['id']} evidence: {_cell(c['item'])}</summary>", "",
                    "Configuration items: " + "; ".join(_cell(i) for i in c["items"]) + ".", ""]
            if c["scenarios"]:
                out += [tabulate([[s.get("defect") or "", _cell(s["scenario"]), _cell(s["why"])] for s in c["scenarios"]],
                                 headers=["Defect", "Failing scenario", "Why it is this cause"], tablefmt="github"), ""]
            if c["sync_errors"]:
                out += [tabulate([[g["code"], g.get("property") or "", g["records"], _cell(g["sample"])]
                                  for g in c["sync_errors"]],
                                 headers=["Sync Health error", "Property", "Records", "Sample"], tablefmt="github"), ""]
            out += ["</details>", ""]
    rows = [[s.get("defect") or "", _cell(s["scenario"]), CATEGORIES.get(s.get("category") or "other", ""),
             _cell(s.get("summary"))] for s in unexplained.get("scenarios", [])]
    rows += [["", f"Sync Health {g['code']}" + (f" on {g['property']}" if g.get("property") else "")
              + f" ({g['records']} records)", g["category"], _cell(g["sample"])]
             for g in unexplained.get("sync_errors", [])]
    if rows:
        out += ["### Unexplained", "", "No configuration item the run could read explains these:", "",
                tabulate(rows, headers=["Defect", "Failing scenario or Sync Health error", "Category", "Evidence"],
                         tablefmt="github"), ""]
    return out
