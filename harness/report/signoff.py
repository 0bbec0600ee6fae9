"""The sign-off report: the verdict (GO / NO-GO) against each exit criterion, and why.

`signoff.json` is the machine-readable record; `signoff.md` the same for people (tables by tabulate).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..profile import Profile
from .categories import CATEGORIES
from .results import ScenarioResult


@dataclass
class Criterion:
    name: str
    expected: str
    actual: str
    met: bool


@dataclass
class SignOff:
    run_id: str
    profile: str
    target: str
    verdict: str
    criteria: list[Criterion]
    totals: dict[str, int]
    by_feature: list[dict[str, Any]]
    scenarios: list[dict[str, Any]]
    defects: list[dict[str, Any]]
    stakeholders: list[dict[str, Any]]
    integration_owner: str
    extra: dict[str, Any] = field(default_factory=dict)


def evaluate(run_id: str, profile: Profile, target: str, results: list[ScenarioResult],
             infrastructure_errors: list[str] | None = None, extra: dict[str, Any] | None = None) -> SignOff:
    counts = Counter(r.outcome for r in results)
    executed = counts["passed"] + counts["failed"]
    pass_rate = counts["passed"] / executed if executed else 0.0
    criteria = [
        Criterion("Scenarios executed", "at least 1", str(executed), executed > 0),
        Criterion("Failed scenarios", f"at most {profile.exit_criteria.max_failed_scenarios}", str(counts["failed"]),
                  counts["failed"] <= profile.exit_criteria.max_failed_scenarios),
        Criterion("Pass rate", f"at least {profile.exit_criteria.min_pass_rate:.0%}", f"{pass_rate:.0%}",
                  executed > 0 and pass_rate >= profile.exit_criteria.min_pass_rate),
    ]
    if infrastructure_errors:
        criteria.append(Criterion("Run completed without infrastructure failure", "no failure",
                                  "; ".join(infrastructure_errors)[:300], False))
    features: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        features[r.feature][r.outcome] += 1
    by_feature = [{"feature": name, "passed": c["passed"], "failed": c["failed"], "skipped": c["skipped"]}
                  for name, c in sorted(features.items())]
    defects = []
    for number, r in enumerate((r for r in results if r.outcome == "failed"), start=1):
        defects.append({"id": f"D-{number:03d}", "category": CATEGORIES.get(r.category or "other", "Other"),
                        "severity": next((t for t in r.tags if t in {"blocker", "critical", "normal", "minor"}), "normal"),
                        "scenario": f"{r.feature}: {r.scenario}", "evidence": (r.message or "").strip()[:500]})
    verdict = "GO" if all(c.met for c in criteria) else "NO-GO"
    return SignOff(
        run_id=run_id, profile=profile.name, target=target, verdict=verdict, criteria=criteria,
        totals={"passed": counts["passed"], "failed": counts["failed"], "skipped": counts["skipped"], "total": len(results)},
        by_feature=by_feature,
        scenarios=[{"feature": r.feature, "scenario": r.scenario, "outcome": r.outcome, "duration": round(r.duration, 2),
                    "category": r.category} for r in results],
        defects=defects,
        stakeholders=[{"role": s.role, "name": s.name, "decision": "pending", "date": None, "comment": None}
                      for s in profile.stakeholders],
        integration_owner=profile.integration_owner.name, extra=extra or {})


def render_markdown(report: SignOff) -> str:
    lines = [f"# UAT sign-off: {report.profile}", "",
             f"**Verdict: {report.verdict}**  ", f"Run `{report.run_id}` against {report.target}. "
             f"Integration owner: {report.integration_owner}.", "", "## Exit criteria", "",
             tabulate([[c.name, c.expected, c.actual, "met" if c.met else "NOT MET"] for c in report.criteria],
                      headers=["Criterion", "Expected", "Actual", "Status"], tablefmt="github"),
             "", "## Results by feature", "",
             tabulate([[f["feature"], f["passed"], f["failed"], f["skipped"]] for f in report.by_feature],
                      headers=["Feature", "Passed", "Failed", "Skipped"], tablefmt="github"),
             "", "## Scenarios", "",
             tabulate([[s["feature"], s["scenario"], s["outcome"], s["duration"]] for s in report.scenarios],
                      headers=["Feature", "Scenario", "Result", "Seconds"], tablefmt="github"),
             "", "## Defect log", ""]
    if report.defects:
        lines.append(tabulate([[d["id"], d["category"], d["severity"], d["scenario"],
                                d["evidence"].splitlines()[0] if d["evidence"] else ""] for d in report.defects],
                              headers=["Id", "Category", "Severity", "Scenario", "Evidence"], tablefmt="github"))
    else:
        lines.append("No defects.")
    lines += ["", "## Stakeholder sign-off", "",
              tabulate([[s["role"], s["name"], s["decision"], s["date"] or ""] for s in report.stakeholders],
                       headers=["Role", "Name", "Decision", "Date"], tablefmt="github"), ""]
    return "\n".join(lines)


def write_signoff(run_dir: Path, report: SignOff) -> None:
    (run_dir / "signoff.json").write_text(json.dumps(asdict(report), indent=2, default=str), encoding="utf-8")
    (run_dir / "signoff.md").write_text(render_markdown(report), encoding="utf-8")
