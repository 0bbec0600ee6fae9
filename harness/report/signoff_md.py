"""`signoff.md`: the sign-off report as Markdown (for a pull request, a wiki page or a terminal)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

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
    if report.extra.get("selection"):
        out += [f"Scenarios selected: {report.extra['selection']}.", ""]
    out += ["## Exit criteria", "",
            _table([[c.name, c.expected, _cell(c.actual), c.status] for c in report.criteria],
                   ["Criterion", "Expected", "Actual", "Status"]), ""]
    gate = report.extra.get("allure_quality_gate")
    if gate:
        state = {True: "passed", False: "failed"}.get(gate["passed"], gate["detail"])
        out += [f"Allure quality gate on the same thresholds: {state}.", ""]
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
                      ["Id", "Category", "Severity", "Functional owner", "Scenario", "Evidence"])
               if report.defects else "No defects.")
    out += ["", "## Residual risks", "",
            _table([[r["area"], _cell(r["risk"], 200), _cell(r["mitigation"], 160)] for r in report.risks],
                   ["Area", "Risk", "Mitigation"]), ""]
    out += ["## Stakeholder sign-off", "",
            _table([[s["role"], s["name"], s["decision"].upper() if s["decision"] == "pending" else s["decision"],
                     s.get("signed_by") or "", s.get("date") or "", _cell(s.get("comment"))]
                    for s in report.stakeholders], ["Role", "Name", "Decision", "Signed by", "Date", "Comment"]), ""]
    unsigned = report.unsigned_roles
    if unsigned:
        out += [f"**Not signed yet:** {', '.join(unsigned)}.", ""]
    out += ["## Environment", "",
            _table([[k, _cell(v)] for k, v in _flat(report.environment).items()], ["Setting", "Value"]), ""]
    if report.links:
        out += ["Reports: " + " · ".join(f"[{name}]({path})" for name, path in report.links.items()), ""]
    return "\n".join(out)


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
                _table([[t["object"], t["total"], t.get("group"), t.get("hubspot"), t.get("salesforce"),
                         t.get("difference"), "ok" if t.get("ok") else "OFF"] for t in rec["totals"]],
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
        out += [f"Open connector errors: {health['open_errors']} on {health['records_with_errors']} records.", "",
                _table([[c["label"], c["errors"], c["records"]] for c in health["categories"]],
                       ["Category", "Errors", "Records"]), ""]
    if report.api_budget is not None:
        out += ["API calls used by the harness:", "",
                _table([[r["system"], r["used"], r["limit"] or "no limit", r["retries"]] for r in report.api_budget],
                       ["System", "Used", "Budget", "Retries"]), ""]
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
    from harness.report.environment import flat_environment

    return flat_environment(environment)
