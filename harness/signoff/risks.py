"""Residual risks: what a GO does not prove. Derived from the run, so a stakeholder signs knowing the gaps."""

from __future__ import annotations

from typing import Any

from harness.signoff.criteria import Criterion


def residual_risks(criteria: list[Criterion], sections: dict[str, Any], totals: dict[str, int],
                   defects: list[dict[str, Any]], context: dict[str, Any]) -> list[dict[str, str]]:
    risks: list[dict[str, str]] = []

    def add(area: str, risk: str, mitigation: str) -> None:
        risks.append({"area": area, "risk": risk, "mitigation": mitigation})

    if context.get("target_kind") == "twin":
        add("Target", "The run exercised the twin (an emulation of both sandboxes and the connector), not the "
            "connected sandboxes.", "Repeat the run against the real sandboxes (`target.kind: sandboxes`) before "
            "go-live.")
    if context.get("selection"):
        add("Coverage", f"Only part of the suite ran ({context['selection']}).",
            "Run the whole suite before go-live; a regression run covers the mapping change only.")
    if totals.get("skipped"):
        add("Coverage", f"{totals['skipped']} scenario(s) were skipped and prove nothing.",
            "Read the skip reasons in the Allure report; fix or waive each one.")
    for c in criteria:
        if c.met is None and not c.name.endswith("(not evaluated by this report version)"):
            add("Measurement", f"{c.name}: not measured in this run.", "Measure it, or record why it does not apply.")
        elif c.met is None:
            add("Measurement", f"Exit criterion {c.name.split(' (')[0]} is set in the profile but this report does "
                "not evaluate it.", "Judge it by hand and note it in the sign-off comment.")
        elif c.met is False and not c.blocking:
            add("Advisory", f"{c.name}: {c.actual} (expected {c.expected}).", "Triage before sign-off.")
    accepted = [d for d in defects if d["severity"] not in ("blocker", "critical")]
    if defects and all(c.met for c in criteria if c.blocking):
        add("Defects", f"{len(accepted)} defect(s) are open but within the exit criteria.",
            "Each needs an owner and a fix date: " + ", ".join(d["id"] for d in accepted))
    health = sections.get("sync_health")
    unexpected = health.get("unexpected_errors", health.get("open_errors")) if health else 0
    if unexpected:
        add("Sync health", f"{unexpected} connector error(s) are open that the seed did not cause on purpose.",
            "Resolve them on HubSpot's Sync Health screen; each is a record that does not sync.")
    timing = sections.get("time_to_sync")
    if timing and timing.get("timeouts"):
        add("Sync latency", f"{timing['timeouts']} expectation(s) did not hold within the sync window.",
            "See the sync timeout defects; a slow connector delays every hand-off between Marketing and Sales.")
    for kind in ("audit", "lint"):
        warnings = [f for f in sections.get(kind) or [] if f["severity"] == "warning"]
        if warnings:
            add("Governance", f"{len(warnings)} {kind} warning(s): " + "; ".join(f["id"] for f in warnings[:6]),
                "Accept each in writing or fix it.")
    for item in context.get("declared_risks") or []:
        add("Declared", str(item), "Accepted by the profile's authors.")
    return risks
