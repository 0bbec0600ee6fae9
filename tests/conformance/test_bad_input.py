"""A connector export that is not there is the user's error: one line naming the file, line and setting, exit 2."""

from __future__ import annotations

import subprocess
import sys

from .mutants import ROOT, mutant_profile


def test_a_missing_connector_export_is_one_line_with_exit_2(tmp_path):
    profile = mutant_profile(tmp_path, ("default.yaml", "# conformance:\n#   connector_export: ../exports/hubspot-mappings/\n",
                                        "conformance:\n  connector_export: ../exports/nowhere/\n"))
    done = subprocess.run([sys.executable, "-m", "harness.cli", "lint", str(profile)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "default.yaml:" in line and "conformance.connector_export: ../exports/nowhere/ not found" in line
    assert "Traceback" not in done.stderr
