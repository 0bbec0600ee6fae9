"""What the reliability tests share: a long-running twin (`uat twin serve --state-dir`), `uat` as a user runs it,
profiles pointed at that twin, and the twin's state reduced to what a user of the sandboxes can see.

The runs go through the real command line in a subprocess, because interruptions (SIGINT, SIGKILL) and exit
codes are what is under test, and a killed process must not take the test with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

PROJECT = Path(__file__).resolve().parents[2]
REPORTS = PROJECT / "reports"
RUN_LINE = re.compile(r"run (\d{8}-\d{6}-[0-9a-f]{4})\b")


def clean_environment(**extra: str) -> dict[str, str]:
    """The machine's environment without any UAT_* left over from the caller, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UAT_")}
    env.update({"PYTHONUNBUFFERED": "1", "COLUMNS": "200", "NO_COLOR": "1"})
    env.update(extra)
    return env


def uat_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli", *[str(a) for a in args]]


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str

    @property
    def run_id(self) -> str | None:
        found = RUN_LINE.search(self.stderr)
        return found.group(1) if found else None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def uat(*args: str, env: dict[str, str] | None = None, timeout: float = 600, cwd: Path = PROJECT) -> Completed:
    """`uat ARGS` as a user runs it; `cwd` another copy of the project runs that copy's code."""
    done = subprocess.run(uat_command(*args), cwd=cwd, env=env or clean_environment(), capture_output=True,
                          text=True, timeout=timeout)
    return Completed(done.returncode, done.stdout, done.stderr)


# -- a twin that outlives the runs -------------------------------------------------------------------------
@dataclass
class ServedTwin:
    state_dir: Path
    org: str = "healthy"
    process: subprocess.Popen | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def start(self) -> ServedTwin:
        self.process = subprocess.Popen(uat_command("twin", "serve", "--org", self.org, "--state-dir", self.state_dir),
                                        cwd=PROJECT, env=clean_environment(), stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"uat twin serve exited with {self.process.wait()}")
        self.info = json.loads(line)
        return self

    def environment(self, **extra: str) -> dict[str, str]:
        """How a user points `uat` at this twin: its printed details as the sandboxes' credentials."""
        from harness.sandboxes.twin_target import twin_environment

        return clean_environment(**twin_environment(self.info), **extra)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.info["ca_bundle"]
        session.trust_env = False
        session.headers["Authorization"] = f"Bearer {self.info['control_token']}"
        return session

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session().request(method, self.info["control_url"] + path, json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def snapshot(self) -> dict[str, Any]:
        return self.control("GET", "/snapshot")

    def kill(self, signum: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


@contextlib.contextmanager
def served_twin(state_dir: Path, org: str = "healthy") -> Iterator[ServedTwin]:
    twin = ServedTwin(state_dir, org).start()
    try:
        yield twin
    finally:
        twin.stop()


# -- profiles pointed at it ----------------------------------------------------------------------------------
def sandbox_profile(folder: Path, scale: float | None = None, edit: Callable[[str], str] | None = None) -> Path:
    """A copy of the shipped profile (with its mappings and seed recipe) whose target is `sandboxes`: the
    credentials come from the environment, as for real sandboxes."""
    for part in ("mappings", "seed"):
        shutil.copytree(PROJECT / "fixtures" / part, folder / part, dirs_exist_ok=True)
    (folder / "profiles").mkdir(parents=True, exist_ok=True)
    text = (PROJECT / "fixtures" / "profiles" / "default.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*)kind: twin\b", r"\1kind: sandboxes", text)
    if scale is not None:
        text = re.sub(r"(?m)^(\s*)scale: [0-9.]+", rf"\g<1>scale: {scale}", text)
        assert f"scale: {scale}" in text
    if edit:
        text = edit(text)
    path = folder / "profiles" / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the state a user can see --------------------------------------------------------------------------------
def live_state(snapshot: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every live record, by object and id, with every column: a deleted Salesforce record (in the recycle bin,
    IsDeleted) and an archived or merged-away HubSpot object are gone for every user and API read, and the
    platforms purge them on their own schedule (15 and 90 days); they are the one residue a cleanup leaves."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for sobject, rows in snapshot["salesforce"].items():
        out[f"salesforce.{sobject}"] = {r["Id"]: r for r in rows if not r.get("IsDeleted")}
    for row in snapshot["hubspot"]:
        if not row.get("archived") and row.get("merged_into") is None:
            out.setdefault(f"hubspot.{row['object_type']}", {})[str(row["id"])] = row
    return out


def state_difference(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two live states, one line per record: empty when they are the same."""
    a, b = live_state(before), live_state(after)
    lines = []
    for name in sorted(set(a) | set(b)):
        old, new = a.get(name, {}), b.get(name, {})
        lines += [f"{name} {i}: left behind" for i in sorted(set(new) - set(old))]
        lines += [f"{name} {i}: deleted" for i in sorted(set(old) - set(new))]
        for record_id in sorted(set(old) & set(new)):
            changed = sorted(k for k in set(old[record_id]) | set(new[record_id])
                             if old[record_id].get(k) != new[record_id].get(k))
            if changed:
                lines.append(f"{name} {record_id}: changed {changed}")
    return lines


def new_records(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    a, b = live_state(before), live_state(after)
    return {name: {i: r for i, r in rows.items() if i not in a.get(name, {})} for name, rows in b.items()}


def identity_groups(records: dict[str, dict[str, dict[str, Any]]], tag: str) -> dict[str, Counter]:
    """Per object, how many identifying values (e-mail, else name) are shared by 1, 2, ... live records: a record
    created twice shows up as one more group of two than a run without faults has. (Sizes, not the values:
    scenarios make up fresh names on every run.)"""
    groups: Counter = Counter()
    for name, rows in records.items():
        for row in rows.values():
            props = json.loads(row["properties"]) if isinstance(row.get("properties"), str) else row
            value = props.get("Email") or props.get("email") or props.get("Name") or props.get("name") \
                or props.get("LastName") or props.get("Subject") or props.get("dealname") or props.get("subject")
            if value:
                groups[(name, str(value).strip().lower().replace(tag, "TAG"))] += 1
    sizes: dict[str, Counter] = {}
    for (name, _value), size in groups.items():
        sizes.setdefault(name, Counter())[size] += 1
    return sizes


def ledger(run_id: str) -> list[dict[str, Any]]:
    path = REPORTS / run_id / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def results(run_id: str) -> dict[str, str]:
    """Scenario name -> outcome."""
    path = REPORTS / run_id / "results.jsonl"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            item = json.loads(line)
            out[item["scenario"]] = item["outcome"]
    return out


def run_tag(run_id: str) -> str:
    return "uat" + run_id.replace("-", "")[-10:].lower()


def wait_for(predicate: Callable[[], bool], timeout: float, poll: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll)
    return False


def remove_run(run_id: str | None) -> None:
    if run_id and re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{4}", run_id):
        shutil.rmtree(REPORTS / run_id, ignore_errors=True)
