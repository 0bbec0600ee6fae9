"""The conformance phase of a run: the configuration the target runs compared with the profile, clause by clause
(harness/conformance), once per session, then judged one clause family per scenario.

A family fails listing every differing clause by name (the mapping row, picklist value, owner, field), with where to
change it and its functional owner. A clause this target cannot answer is never passed: a family with nothing
evaluated is skipped with the reason, and the phase's coverage scenario is skipped listing every clause not
evaluated, one line each, so the sign-off names them as residual risks.
"""

from __future__ import annotations

import json

import pytest

from harness.conformance import FAMILIES, Clause, ConformanceReport, Status, check_conformance
from harness.conformance.verdict import NOT_EVALUATED_PREFIX
from harness.report import evidence
from harness.uat import failures
from harness.uat.world import World

CONFORMANCE_FILE = "conformance.json"
COLUMNS = ["status", "item", "expected", "actual", "change_at", "functional_owner", "reason"]
FAILURES = {"mapping_mismatch": failures.MappingMismatch, "picklists": failures.Picklists,
            "permissions": failures.Permissions, "platform_automation": failures.PlatformAutomation}
# Scenario wording -> family (the feature names families in words; tests/conformance checks both lists agree).
FAMILY_WORDS = {
    "mapping rows": "mapping", "sync rules": "sync_rule", "mapped fields": "field", "picklist values": "picklist",
    "owners": "owner", "field-level security": "field_security", "required fields and validation rules": "required",
    "delete policy": "delete_policy", "automation": "automation", "the inclusion list": "inclusion_list",
    "connector settings": "connector_setting", "required automation": "required_automation",
}


def compare(world: World) -> ConformanceReport:
    """The whole comparison, once per session (every family's scenario reads the same report)."""
    report = world.memo.get("conformance")
    if report is None:
        report = check_conformance(world.profile, world.sandboxes)
        world.memo["conformance"] = report
        folder = evidence.run_dir()
        if folder is not None:
            (folder / CONFORMANCE_FILE).write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    return report


def family_of(words: str) -> str:
    kind = FAMILY_WORDS.get(words.strip().lower())
    if kind is None:
        raise failures.TestDataProblem(f"no clause family {words!r}; known: {', '.join(FAMILY_WORDS)}")
    return kind


def expect_family_conforms(report: ConformanceReport, words: str) -> None:
    kind = family_of(words)
    family = FAMILIES[kind]
    clauses = report.of(kind)
    rows = [{**c.to_json(), "status": c.status.value} for c in clauses]
    differing = report.with_status(Status.DIFFERS, kind)
    unevaluated = report.with_status(Status.NOT_EVALUATED, kind)
    evidence.attach_table(f"conformance: {words}", rows, COLUMNS,
                          summary=f"{words}: {len(clauses) - len(differing) - len(unevaluated)} conform, "
                                  f"{len(differing)} differ, {len(unevaluated)} not evaluated")
    if differing:
        raise FAILURES[family.category](
            f"{len(differing)} of {len(clauses)} clauses about {words} differ from the profile "
            f"(compared with {report.source or 'what the target describes'}):\n"
            + "\n".join(f"- {c.line()}" for c in differing))
    if clauses and len(unevaluated) == len(clauses):
        pytest.skip("; ".join(f"{NOT_EVALUATED_PREFIX}{c.item} ({c.reason})" for c in unevaluated))
    if not clauses:
        pytest.skip(f"{NOT_EVALUATED_PREFIX}the profile states no {words} clause for this target")


def expect_every_clause_evaluated(report: ConformanceReport) -> None:
    unevaluated = report.with_status(Status.NOT_EVALUATED)
    evidence.attach_table("conformance: clauses not evaluated", [c.to_json() for c in unevaluated],
                          ["kind", "item", "expected", "reason", "change_at", "functional_owner"],
                          summary=f"{len(unevaluated)} of {len(report.clauses)} clauses not evaluated")
    if unevaluated:
        pytest.skip("\n".join(f"{NOT_EVALUATED_PREFIX}{line}" for line in _grouped(unevaluated)))


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _grouped(clauses: list[Clause]) -> list[str]:
    """One residual risk per family and reason: against real sandboxes the 24 connector settings share one reason
    (no API for the settings pages), and one line naming them reads better than 24."""
    groups: dict[tuple[str, str], list[str]] = {}
    for clause in clauses:
        groups.setdefault((clause.kind, clause.reason), []).append(clause.item)
    lines = []
    for (kind, reason), items in groups.items():
        if len(items) == 1:
            lines.append(f"{kind}: {items[0]} ({reason})")
            continue
        named = ", ".join(_short(item.split(" (")[0]) for item in items[:3])
        more = f" and {len(items) - 3} more" if len(items) > 3 else ""
        lines.append(f"{kind}: {len(items)} clauses, {named}{more} ({reason})")
    return lines
