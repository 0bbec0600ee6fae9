"""The sign-off report: the verdict (GO / NO-GO) against each exit criterion, and everything a stakeholder
needs to agree with it: results by feature, reconciliation, sync health, findings, defects, residual risks and
who has signed.

`signoff.json` is the machine-readable record (and what `uat signoff` re-renders from); `signoff.md` and
`signoff.html` are the same for people.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.signoff.categories import CATEGORIES
from harness.signoff.causes import infer_causes, missing_records
from harness.signoff.criteria import Criterion, evaluate_criteria, verdict_of
from harness.signoff.decisions import DECISIONS_FILE, apply_decisions, decision_trail, read_decisions, signoff_status
from harness.signoff.defects import defect_log
from harness.signoff.findings import normalise_findings
from harness.signoff.health import api_budget_summary, sync_health_summary, time_to_sync
from harness.signoff.integrity import content_sha256, file_sha256
from harness.signoff.owners import integration_owner
from harness.signoff.readable import plain_text, shorten
from harness.signoff.reconciliation import summarise
from harness.signoff.results import ScenarioResult
from harness.signoff.risks import residual_risks

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

SIGNOFF_JSON = "signoff.json"


@dataclass
class RunEvidence:
    """What the runner gathered beside the scenario results; every part may be absent (then: not measured)."""

    infrastructure_errors: list[str] = field(default_factory=list)
    sync_health: dict[str, Any] | None = None  # the twin control plane's health()
    api_calls: dict[str, dict[str, int]] | None = None  # ApiBudget.report()
    reconciliation: list[Any] | None = None  # ObjectReconciliation (or as_dict()) per object
    orphans: dict[str, Any] | None = None  # named orphan class -> count, list, or {count, examples}
    audit: Any = None  # findings (list) or an AuditReport
    lint: Any = None
    environment: dict[str, Any] = field(default_factory=dict)
    selection: str | None = None  # "impacted by contacts.csv: 5 scenarios", "-m object_deal", ...
    seed_loss: dict[str, Any] | None = None  # {planned, lost, examples: {plan key: error}} (harness/run/runner.py)
    seeded: dict[str, str] | None = None  # record id -> edge case the seed planted it for (seeded.py)
    own_records: dict[str, Any] | None = None  # the run's ledger ids and start (health.run_records): its own errors
    conformance: dict[str, Any] | None = None  # conformance.json: every clause, as the conformance phase wrote it
    # The automation catalogue and the active duplicate rules (harness/audit/evidence.py), for the root causes
    configuration: dict[str, Any] | None = None
    # Where the run's time went, per phase: {phase, seconds, calls {system: n}, retries, waited {kind: s}}
    # (harness/run/timing.py); the runner records the whole table once cleanup has ended.
    timings: list[dict[str, Any]] | None = None


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
    generated_at: str = ""
    environment: dict[str, Any] = field(default_factory=dict)
    reconciliation: dict[str, Any] | None = None
    sync_health: dict[str, Any] | None = None
    api_budget: list[dict[str, Any]] | None = None
    time_to_sync: dict[str, Any] | None = None
    audit: list[dict[str, Any]] | None = None
    lint: list[dict[str, Any]] | None = None
    # Root causes (causes.py): failures grouped under the configuration item that explains them; and the rest
    causes: list[dict[str, Any]] = field(default_factory=list)
    unexplained: dict[str, Any] = field(default_factory=dict)
    timings: list[dict[str, Any]] | None = None  # RunEvidence.timings: time, calls and waits per phase
    risks: list[dict[str, str]] = field(default_factory=list)
    signoff: dict[str, Any] = field(default_factory=dict)  # state of the sign-off table (pending, rejected...)
    decisions: list[dict[str, Any]] = field(default_factory=list)  # the whole trail, oldest first
    links: dict[str, str] = field(default_factory=dict)  # the run folder's other reports, relative paths
    extra: dict[str, Any] = field(default_factory=dict)
    content_sha256: str = ""  # of the decision-independent content (integrity.py); what a decision approves
    decisions_sha256: str | None = None  # of decisions.jsonl as of this rendering

    @property
    def unsigned_roles(self) -> list[str]:
        """Roles with no decision, or whose decision was made on other report content (stale)."""
        return [s["role"] for s in self.stakeholders if s["decision"] == "pending" or s.get("stale")]


def _by_feature(results: list[ScenarioResult]) -> list[dict[str, Any]]:
    features: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        features[r.feature][r.outcome] += 1
    return [{"feature": name, "passed": c["passed"], "failed": c["failed"], "skipped": c["skipped"],
             "total": sum(c.values())} for name, c in sorted(features.items())]


def evaluate(run_id: str, profile: Profile, target: str, results: list[ScenarioResult],
             evidence: RunEvidence | None = None) -> SignOff:
    evidence = evidence or RunEvidence()
    counts = Counter(r.outcome for r in results)
    totals = {"passed": counts["passed"], "failed": counts["failed"], "skipped": counts["skipped"],
              "total": len(results)}
    sections = {
        "reconciliation": summarise(evidence.reconciliation, evidence.orphans),
        "sync_health": sync_health_summary(evidence.sync_health, evidence.seeded, evidence.own_records),
        "api_budget": api_budget_summary(evidence.api_calls),
        "time_to_sync": time_to_sync(results),
        "audit": normalise_findings(evidence.audit),
        "lint": normalise_findings(evidence.lint),
    }
    criteria = evaluate_criteria(profile, results, evidence.infrastructure_errors,
                                 {**sections, "seed_loss": evidence.seed_loss})
    defects = defect_log(profile, results)
    causes, unexplained = infer_causes(profile, results, defects, evidence.conformance, sections["audit"],
                                       evidence.configuration, evidence.sync_health, evidence.seeded,
                                       missing_records(evidence.reconciliation))
    target_kind = getattr(getattr(profile, "target", None), "kind", None)
    risks = residual_risks(criteria, sections, totals, defects,
                           {"target_kind": target_kind, "selection": evidence.selection,
                            "declared_risks": getattr(profile, "residual_risks", None)})
    stakeholders = [{"role": s.role, "name": s.name} for s in getattr(profile, "stakeholders", None) or []]
    report = SignOff(
        run_id=run_id, profile=profile.name, target=target, verdict=verdict_of(criteria), criteria=criteria,
        totals=totals, by_feature=_by_feature(results),
        scenarios=[{"feature": r.feature, "scenario": r.title, "outcome": r.outcome, "duration": round(r.duration, 2),
                    "category": CATEGORIES.get(r.category, CATEGORIES["other"]) if r.category else None,
                    "category_key": r.category, "tags": r.tags, "example": r.example,
                    "message": shorten(plain_text((r.message or "").strip().splitlines()[0])) if r.message else None}
                   for r in sorted(results, key=lambda r: (r.feature, r.title))],
        defects=defects, causes=causes, unexplained=unexplained, stakeholders=stakeholders,
        integration_owner=integration_owner(profile),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"), environment=evidence.environment,
        risks=risks, extra={"selection": evidence.selection} if evidence.selection else {}, timings=evidence.timings,
        **sections)
    return report


def with_decisions(report: SignOff, run_dir: Path) -> SignOff:
    """The sign-off table as recorded in the run folder: each role's latest decision, or pending."""
    listed = [{"role": s["role"], "name": s["name"]} for s in report.stakeholders]
    decisions = read_decisions(run_dir)
    report.content_sha256 = content_sha256(asdict(report))
    report.stakeholders = apply_decisions(listed, decisions, report.content_sha256)
    report.decisions = decision_trail(decisions, report.content_sha256)
    report.signoff = signoff_status(report.stakeholders, report.verdict)
    report.decisions_sha256 = file_sha256(run_dir / DECISIONS_FILE)
    return report


def save_json(run_dir: Path, report: SignOff) -> Path:
    data = asdict(report)
    # Always the hash of what is written: a re-rendered report (a new decision) keeps the same content hash.
    report.content_sha256 = data["content_sha256"] = content_sha256(data)
    path = run_dir / SIGNOFF_JSON
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return path


def content_is_intact(run_dir: Path) -> bool:
    """signoff.json's content still hashes to the hash it records (reports without a hash predate the check)."""
    data = json.loads((run_dir / SIGNOFF_JSON).read_text(encoding="utf-8"))
    return not data.get("content_sha256") or data["content_sha256"] == content_sha256(data)


def load_signoff(run_dir: Path) -> SignOff:
    data = json.loads((run_dir / SIGNOFF_JSON).read_text(encoding="utf-8"))
    known = {f.name for f in fields(SignOff)}
    data = {k: v for k, v in data.items() if k in known}
    data["criteria"] = [Criterion(**{k: c.get(k) for k in ("name", "expected", "actual", "met")},
                                  blocking=c.get("blocking", True)) for c in data.get("criteria", [])]
    # Reports written by earlier versions lack some fields: give them the neutral value, so they still render.
    for defect in data.get("defects", []):
        for key, value in (("owner", data.get("integration_owner", "")), ("feature", ""), ("category_key", "other"),
                           ("summary", defect.get("evidence", "")), ("evidence", ""), ("fields", []),
                           ("objects", []), ("attachments", [])):
            defect.setdefault(key, value)
    return SignOff(**data)
