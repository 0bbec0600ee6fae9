"""Automation audit and governance lint findings, in one shape for the report.

Both producers are being built beside the report (`uat lint`, the automation audit); their findings arrive as
dataclasses, pydantic models or dicts, passed in by the runner or read from the run folder (`lint.json`,
`audit.json`: a JSON list of findings). Any of id/rule, severity/level, message, fix, where/object is used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FINDINGS_FILES = {"lint": "lint.json", "audit": "audit.json"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _plain(item: Any) -> dict[str, Any]:
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    if hasattr(item, "__dataclass_fields__"):
        return {name: getattr(item, name) for name in item.__dataclass_fields__}
    if isinstance(item, dict):
        return item
    return {"message": str(item)}


def _severity(value: Any) -> str:
    text = str(getattr(value, "value", value) or "warning").lower()
    if text in {"error", "critical", "blocker", "high", "fatal"}:
        return "error"
    if text in {"info", "information", "low", "note", "notice"}:
        return "info"
    return "warning"


def normalise_findings(findings: Any) -> list[dict[str, Any]] | None:
    if findings is None:
        return None
    if hasattr(findings, "findings"):  # harness.audit.AuditReport, a lint report
        findings = findings.findings
    if isinstance(findings, dict):
        findings = findings.get("findings", [])
    out = []
    for raw in findings:
        item = _plain(raw)
        where = item.get("where") or item.get("location") or item.get("object") or item.get("automation")
        if item.get("field") and where:
            where = f"{where}.{item['field']}"
        out.append({
            "id": str(item.get("id") or item.get("rule") or item.get("rule_id") or item.get("code") or "-"),
            "severity": _severity(item.get("severity") or item.get("level")),
            "message": str(item.get("message") or item.get("description") or item.get("title") or ""),
            "fix": str(item.get("fix") or item.get("remedy") or item.get("suggestion") or ""),
            "where": str(where or item.get("system") or ""),
        })
    return sorted(out, key=lambda f: (SEVERITY_ORDER[f["severity"]], f["id"]))


def read_findings(run_dir: Path, kind: str) -> list[dict[str, Any]] | None:
    path = run_dir / FINDINGS_FILES[kind]
    if not path.exists():
        return None
    try:
        return normalise_findings(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError, AttributeError):
        return [{"id": "unreadable", "severity": "error", "message": f"{path.name} could not be read as findings",
                 "fix": "re-run the audit or lint", "where": path.name}]


def count_by_severity(findings: list[dict[str, Any]] | None) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings or []:
        counts[finding["severity"]] += 1
    return counts
