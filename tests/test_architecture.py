"""The layers of docs/architecture.md, checked: import-linter's contracts (pyproject.toml) and no import cycle.

A cycle between modules is a module that cannot be understood (or imported) without the other; harness/ (the twin
included) has none, and a new one fails here with the modules that form it.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str | None:
    beside = Path(sys.executable).with_name("lint-imports")
    return str(beside) if beside.exists() else shutil.which("lint-imports")


def test_layer_contracts_hold():
    command = _lint_imports()
    if command is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative: the graph is deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_in_harness():
    """The harness and the twin alike (imports inside functions count: they are cycles put off, not removed)."""
    graph = grimp.build_graph("harness", exclude_type_checking_imports=True, cache_dir=None)
    assert _cycles(graph, set(graph.modules)) == []


def _says_why(lines: list[str], index: int) -> bool:
    """`# deferred: why` on the import's line, or on the comment line above the block of imports it belongs to."""
    while index >= 0:
        text = lines[index].strip()
        if "# deferred" in text:
            return True
        if not text.startswith(("from ", "import ")):
            return False
        index -= 1
    return False


def test_function_level_imports_of_the_library_say_why():
    """An import inside a function either defers a heavy import (and says so) or hides a cycle: only the first is
    kept. The command line defers its commands' machinery by design (harness/cli/__init__.py says why)."""
    unexplained = []
    for path in sorted((ROOT / "harness").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[1] in {"twin", "cli"}:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not _says_why(lines, inner.lineno - 1):
                    unexplained.append(f"{relative}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    assert unexplained == []
