"""`uat reconcile`: a clean twin exits 0, a planted difference exits 1 with the report files, bad options exit 2
with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.twin.twin import Twin
from harness.twin.volume import fill_contacts

PROJECT = Path(__file__).resolve().parents[2]


def uat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", "reconcile", *args], cwd=PROJECT, capture_output=True,
                          text=True, timeout=300)


def filled_state(folder: Path, contacts: int, differ_every: int = 0) -> Path:
    twin = Twin(org="healthy", state_dir=folder)
    fill_contacts(twin, contacts, differ_every=differ_every)
    twin.stop()
    return folder


def test_a_clean_population_exits_0_and_a_difference_exits_1_with_the_reports(tmp_path: Path) -> None:
    clean = uat("--scope", "all", "--state-dir", str(filled_state(tmp_path / "clean", 50)), "--out", str(tmp_path / "a"))
    assert clean.returncode == 0, clean.stderr
    assert "CLEAN" in clean.stdout and "contacts <-> Lead/Contact" in clean.stdout
    differs = uat("--scope", "all", "--state-dir", str(filled_state(tmp_path / "differs", 50, differ_every=10)),
                  "--out", str(tmp_path / "b"))
    assert differs.returncode == 1, differs.stderr
    assert "NOT CLEAN" in differs.stdout
    rows = (tmp_path / "b" / "contacts-mismatches.csv").read_text().splitlines()
    assert len(rows) == 1 + 5 and all(",firstname," in row for row in rows[1:])
    for name in ("summary.csv", "report.md", "report.json", "extraction.json"):
        assert (tmp_path / "b" / name).exists()


def test_bad_options_end_in_one_line_and_exit_2(tmp_path: Path) -> None:
    for args, expected in ((["--scope", "everything"], "--scope 'everything'"),
                           (["--scope", "all", "--run", "latest"], "--run"),
                           (["--scope", "run"], "--run RUN"),
                           (["--scope", "all", "--state-dir", str(tmp_path)], "--state-dir")):
        done = uat(*args, "--out", str(tmp_path / "out"))
        assert done.returncode == 2, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr
        assert not (tmp_path / "out").exists()
