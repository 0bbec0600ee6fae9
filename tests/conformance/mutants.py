"""Single-change copies of the `healthy` org (and of the shipped profile), and the conformance engine run on them.

Each change is a text edit that must match exactly once, so a fixture that drifts under a test fails loudly
instead of silently testing an unchanged org.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from harness.conformance import ConformanceReport, Status, check_conformance
from harness.profile import load_profile
from harness.sandboxes import Sandboxes, connect
from harness.sandboxes.twin_target import twin_credentials

ROOT = Path(__file__).resolve().parents[2]
HEALTHY = ROOT / "fixtures" / "orgs" / "healthy"
DEFAULT = ROOT / "fixtures" / "profiles" / "default.yaml"

Edit = tuple[str, str, str]  # (file name, text to replace, replacement)


def _apply(folder: Path, edits: list[Edit]) -> None:
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{name}: {old!r} occurs {text.count(old)} times; the mutant needs exactly one"
        path.write_text(text.replace(old, new), encoding="utf-8")


def mutant_org(tmp_path: Path, *edits: Edit) -> Path:
    """A copy of fixtures/orgs/healthy under `tmp_path` with the edits applied (Twin.start takes a folder path)."""
    folder = tmp_path / "org"
    shutil.copytree(HEALTHY, folder)
    _apply(folder, list(edits))
    return folder


def mutant_profile(tmp_path: Path, *edits: Edit) -> Path:
    """A copy of the shipped profile with its mapping CSVs (edits name `default.yaml` or `mappings/<x>.csv`)."""
    shutil.copytree(ROOT / "fixtures" / "mappings", tmp_path / "mappings")
    shutil.copytree(ROOT / "fixtures" / "seed", tmp_path / "seed")
    (tmp_path / "profiles").mkdir()
    shutil.copy(DEFAULT, tmp_path / "profiles" / "default.yaml")
    for name, old, new in edits:
        _apply(tmp_path / ("profiles" if name.endswith(".yaml") else ""), [(name, old, new)])
    return tmp_path / "profiles" / "default.yaml"


def conformance_of(org: Path | str = "healthy", profile: Path = DEFAULT,
                   before: Callable[[Sandboxes], None] | None = None) -> ConformanceReport:
    """`before`: what to do through the real clients first (e.g. create a record owned by someone)."""
    from harness.twin import Twin

    with Twin.start(org=str(org)) as twin:
        sandboxes = connect(twin_credentials(twin.info()))
        if before is not None:
            before(sandboxes)
        return check_conformance(load_profile(profile), sandboxes)


def differing(report: ConformanceReport) -> dict[str, str]:
    """Differing clauses by id ("kind: item") -> their one-line description."""
    return {c.id: c.line() for c in report.clauses if c.status is Status.DIFFERS}
