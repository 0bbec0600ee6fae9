"""`uat twin serve --env-file FILE`: the served twin's details as the `UAT_*` exports a `sandboxes` profile reads,
so a user points `uat run` at a long-running twin with `source FILE` (docs/reliability.md, "Resuming")."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

from harness.sandboxes import connect
from harness.sandboxes.credentials import credentials_from_env

ROOT = Path(__file__).resolve().parents[2]


def exports(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line)
        assert words[0] == "export"
        name, _, value = words[1].partition("=")
        out[name] = value
    return out


def test_the_env_file_holds_what_a_sandboxes_profile_needs_readable_by_its_owner_only(tmp_path):
    env_file = tmp_path / "twin.env"
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--env-file", str(env_file)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={k: v for k, v in os.environ.items() if not k.startswith("UAT_")})
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        variables = exports(env_file)
        assert variables["UAT_SF_INSTANCE_URL"] == info["salesforce_url"]
        assert variables["UAT_HUBSPOT_TOKEN"] == info["hubspot_token"]
        sandboxes = connect(credentials_from_env(variables))  # exactly what `uat run` does with them
        assert sandboxes.organization["IsSandbox"] is True and sandboxes.control is not None
    finally:
        process.terminate()
        process.wait(timeout=30)
