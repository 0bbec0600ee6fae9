"""Sign-off integrity: which report content a decision approves, and whether the run folder still agrees.

The *report content* is `signoff.json` without anything a decision changes (the sign-off table, its state, the
decision trail, the hashes themselves), as canonical JSON (sorted keys, no spaces, UTF-8). Its SHA-256 is written
into `signoff.json`, shown in `signoff.html` and `signoff.md`, and recorded in every decision. A decision whose hash
differs from the content shown is *stale*: it approved something else.

`decisions.jsonl` is a hash chain (each line names the SHA-256 of the line before it) and `signoff.json` records the
SHA-256 of the whole file as of the last rendering, so an edited or deleted line shows. This is tamper-evidence
against edits by hand, not a signature: someone who recomputes every hash can still forge a trail; the local
identity each decision records (OS user, git e-mail) says who typed it on which account.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Everything a decision changes: excluded from the content a decision approves.
DECISION_KEYS = ("signoff", "decisions", "content_sha256", "decisions_sha256")


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def sha256_text(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def report_content(data: dict[str, Any]) -> dict[str, Any]:
    """signoff.json's decision-independent content: the stakeholders as the profile lists them (role, name), not
    their decisions."""
    content = {k: v for k, v in data.items() if k not in DECISION_KEYS}
    content["stakeholders"] = [{"role": s.get("role"), "name": s.get("name")} for s in data.get("stakeholders") or []]
    return content


def content_sha256(data: dict[str, Any]) -> str:
    # A JSON round trip first: the hash of a report in memory equals the hash of the file written from it.
    plain = json.loads(json.dumps(data, default=str))
    return sha256_text(canonical(report_content(plain)))


def local_identity() -> dict[str, str | None]:
    """Who recorded a decision on this machine: the OS account and, where git knows one, the git e-mail."""
    try:
        user: str | None = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container with an arbitrary uid)
        user = None
    email = None
    if shutil.which("git"):
        try:
            done = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True, timeout=10,
                                  check=False)
            email = done.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            email = None
    return {"os_user": user, "git_email": email}


def identity_text(identity: dict[str, Any] | None) -> str:
    if not identity:
        return "not recorded"
    parts = [identity.get("os_user") and f"OS user {identity['os_user']}",
             identity.get("git_email") and f"git {identity['git_email']}"]
    return ", ".join(p for p in parts if p) or "not recorded"


@dataclass
class Check:
    subject: str
    status: str  # ok | stale | tampered | superseded
    detail: str

    @property
    def holds(self) -> bool:
        return self.status in ("ok", "superseded")


def chain_problems(lines: list[str]) -> list[str]:
    """Lines of decisions.jsonl whose link to the line before does not hold (edited, removed or inserted)."""
    problems = []
    previous = None
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"line {number} is not JSON")
            previous = sha256_text(line)
            continue
        if "previous_sha256" in data and data.get("previous_sha256") != previous:
            problems.append(f"line {number} does not follow line {number - 1}" if number > 1
                            else "line 1 claims a line before it")
        previous = sha256_text(line)
    return problems


def file_sha256(path: Path) -> str | None:
    return sha256_text(path.read_bytes()) if path.exists() else None
