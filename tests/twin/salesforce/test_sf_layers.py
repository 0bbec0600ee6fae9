"""The Salesforce twin's wire layer (routes, responses, SOAP envelopes, the app) reads and writes state only
through the backend's methods: no SQL, no store, so a storage change never reaches the wire format."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "harness" / "twin" / "salesforce"
WIRE = sorted([*PACKAGE.glob("responses*.py"), *PACKAGE.glob("soap*.py"), PACKAGE / "app.py", PACKAGE / "urls.py"])


def test_the_wire_layer_never_touches_storage():
    touching = []
    for path in WIRE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"store", "db", "execute"}:
                touching.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert len(WIRE) >= 8 and touching == []


def test_save_context_needs_no_deferred_import():
    """SaveContext lives in its own module, so nothing imports models inside a function to reach it."""
    deferred = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models"):
                    deferred.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert deferred == []
