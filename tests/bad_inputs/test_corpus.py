"""Walks the whole bad-input corpus (cases.yaml): each case ends in one line naming the file, line or setting,
exit code 2, no traceback, and nothing written anywhere: the served twin's snapshot is unchanged, no run folder
appears (each case runs in its own copy of the project, so its reports/ must stay empty: a folder there fails the
case, it is not cleaned away), and the workspace holds exactly the files it was given. The corpus files are real
files a user could have written; see cases.yaml."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from reliability.support import (
    PROJECT,
    ServedTwin,
    clean_environment,
    sandbox_profile,
    state_difference,
    uat,
)

CORPUS = Path(__file__).resolve().parent
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.slow


def production_org(folder: Path, which: str) -> Path:
    """A copy of the healthy org that declares itself production: the harness must check, not trust a flag."""
    shutil.copytree(PROJECT / "fixtures" / "orgs" / "healthy", folder)
    if which == "production-org":
        path, old, new = folder / "salesforce.yaml", "is_sandbox: true", "is_sandbox: false"
    else:
        path, old, new = folder / "hubspot.yaml", "type: SANDBOX", "type: STANDARD"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> Iterator[dict[str, ServedTwin]]:
    """One served twin per org the corpus needs, started on first use."""
    started: dict[str, ServedTwin] = {}

    def get(org: str) -> ServedTwin:
        if org not in started:
            base = tmp_path_factory.mktemp(org)
            fixture = "healthy" if org == "healthy" else str(production_org(base / "org", org))
            started[org] = ServedTwin(base / "state", org=fixture).start()
        return started[org]

    yield get  # type: ignore[misc]
    for twin in started.values():
        twin.stop()


def project_copy(folder: Path) -> Path:
    """A copy of the project's code and suite with its own reports/ folder: whatever a case writes there is seen,
    and a bad feature file never touches the real features/ folder. (Compiled modules are copied too, their
    sources' times kept, so the copy starts as fast as the project.)"""
    for part in ("harness", "steps", "features", "fixtures"):
        shutil.copytree(PROJECT / part, folder / part, ignore=shutil.ignore_patterns("reports"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(PROJECT / name, folder / name)
    return folder


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()} \
        if folder.exists() else {}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_ends_in_one_clear_line_and_writes_nothing(case, tmp_path, twins):
    root = project_copy(tmp_path / "project")
    workspace = tmp_path / "workspace"
    profile = sandbox_profile(workspace)
    for destination, source in (case.get("place") or {}).items():
        target = (root if destination.startswith("features/") else workspace) / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / source, target)
    twin = twins(case.get("org", "healthy"))
    env = twin.environment() if case.get("env", "served") == "served" else clean_environment()

    def fill(value: object) -> str:
        return str(value).format(profile=profile, workspace=workspace, corpus=CORPUS)

    env.update({name: fill(value) for name, value in (case.get("set") or {}).items()})
    for name in case.get("unset") or []:
        env.pop(name, None)
    args = [fill(a) for a in case.get("args") or ["run", "--profile", "{profile}", "--no-html"]]
    before, given = twin.snapshot(), files_under(workspace)

    done = uat(*args, env=env, cwd=root, timeout=300)

    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    assert done.code == 2, done.output[-2000:]
    assert "Traceback" not in done.output
    assert lines and lines[-1].startswith("uat: "), done.stderr
    assert len(lines) == 1, f"more than the one line: {done.stderr}"
    message = lines[-1]
    missing = [word for word in case["expect"] if word not in message]
    assert not missing, f"{message!r} lacks {missing}"
    assert state_difference(before, twin.snapshot()) == []
    assert files_under(root / "reports") == {}, "a run folder was written"
    assert files_under(workspace) == given, "the workspace changed"


def test_the_corpus_is_walked_whole():
    """Every corpus file is used by a case, and every kind the issue names is there."""
    used = {source for case in CASES for source in (case.get("place") or {}).values()}
    used |= {m.group(1) for case in CASES for a in case.get("args") or [] for m in [re.search(r"\{corpus\}/(.+)", str(a))]
             if m}
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS}
    files = {f for f in files if "__pycache__" not in f}
    assert files - used == set()
    kinds = {case["id"].split("-")[0] for case in CASES}
    assert {"profile", "mapping", "recipe", "feature", "environment", "faults"} <= kinds


def test_a_mapping_export_with_a_utf8_bom_is_accepted(tmp_path):
    """HubSpot's export may start with a byte-order mark: that is not bad input."""
    from harness.profile import load_profile

    profile = sandbox_profile(tmp_path)
    csv = tmp_path / "mappings" / "contacts.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    assert len(load_profile(profile).field_mappings) > 5
