"""`signoff.md`: the sign-off report as Markdown (for a pull request, a wiki page or a terminal)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from harness.report.causes_md import causes_markdown
from harness.report.environment import flat_environment
from harness.report.formatting import amount
from harness.report.phases import PHASE_HEADERS, phase_rows
from harness.signoff.record import SignOff


def _table(rows: list[list[Any]], headers: list[str]) -> str:
    return tabulate(rows, headers=headers, tablefmt="github") if rows else "_None._"


def _cell(text: Any, limit: int = 160) -> str:
    value = "" if text is None else str(text)
    value = value.replace("|", "\\|").replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def render_markdown(report: SignOff) -> str:
    out: list[str] = [f"# UAT sign-off: {report.profile}", "",
                      f"**Verdict: {report.verdict}**  ",
                      f"Run `{report.run_id}` against {report.target}, {report.generated_at}. "
                      f"Integration owner: {report.integration_owner}.  ",
                      f"Sign-off: {report.signoff.get('state', 'not recorded')}.", ""]
    blocking = [c for c in report.criteria if c.blocking and c.met is not True]
    advisory = [c for c in report.criteria if not c.blocking and c.met is False]
    out += ["Every blocking exit criterion is met." if report.verdict == "GO" else
            f"Blocking exit criteria not met: {'; '.join(c.name for c in blocking)}.", ""]
    if advisory:
        out += ["Advisory, not deciding the verdict: " + "; ".join(f"{c.name}: {c.actual} (expected {c.expected})"
                                                               for c in advisory) + ".", ""]
    if report.extra.get("selection"):
        out += [f"Scenarios selected: {report.extra['selection']}.", ""]
    out += causes_markdown(report)  # what to fix, first: above the exit criteria
    out += ["## Exit criteria", "",
            _table([[c.name, c.expected, _cell(c.actual), c.status] for c in report.criteria],
                   ["Criterion", "Expected", "Actual", "Status"]), ""]
    gate = report.extra.get("allure_quality_gate")
    if gate:
        state = {True: "passed", False: "failed"}.get(gate["passed"], gate["detail"])
        who = f" (evaluated by {gate['evaluated_by']})" if gate.get("evaluated_by") else ""
        out += [f"Allure quality gate on the same thresholds: {state}{who}.", ""]
    t = report.totals
    out += ["## Results by feature", "",
            f"{t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped of {t['total']} scenarios.", "",
            _table([[f["feature"], f["passed"], f["failed"], f["skipped"]] for f in report.by_feature],
                   ["Feature", "Passed", "Failed", "Skipped"]), "",
            "### Scenarios", "",
            _table([[s["feature"], s["scenario"], s["outcome"], s.get("category") or "", s["duration"]]
                    for s in report.scenarios], ["Feature", "Scenario", "Result", "Category", "Seconds"]), ""]
    out += _reconciliation(report) + _health(report) + _findings(report)
    out += ["## Defect log", ""]
    out.append(_table([[d["id"], d["category"], d["severity"], d["owner"], f"{d['feature']}: {d['scenario']}",
                        _cell(d["summary"])] for d in report.defects],
                      ["Id", "Category", "Severity", "Functional owner", "Scenario", "Finding"])
               if report.defects else "No defects.")
    out += [""] + _evidence(report)
    out += ["", "## Residual risks", "",
            _table([[r["area"], _cell(r["risk"], 200), _cell(r["mitigation"], 160)] for r in report.risks],
                   ["Area", "Risk", "Mitigation"]), ""]
    out += ["## Stakeholder sign-off", "",
            _table([[s["role"], s["name"], _decision(s), s.get("signed_by") or "", s.get("recorded_by") or "",
                     s.get("date") or "", _cell(s.get("comment"))]
                    for s in report.stakeholders],
                   ["Role", "Name", "Decision", "Signed by", "Recorded by", "Date", "Comment"]), ""]
    unsigned = report.unsigned_roles
    if unsigned:
        out += [f"**Not signed yet:** {', '.join(unsigned)}.", ""]
    if report.decisions:
        out += ["<details><summary>Decision history, oldest first</summary>", "",
                _table([[d["date"], d["role"], d["label"] + ("" if d["current"] else " (superseded)"), d["name"]
                         + (f" (replaces {d['supersedes']})" if d.get("supersedes") else ""), d["recorded_by_text"],
                         (d.get("content_sha256") or "not recorded")[:12] + (" (stale)" if d["stale"] else ""),
                         _cell(d.get("comment"))] for d in report.decisions],
                       ["Date", "Role", "Decision", "By", "Recorded by", "On report content", "Comment"]),
                "", "</details>", ""]
    out += ["## Environment", "",
            _table([[k, _cell(v)] for k, v in _flat(report.environment).items()], ["Setting", "Value"]), ""]
    if report.links:
        out += ["Reports: " + " · ".join(f"[{name}]({path})" for name, path in report.links.items()), ""]
    out += [f"Report content sha256: `{report.content_sha256}` (what a decision approves; "
            f"`uat signoff verify --run {report.run_id}` checks every decision against it).", ""]
    return "\n".join(out)


def _decision(row: dict[str, Any]) -> str:
    if row["decision"] == "pending":
        return "PENDING"
    return row["decision"] + (" (STALE: made on other report content)" if row.get("stale") else "")


def _evidence(report: SignOff) -> list[str]:
    """Each defect's evidence whole, folded (GitHub and most wikis render <details>): tables are never cut."""
    out = []
    for d in report.defects:
        blocks = d.get("evidence_blocks")
        if not blocks:
            continue
        out += [f"<details><summary>{d['id']} evidence: {_cell(d['scenario'], 120)}</summary>", ""]
        for block in blocks:
            if block["kind"] == "table":
                out += [_table([[_cell(c, 300) for c in row] for row in block["rows"]],
                               [_cell(c, 80) for c in block["columns"]]), ""]
                if block.get("omitted"):
                    out += [f"… and {block['omitted']} more rows (the Allure attachment holds them all).", ""]
            else:
                out += ["```", block["text"], "```", ""]
        out += ["</details>", ""]
    return out


def _reconciliation(report: SignOff) -> list[str]:
    rec = report.reconciliation
    if rec is None:
        return ["## Reconciliation", "", "Not measured in this run.", ""]
    out = ["## Reconciliation", "",
           _table([[r["object"], r["hubspot"], r["salesforce"], r["variance"], r["variance_pct"],
                    "yes" if r["within_tolerance"] else "NO", r["mismatched"],
                    r["unmatched_hubspot"], r["unmatched_salesforce"]] for r in rec["objects"]],
                  ["Object", "HubSpot", "Salesforce", "Variance", "Variance %", "Within tolerance",
                   "Mismatched", "HubSpot only", "Salesforce only"]), ""]
    if rec["totals"]:
        out += ["### Key totals", "",
                _table([[t["object"], t["total"], t.get("group"), amount(t.get("hubspot")), amount(t.get("salesforce")),
                         amount(t.get("difference")), "ok" if t.get("ok") else "OFF"] for t in rec["totals"]],
                       ["Object", "Total", "Group", "HubSpot", "Salesforce", "Difference", "Status"]), ""]
    out += ["### Orphans", "",
            _table([[o["class"] + (" (noted, not an orphan)" if o.get("noted") else ""), o["count"],
                     _cell("; ".join(o["examples"]))] for o in rec["orphans"]],
                   ["Class", "Records", "Examples"]), ""]
    return out


def _health(report: SignOff) -> list[str]:
    out = ["## Sync health", ""]
    health = report.sync_health
    if health is None:
        out += ["Connector errors: not measured (no control plane; read HubSpot's Sync Health screen).", ""]
    else:
        seeded = health.get("expected_errors") or 0
        out += [f"Open connector errors: {health['open_errors']} on {health['records_with_errors']} records"
                + (f", {seeded} of them caused by the seed on purpose (expected)" if seeded else "") + ".", "",
                _table([[c["label"], c["errors"], c["records"]] for c in health["categories"]],
                       ["Category", "Errors", "Records"]), ""]
        if health.get("groups"):
            out += ["Errors by category, code and property (one sample each):", "",
                    _table([[g["label"], g["code"], g["property"] or "–", g["records"],
                             _cell(f"{g['sample'].get('hubspot_object') or ''} {g['sample'].get('hubspot_id') or ''}: "
                                   f"{g['sample']['message']}", 200),
                             f"expected: {g['reason']}" if g["expected"] else "open"] for g in health["groups"]],
                           ["Category", "Code", "Property", "Records", "Sample", "Status"]), ""]
    if report.api_budget is not None:
        out += ["API calls used by the harness:", "",
                _table([[r["system"], r["used"], r["limit"] or "no limit", r["retries"]] for r in report.api_budget],
                       ["System", "Used", "Budget", "Retries"]), ""]
    phases = phase_rows(report.timings)
    if phases:
        out += ["Where the run's time went (seconds per phase; waiting is included in the phase's seconds):", "",
                _table(phases, PHASE_HEADERS), ""]
    timing = report.time_to_sync
    if timing is None:
        out += ["Time to sync: not measured.", ""]
    else:
        out += [f"Time to sync over {timing['expectations']} expectations: median {timing['median']} s, "
                f"95th percentile {timing['p95']} s, maximum {timing['max']} s; {timing['timeouts']} timed out.", ""]
    return out


def _findings(report: SignOff) -> list[str]:
    out = []
    for title, findings in (("Automation audit", report.audit), ("Governance lint", report.lint)):
        out += [f"## {title}", ""]
        if findings is None:
            out += ["Not measured in this run.", ""]
        elif not findings:
            out += ["No findings.", ""]
        else:
            out += [_table([[f["id"], f["severity"], _cell(f["where"], 60), _cell(f["message"]), _cell(f["fix"])]
                            for f in findings], ["Rule", "Severity", "Where", "Finding", "Fix"]), ""]
    return out


def _flat(environment: dict[str, Any]) -> dict[str, str]:
    return flat_environment(environment)
