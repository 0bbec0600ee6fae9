"""Evidence a person reads: a failure's message and the data it carried, without Python's way of printing them.

A failure message arrives as pytest saw it: `harness.uat.failures.Picklists: picklists: ...`, then lines that may
hold a markdown table, a dict or list printed with repr(), or a deepdiff. Here it becomes
- a summary line without the exception's class path, integers without `.0`, option dumps reduced to the labels;
- evidence blocks: `text` lines and whole `table`s (columns, rows), never cut mid-row. Renderers decide how much to
  show at once (the HTML collapses long tables into <details>; the JSON keeps them whole).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import Any

from harness.signoff.health import group_sync_errors

_CLASS_PATH = re.compile(r"^(?:E\s+)?(?:(?:[A-Za-z_]\w*\.)+[A-Z]\w*|AssertionError|Failed):\s*")
_FLOAT_INTEGER = re.compile(r"(?<![\w.])(-?\d+)\.0(?![\d.]|e)")
# HubSpot's INVALID_OPTION lists every option as "[label: X, value: X, displayOrder: 0, hidden: false, ...]".
_OPTION = re.compile(r"\[label: ([^,\]]+), value: [^\]]*\]")
_DEEPDIFF_PATH = re.compile(r"^root((?:\[[^\]]+\])+)$")
MAX_TABLE_ROWS = 200  # beyond this a table names how many rows were left out (the CSV attachment holds them all)


def integers(value: Any) -> Any:
    """Floats that are whole numbers as integers (owner ids come back from HubSpot as 71000003.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: integers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [integers(v) for v in value]
    return value


def plain_text(text: str) -> str:
    text = _CLASS_PATH.sub("", text.strip())
    text = _OPTION.sub(r"\1", text)
    return _FLOAT_INTEGER.sub(r"\1", text)


def shorten(text: str, limit: int = 400) -> str:
    """At a word boundary, marked: a summary line may be long; it is never cut mid-word."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def value_text(value: Any) -> str:
    value = integers(value)
    if value is None:
        return "not set"
    if isinstance(value, dict):
        return ", ".join(f"{k} {value_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value)
    return plain_text(str(value))


def _path(path: str) -> str:
    found = _DEEPDIFF_PATH.match(path)
    if not found:
        return path
    return ".".join(part.strip("'\"") for part in re.findall(r"\[([^\]]+)\]", found.group(1)))


def _table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    body = [[value_text(row.get(c)) if row.get(c) is not None else "" for c in columns] for row in rows]
    return table_block(list(columns), body)


def table_block(columns: list[str], rows: list[list[str]]) -> dict[str, Any]:
    kept = rows[:MAX_TABLE_ROWS]
    return {"kind": "table", "columns": columns, "rows": kept, "omitted": len(rows) - len(kept)}


def sync_error_rows(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sync Health errors grouped by (category, code, property): a count and one sample each."""
    return [{"category": g["label"], "code": g["code"], "property": g["property"] or "–", "records": g["records"],
             "sample": g["sample"]["message"]} for g in group_sync_errors(list(errors))]


_DEEPDIFF_KEYS = ("values_changed", "type_changes", "dictionary_item_added", "dictionary_item_removed",
                  "iterable_item_added", "iterable_item_removed")


def _deepdiff_lines(diff: dict[str, Any]) -> list[str]:
    lines = []
    for kind in ("values_changed", "type_changes"):
        for path, change in (diff.get(kind) or {}).items():
            if isinstance(change, dict) and "old_value" in change:
                lines.append(f"{_path(path)}: expected {value_text(change['old_value'])}, "
                             f"found {value_text(change.get('new_value'))}")
    for kind in _DEEPDIFF_KEYS[2:]:
        items = diff.get(kind)
        if isinstance(items, (list, dict)) and items:
            what = kind.replace("dictionary_item_", "").replace("iterable_item_", "")
            lines.append(f"{what}: " + ", ".join(_path(str(p)) for p in items))
    return lines


def _is_deepdiff(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(k in _DEEPDIFF_KEYS for k in value)


def data_blocks(data: Any) -> list[dict[str, Any]]:
    """A carried dict or list as blocks a person reads: deepdiffs as expected/found, Sync Health errors grouped,
    lists of records as tables, anything else as 'key: value' lines."""
    data = integers(data)
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        return [_table(data)]
    if not isinstance(data, dict):
        return [{"kind": "text", "text": value_text(data)}]
    if _is_deepdiff(data):
        return [{"kind": "text", "text": "\n".join(_deepdiff_lines(data))}]
    blocks: list[dict[str, Any]] = []
    lines: list[str] = []
    for key, value in data.items():
        if _is_deepdiff(value):
            lines.extend(f"{key}: {line}" for line in _deepdiff_lines(value))
        elif key == "sync errors" and isinstance(value, list):
            blocks.append({"kind": "text", "text": "Sync Health errors of the record:"})
            blocks.append(_table(sync_error_rows(value)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            blocks.append({"kind": "text", "text": f"{key}:"})
            blocks.append(_table(value))
        else:
            lines.append(f"{key}: {value_text(value)}")
    if lines:
        blocks.insert(0, {"kind": "text", "text": "\n".join(lines)})
    return blocks


def _markdown_table(lines: list[str]) -> dict[str, Any]:
    def cells(line: str) -> list[str]:
        return [plain_text(c.strip()) for c in line.strip().strip("|").split("|")]

    header, body = cells(lines[0]), [cells(line) for line in lines[1:] if not re.fullmatch(r"[|\s:-]+", line)]
    return table_block(header, body)


_TYPE_REPR = re.compile(r"<class '([\w.]+)'>")
_LABELLED = re.compile(r"^(.{1,200}?): ([\[{].*)$")


def _literal(line: str) -> Any:
    if not line.startswith(("{", "[")):
        return None
    try:
        # deepdiff's type_changes print the types themselves (<class 'str'>): read them as their names
        return ast.literal_eval(_TYPE_REPR.sub(r"'\1'", line))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def message_blocks(detail: str) -> list[dict[str, Any]]:
    """The lines after a failure's first line: markdown tables and printed dicts/lists become structured blocks."""
    blocks: list[dict[str, Any]] = []
    lines = detail.splitlines()
    index = 0
    text: list[str] = []

    def flush() -> None:
        if text:
            blocks.append({"kind": "text", "text": "\n".join(text)})
            text.clear()

    while index < len(lines):
        line = lines[index].rstrip()
        if line.lstrip().startswith("|"):
            flush()
            table = []
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                table.append(lines[index])
                index += 1
            blocks.append(_markdown_table(table))
            continue
        literal = _literal(line.strip())
        labelled = _LABELLED.match(line.strip()) if literal is None else None
        labelled_value = _literal(labelled.group(2)) if labelled else None
        if literal is not None:
            flush()
            blocks.extend(data_blocks(literal))
        elif labelled_value is not None and isinstance(labelled_value, dict) and not any(
                isinstance(v, (dict, list)) for v in labelled_value.values()):
            text.append(f"{plain_text(labelled.group(1))}: {value_text(labelled_value)}")
        elif labelled_value is not None:
            text.append(f"{plain_text(labelled.group(1))}:")
            flush()
            blocks.extend(data_blocks(labelled_value))
        elif line.strip():
            text.append(plain_text(line))
        index += 1
    flush()
    return blocks


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    """The blocks as plain text (whole tables, one row a line) for the JSON's `evidence` and the Markdown."""
    out = []
    for block in blocks:
        if block["kind"] == "table":
            out.append(" | ".join(block["columns"]))
            out.extend(" | ".join(row) for row in block["rows"])
            if block.get("omitted"):
                out.append(f"… and {block['omitted']} more rows")
        else:
            out.append(block["text"])
    return "\n".join(out)


def readable_message(message: str) -> str:
    """A whole failure message as a person reads it: the finding, then its evidence as text (for Allure)."""
    lines = message.strip().splitlines()
    if not lines:
        return ""
    rest = blocks_text(message_blocks("\n".join(lines[1:]))) if len(lines) > 1 else ""
    return plain_text(lines[0]) + ("\n" + rest if rest else "")
