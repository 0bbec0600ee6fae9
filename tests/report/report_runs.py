"""Real runs for the report tests: `uat run` as a user types it, on the healthy twin and on runs that must fail.

A failing run needs a real divergence, never a doctored result file: the profile's mapping CSV is made to
disagree with the connector's actual mapping (`company` expected on Lead.Title, as after a careless edit of the
CSV), and the `drifted` org fixture is used as soon as it exists.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"
RUN_ID = re.compile(r"\brun (\d{8}-\d{6}-[0-9a-f]{4})\b")


@dataclass
class Run:
    completed: subprocess.CompletedProcess
    folder: Path

    @cached_property
    def signoff(self) -> dict[str, Any]:
        return json.loads((self.folder / "signoff.json").read_text(encoding="utf-8"))

    @cached_property
    def results(self) -> list[dict[str, Any]]:
        path = self.folder / "results.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    @cached_property
    def allure_results(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in (self.folder / "allure-results").glob("*-result.json")]

    def text(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")


def uat(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200", **(env or {})})


def uat_run(*args: str, history: Path) -> Run:
    completed = uat("run", *args, env={"UAT_ALLURE_HISTORY": str(history)})
    found = RUN_ID.search(completed.stderr)
    assert found, f"uat run printed no run id (exit {completed.returncode}):\n{completed.stderr[-3000:]}"
    folder = ROOT / "reports" / found.group(1)
    assert (folder / "signoff.json").exists(), completed.stderr[-3000:]
    return Run(completed, folder)


def mismatched_profile(folder: Path) -> Path:
    """The shipped profile, with a contacts CSV that expects HubSpot `company` in Lead.Title (the connector maps
    it to Company, and Title from `jobtitle`): every check of that field must fail as a mapping mismatch."""
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    base = PROFILE.parent
    data["mappings"] = {k: str((base / v).resolve()) for k, v in data["mappings"].items()}
    data["seed"]["recipe"] = str((base / data["seed"]["recipe"]).resolve())
    rows = list(csv.DictReader(Path(data["mappings"]["contacts"]).read_text(encoding="utf-8-sig").splitlines()))
    edited = []
    for row in rows:
        if row["HubSpot property internal name"] == "jobtitle":
            continue
        if row["HubSpot property internal name"] == "company":
            row = {**row, "Salesforce field": "Title", "Salesforce field API name": "Title"}
        edited.append(row)
    contacts = folder / "contacts.csv"
    with contacts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(edited)
    data["mappings"]["contacts"] = str(contacts)
    data["name"] = "Acme Revenue - mapping drift (company on Lead.Title)"
    profile = folder / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return profile
