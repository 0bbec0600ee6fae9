"""Helpers for the monitor's tests: the command as a user runs it, and a profile that points at a served twin the
way a profile points at real sandboxes (target kind `sandboxes`, connection details from UAT_* variables)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"


# The integration user's login as the twin knows it: field-level security is then read as that user sees it, as in
# tests/conformance/test_mutants.py's "healthy conforms everywhere".
INTEGRATION_LOGIN = {"UAT_SF_INTEGRATION_USERNAME": "hubspot.integration@acme-uat.example.com",
                     "UAT_SF_INTEGRATION_PASSWORD": "twin-integration-pass",
                     "UAT_SF_INTEGRATION_SECURITY_TOKEN": "TWINTOKENINT"}


def uat_monitor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", "monitor", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def history_rows(reports: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(reports / "history.sqlite") as db:
        return db.execute("SELECT id, cadence, alerts FROM runs ORDER BY id").fetchall()


def sandboxes_profile(folder: Path) -> Path:
    """The shipped profile with `target.kind: sandboxes` (its files made absolute, so it can live elsewhere)."""
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    base = PROFILE.parent
    data["mappings"] = {k: str((base / v).resolve()) for k, v in data["mappings"].items()}
    data["seed"]["recipe"] = str((base / data["seed"]["recipe"]).resolve())
    data["target"] = {"kind": "sandboxes"}
    out = folder / "production.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def error_contacts(sandboxes: Any, start: int, count: int) -> None:
    """Contacts drifted's connector refuses (D1: Lead Status mapped to the lifecycle field): picklist errors."""
    for i in range(start, start + count):
        sandboxes.hubspot.create("contacts", {"email": f"monitor-{i}@example.com", "firstname": "Mon", "lastname": f"Itor{i}",
                                              "company": "Acme", "lifecyclestage": "lead"})
