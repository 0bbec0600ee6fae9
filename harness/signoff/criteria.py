"""The exit criteria, each judged against what the run measured: met, NOT MET, or not measured.

The profile's `exit_criteria` section names the thresholds. It is read attribute by attribute (the profile
model grows beside this module), and any criterion this module does not know is shown as "not evaluated"
instead of being dropped: a sign-off must never look stricter than it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.conformance.verdict import conformance_criteria
from harness.signoff.results import ScenarioResult

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

SEVERE = ("blocker", "critical")
KNOWN = {"max_failed_scenarios", "min_pass_rate", "max_open_critical_defects", "require_reconciliation",
         "require_clean_audit", "require_clean_lint", "max_open_sync_errors", "max_seed_loss_percent",
         "require_conformance"}


@dataclass
class Criterion:
    name: str
    expected: str
    actual: str
    met: bool | None  # None: the run could not measure it
    blocking: bool = True  # False: advisory, shown to the reader but not deciding the verdict

    @property
    def status(self) -> str:
        if self.met is None:
            return "not measured"
        if self.met:
            return "met"
        return "NOT MET" if self.blocking else "not met (advisory)"


def verdict_of(criteria: list[Criterion]) -> str:
    """GO only when every blocking criterion was measured and met."""
    return "GO" if all(c.met is True for c in criteria if c.blocking) else "NO-GO"


def _setting(profile: Profile, name: str, default: Any) -> Any:
    value = getattr(getattr(profile, "exit_criteria", None), name, None)
    return default if value is None else value


def severity_of(tags: list[str]) -> str:
    return next((t for t in ("blocker", "critical", "normal", "minor", "trivial") if t in tags), "normal")


def evaluate_criteria(profile: Profile, results: list[ScenarioResult], infrastructure: list[str],
                      sections: dict[str, Any]) -> list[Criterion]:
    counts = Counter(r.outcome for r in results)
    executed = counts["passed"] + counts["failed"]
    rate = counts["passed"] / executed if executed else 0.0
    max_failed = int(_setting(profile, "max_failed_scenarios", 0))
    min_rate = float(_setting(profile, "min_pass_rate", 1.0))
    max_severe = int(_setting(profile, "max_open_critical_defects", 0))
    severe = sum(1 for r in results if r.outcome == "failed" and severity_of(r.tags) in SEVERE)
    criteria = [
        Criterion("Scenarios executed", "at least 1", str(executed), executed > 0),
        Criterion("Failed scenarios", f"at most {max_failed}", str(counts["failed"]), counts["failed"] <= max_failed),
        Criterion("Pass rate", f"at least {min_rate:.0%}", f"{rate:.0%}" if executed else "-",
                  executed > 0 and rate >= min_rate),
        Criterion("Open blocker or critical defects", f"at most {max_severe}", str(severe), severe <= max_severe),
        Criterion("Run completed without infrastructure failure", "no failure",
                  "; ".join(infrastructure)[:300] if infrastructure else "none", not infrastructure),
    ]
    criteria.append(_reconciliation(bool(_setting(profile, "require_reconciliation", False)),
                                    sections.get("reconciliation"), _allowed_orphans(profile)))
    criteria.append(_findings("Automation audit", bool(_setting(profile, "require_clean_audit", False)),
                              sections.get("audit")))
    criteria.append(_findings("Governance lint", bool(_setting(profile, "require_clean_lint", False)),
                              sections.get("lint")))
    criteria.append(_sync_errors(_setting(profile, "max_open_sync_errors", None), sections.get("sync_health")))
    criteria.append(_seed_loss(float(_setting(profile, "max_seed_loss_percent", 0.0)), sections.get("seed_loss")))
    criteria.extend(_budget(sections.get("api_budget")))
    criteria.extend(Criterion(**c) for c in conformance_criteria(bool(_setting(profile, "require_conformance", True)),
                                                                 results))  # configuration conformance, docs/conformance.md
    criteria.extend(_unknown(profile))
    return criteria


def _allowed_orphans(profile: Profile) -> int:
    objects = getattr(getattr(profile, "reconciliation", None), "objects", None) or {}
    return sum(int(getattr(t, "max_orphans", 0) or 0) for t in objects.values())


def _reconciliation(required: bool, summary: dict[str, Any] | None, allowed_orphans: int) -> Criterion:
    name = "Reconciliation within tolerance"
    expected = f"counts and key totals within tolerance, no mismatched fields, at most {allowed_orphans} orphans"
    if summary is None:
        # Required and absent is a failure, not a gap: the profile says GO needs the reconciliation.
        return Criterion(name, expected, "not measured", False if required else None, required)
    objects = summary["objects"]
    off = [r["object"] for r in objects if not r["clean"]]
    orphans = summary["orphan_count"]
    actual = (f"{len(objects) - len(off)} of {len(objects)} objects clean"
              + (f"; not clean: {', '.join(str(o) for o in off)}" if off else "") + f"; orphans: {orphans}")
    return Criterion(name, expected, actual, not off and orphans <= allowed_orphans, required)


def _findings(title: str, required: bool, findings: list[dict[str, Any]] | None) -> Criterion:
    name = f"{title}: no error-level finding"
    expected = "0 errors"
    if findings is None:
        return Criterion(name, expected, "not measured", False if required else None, required)
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    return Criterion(name, expected, f"{errors} errors, {warnings} warnings", errors == 0, required)


def _sync_errors(limit: Any, health: dict[str, Any] | None) -> Criterion:
    threshold = int(limit) if limit is not None else 0
    name = "Open connector sync errors"
    expected = f"at most {threshold}"
    # Blocking once measured: only the run's own errors count (those on its ledger's records or first seen during
    # it), and of those only the ones the seed did not cause on purpose (an over-long value, see seeded.py).
    # Not measured (no control plane) it stays advisory unless the profile sets a threshold.
    blocking = limit is not None or health is not None
    if health is None:
        return Criterion(name, expected, "not measured (no control plane: read HubSpot's Sync Health screen)",
                         False if blocking else None, blocking)
    unexpected = health.get("unexpected_errors", health["open_errors"])
    seeded = health["open_errors"] - unexpected
    besides = [f"{seeded} the seed caused on purpose"] if seeded else []
    if health.get("earlier_errors"):
        besides.append(f"{health['earlier_errors']} on records this run did not touch")
    actual = str(unexpected) + (f" (besides {'; '.join(besides)})" if besides else "")
    return Criterion(name, expected, actual, unexpected <= threshold, blocking)


def _seed_loss(tolerance: float, loss: dict[str, Any] | None) -> Criterion:
    """Records of the seed the platforms refused: the population tested is smaller than the recipe describes."""
    name, expected = "Seed records lost", f"at most {tolerance:g}% of those planned"
    if loss is None:
        return Criterion(name, expected, "not measured (the seed did not finish)", None)
    share = 100.0 * loss["lost"] / loss["planned"] if loss["planned"] else 0.0
    named = ", ".join(list(loss.get("examples") or {})[:3])
    actual = f"{loss['lost']} of {loss['planned']} ({share:.1f}%)" + (f": {named}" if named else "")
    return Criterion(name, expected, actual, share <= tolerance)


def _budget(rows: list[dict[str, Any]] | None) -> list[Criterion]:
    out = []
    for row in rows or []:
        if row["limit"]:
            out.append(Criterion(f"API calls within budget ({row['system']})", f"at most {row['limit']}",
                                 str(row["used"]), row["used"] <= row["limit"]))
    return out


def _unknown(profile: Profile) -> list[Criterion]:
    section = getattr(profile, "exit_criteria", None)
    fields = getattr(type(section), "model_fields", {}) if section is not None else {}
    return [Criterion(f"{name} (not evaluated by this report version)", str(getattr(section, name)), "-", None,
                      False) for name in fields if name not in KNOWN]
