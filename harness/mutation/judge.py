"""Judging one mutant: the twin started on the mutated org, the contract checked, and the verdict on the mutant.

A mutant is killed only when the run would end NO-GO *for the right reason*: a clause of one of the families the
mutation belongs to differs, and its item names what was mutated (a failure elsewhere is not a kill). The
conformance phase is what every `uat run` does first, and a differing clause is a blocking failure, so judging
it alone is judging the run's verdict on the configuration, at a fraction of a full run's cost (no seeding). A
mutant it does not name goes to the second stage, a whole `uat run` (`judge_by_run`), where the behaviour scenarios
may still name it; only then is it a survivor (or, if it says why, an equivalent mutant).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.conformance.clauses import Status
from harness.conformance.engine import check_conformance
from harness.errors import UserError
from harness.mutation.mutants import Fixture, Mutant
from harness.paths import PROJECT_ROOT
from harness.profile import Profile
from harness.sandboxes import connect
from harness.sandboxes.twin_start import start_twin
from harness.sandboxes.twin_target import twin_credentials

FIXTURE_FILES = {"salesforce": "salesforce.yaml", "hubspot": "hubspot.yaml", "connector": "connector.yaml"}


@dataclass(frozen=True)
class Judgement:
    mutant: str
    kind: str
    description: str
    # killed | survived | equivalent (survived, and the mutant says why it makes no observable difference) |
    # invalid (the twin refused the mutated fixture: a configuration HubSpot's or Salesforce's settings would not save)
    outcome: str
    evidence: str  # the killing clause, what failed instead, or why the fixture was refused

    def to_json(self) -> dict[str, str]:
        return {"mutant": self.mutant, "kind": self.kind, "description": self.description, "outcome": self.outcome,
                "evidence": self.evidence}


def read_fixture(org_dir: Path) -> Fixture:
    return {name: yaml.safe_load((org_dir / file).read_text(encoding="utf-8")) for name, file in FIXTURE_FILES.items()}


def write_fixture(fixture: Fixture, org_dir: Path) -> None:
    org_dir.mkdir(parents=True, exist_ok=True)
    for name, file in FIXTURE_FILES.items():
        (org_dir / file).write_text(yaml.safe_dump(fixture[name], sort_keys=False, allow_unicode=True), encoding="utf-8")


def judge(mutant: Mutant, fixture: Fixture, profile: Profile) -> Judgement:
    with tempfile.TemporaryDirectory(prefix="uat-mutant-") as folder:
        org = Path(folder) / "org"
        write_fixture(mutant.applied_to(fixture), org)
        try:
            with start_twin(str(org), sync="manual") as twin:
                sandboxes = connect(twin_credentials(twin.info()))
                report = check_conformance(profile, sandboxes)
        except UserError as error:  # the twin refuses fixtures HubSpot's settings screens would not save
            return Judgement(mutant.id, mutant.kind, mutant.description, "invalid", str(error).splitlines()[0][:300])
    differing = [c for c in report.clauses if c.status is Status.DIFFERS]
    killing = next((c for c in differing if c.kind in mutant.families
                    and any(name.casefold() in c.item.casefold() for name in mutant.names)), None)
    if killing is not None:
        return Judgement(mutant.id, mutant.kind, mutant.description, "killed",
                         f"{killing.kind}: {killing.item}: expected {killing.expected}, actual {killing.actual}")
    elsewhere = "; ".join(f"{c.kind}: {c.item}" for c in differing[:3])
    return Judgement(mutant.id, mutant.kind, mutant.description, "survived",
                     f"no differing {'/'.join(mutant.families)} clause names it"
                     + (f" (other clauses differ: {elsewhere})" if elsewhere else ""))


RUN_FOLDER = re.compile(r"^run (\S+): (.+)$", re.MULTILINE)


def judge_by_run(mutant: Mutant, fixture: Fixture, profile_path: Path) -> Judgement:
    """The second stage, for a mutant the contract check did not name: a whole `uat run` on the mutated org (seed,
    every scenario, reconciliation, audit). Killed when the run ends NO-GO and a failed scenario names the item."""
    with tempfile.TemporaryDirectory(prefix="uat-mutant-") as folder:
        org = Path(folder) / "org"
        write_fixture(mutant.applied_to(fixture), org)
        completed = subprocess.run([sys.executable, "-m", "harness.cli", "run", "--profile", str(profile_path),
                                    "--org", str(org), "--no-html"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                   timeout=900, env={**os.environ, "CI": "1"})
    found = RUN_FOLDER.search(completed.stdout + "\n" + completed.stderr)
    report_file = Path(found.group(2).strip()) / "signoff.json" if found else None
    if completed.returncode not in (0, 1) or report_file is None or not report_file.exists():
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
        return Judgement(mutant.id, mutant.kind, mutant.description, "invalid", f"the run did not finish: {tail[0]}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    failed = [s for s in report.get("scenarios", []) if s.get("outcome") == "failed"]
    naming = next((s for s in failed if any(name.casefold() in " ".join(
        str(s.get(k) or "") for k in ("feature", "scenario", "message")).casefold() for name in mutant.names)), None)
    if report.get("verdict") == "NO-GO" and naming is not None:
        return Judgement(mutant.id, mutant.kind, mutant.description, "killed",
                         f"by the run: {naming.get('feature')}: {naming.get('scenario')}")
    if mutant.equivalent:
        return Judgement(mutant.id, mutant.kind, mutant.description, "equivalent", mutant.equivalent)
    return Judgement(mutant.id, mutant.kind, mutant.description, "survived",
                     f"the whole run ended {report.get('verdict')} with {len(failed)} failed scenario(s), none naming it")
