"""Evidence from inside a scenario, for the people who read the reports: one call from a step (or the library)
attaches it to Allure where a reader looks for it, and notes it for the sign-off's defect log.

Steps stay thin: `attach_difference(...)`, `attach_table(...)`, `record_reconciliation(...)`,
`record_findings(...)`. The Allure hooks (`allure_hooks.py`) open and close the collection around each
scenario and add what they can see themselves (time-to-sync from the waiter, the deepdiff carried by a
failed expectation). Outside a UAT run (no Allure, no run folder) every helper is a harmless no-op.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import allure

from harness.signoff.findings import FINDINGS_FILES, normalise_findings
from harness.signoff.readable import data_blocks, integers, value_text
from harness.signoff.reconciliation import RECONCILIATION_FILE

# The scenario being collected (one per process: pytest-xdist workers are processes, and a worker runs one
# scenario at a time). `None` between scenarios: helpers then attach only.
_current: dict[str, Any] | None = None


def start_scenario(example: dict[str, str] | None = None) -> None:
    """`example`: a Scenario Outline row's values, so the sign-off can say which row failed."""
    global _current
    _current = {"items": [], "attachments": [], "time_to_sync": []}
    if example:
        _current["example"] = {str(k): str(v) for k, v in example.items()}


def finish_scenario() -> dict[str, Any]:
    global _current
    collected, _current = _current or {}, None
    return collected


def _note(name: str, summary: str | None = None, **data: Any) -> None:
    if _current is None:
        return
    _current["attachments"].append(name)
    if summary:
        _current["items"].append({"name": name, "summary": summary, **data})


def note_time_to_sync(entries: Iterable[dict[str, Any]]) -> None:
    if _current is not None:
        _current["time_to_sync"].extend(entries)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, default=str)


def attach_json(name: str, data: Any, summary: str | None = None) -> None:
    allure.attach(_json(data), name=name, attachment_type=allure.attachment_type.JSON)
    _note(name, summary)


def attach_text(name: str, text: str, summary: str | None = None) -> None:
    allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)
    _note(name, summary)


def difference_summary(difference: Any, limit: int = 3) -> str:
    """"Title: expected 'CTO', found not set; ..." from a deepdiff dict (verbose_level 2 or 1) or carried data."""
    lines = [line for block in data_blocks(difference) if block["kind"] == "text" for line in block["text"].splitlines()
             if line.strip()]
    if not lines:
        lines = [value_text(difference)]
    return "; ".join(lines[:limit]) + (" …" if len(lines) > limit else "")


def attach_difference(what: str, difference: Any, expected: Any = None, actual: Any = None) -> None:
    """The deepdiff of a failed expectation (expected on the left, observed on the right)."""
    difference = integers(difference)
    body: dict[str, Any] = {"expectation": what, "difference": difference}
    if expected is not None:
        body["expected"] = integers(expected)
    if actual is not None:
        body["actual"] = integers(actual)
    attach_json(f"difference: {what}"[:120], body, summary=f"{what}: {difference_summary(difference)}")


def _columns(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def table_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(rows, columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def table_html(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, title: str = "") -> str:
    cols = _columns(rows, columns)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in cols)
                   + "</tr>" for r in rows)
    style = ("<style>body{font:13px system-ui,sans-serif}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#f3f3f3}</style>")
    caption = f"<h3>{html.escape(title)}</h3>" if title else ""
    return f"<!doctype html><meta charset='utf-8'>{style}{caption}<table><tr>{head}</tr>{body}</table>"


def attach_table(name: str, rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
                 summary: str | None = None) -> None:
    """A table as HTML (to read) and CSV (to open in a spreadsheet), side by side."""
    allure.attach(table_html(rows, columns, name), name=f"{name} (table)", attachment_type=allure.attachment_type.HTML)
    allure.attach(table_csv(rows, columns), name=f"{name} (CSV)", attachment_type=allure.attachment_type.CSV)
    _note(name, summary)


def run_dir() -> Path | None:
    configured = os.environ.get("UAT_RUN_DIR")
    return Path(configured) if configured else None


def _append_line(path: Path, data: Any) -> None:
    # One write of one line with O_APPEND: workers of a parallel run may append to the same file.
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(data, default=str, sort_keys=True) + "\n")


def record_reconciliation(result: Any, folder: Path | None = None, keep: bool = True) -> None:
    """One object's reconciliation (an `ObjectReconciliation` or its dict): attached as tables, and (`keep`) kept
    in the run folder's `reconciliation.jsonl` for the sign-off report's reconciliation summary."""
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    name = str(data.get("name") or data.get("hubspot_object") or "object")
    counts = [{"object": name, "HubSpot": data.get("hubspot_count"), "Salesforce": data.get("salesforce_count"),
               "variance": data.get("variance"), "variance %": data.get("variance_pct"),
               "within tolerance": data.get("within_tolerance"), "mismatched pairs": data.get("mismatched_pairs"),
               "HubSpot only": data.get("unmatched_hubspot"), "Salesforce only": data.get("unmatched_salesforce")}]
    fields = [{"field": f, "mismatched records": n} for f, n in (data.get("field_mismatches") or {}).items()]
    totals = [{"total": t.get("name"), **g} for t in data.get("totals") or [] for g in t.get("groups") or []]
    clean = data.get("clean", False)
    attach_table(f"reconciliation: {name}", counts, summary=None if clean else
                 f"reconciliation of {name}: variance {data.get('variance')} ({data.get('variance_pct')}%), "
                 f"{data.get('mismatched_pairs')} mismatched records")
    if fields:
        attach_table(f"reconciliation: {name}, mismatches per field", fields)
    if totals:
        attach_table(f"reconciliation: {name}, key totals", totals)
    if data.get("evidence"):
        attach_json(f"reconciliation: {name}, deepdiff of mismatched records", data["evidence"])
    csv_path = data.get("mismatch_csv")
    if csv_path and Path(csv_path).is_file():
        allure.attach.file(csv_path, name=f"reconciliation: {name}, every mismatch (CSV)",
                           attachment_type=allure.attachment_type.CSV)
    folder = folder or run_dir()
    if folder is not None and keep:
        _append_line(folder / RECONCILIATION_FILE, data)


def record_findings(kind: str, findings: Any, folder: Path | None = None) -> list[dict[str, Any]]:
    """Audit or lint findings (`kind` "audit" | "lint"): attached as a table and kept in the run folder."""
    normalised = normalise_findings(findings) or []
    attach_table(f"{kind} findings", normalised, ["id", "severity", "where", "message", "fix"],
                 summary=None if not normalised else f"{len(normalised)} {kind} findings")
    folder = folder or run_dir()
    if folder is not None:
        (folder / FINDINGS_FILES[kind]).write_text(_json(normalised), encoding="utf-8")
    return normalised
