"""The Allure 3 HTML report, as one self-contained file, by the npm package `allure` installed by make.

The config carries what makes the report ours: categories matching the harness's failure kinds (by the
`failure_kind` label the Allure hooks put on every failed scenario, so Allure and the defect log can never
disagree), a quality gate from the profile's exit criteria, and the history file that carries trends across
runs (`historyPath`, one JSON line per run; CI caches it between runs, see docs/regression.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from harness.paths import PROJECT_ROOT
from harness.signoff.categories import CATEGORIES

FAILURE_KIND_LABEL = "failure_kind"
# Shared by every run of this checkout; UAT_ALLURE_HISTORY moves it (a CI cache path, a network share).
DEFAULT_HISTORY = PROJECT_ROOT / "reports" / "allure-history.jsonl"


class AllureUnavailable(RuntimeError):
    pass


def allure_command() -> list[str]:
    local = PROJECT_ROOT / "node_modules" / ".bin" / "allure"
    if local.exists():
        return [str(local)]
    found = shutil.which("allure")
    if found:
        return [found]
    raise AllureUnavailable("the npm package 'allure' is not installed; run `make setup` (npm ci) in the project root")


def history_path() -> Path:
    configured = os.environ.get("UAT_ALLURE_HISTORY")
    return Path(configured).resolve() if configured else DEFAULT_HISTORY


def category_rules() -> list[dict[str, Any]]:
    rules = [{"id": key, "name": name,
              "matchers": {"statuses": ["failed", "broken"], "labels": {FAILURE_KIND_LABEL: f"^{re.escape(name)}$"}}}
             for key, name in CATEGORIES.items() if key != "other"]
    return rules


def quality_gate(profile: Any) -> dict[str, Any]:
    criteria = getattr(profile, "exit_criteria", None)
    return {"rules": [{"id": "exit-criteria", "minTestsCount": 1,
                       "maxFailures": int(getattr(criteria, "max_failed_scenarios", 0) or 0),
                       "successRate": float(getattr(criteria, "min_pass_rate", 1.0) if criteria else 1.0)}]}


def write_config(results_dir: Path, output_dir: Path, report_name: str, history: Path | None,
                 profile: Any = None) -> Path:
    config: dict[str, Any] = {
        "name": report_name, "output": str(output_dir),
        "plugins": {"awesome": {"options": {"singleFile": True, "reportName": report_name,
                                            "groupBy": ["epic", "feature", "story"]}}},
        "categories": {"rules": category_rules()},
    }
    if profile is not None:
        config["qualityGate"] = quality_gate(profile)
    if history is not None:
        history.parent.mkdir(parents=True, exist_ok=True)
        config["historyPath"] = str(history)
        config["historyLimit"] = 50  # trend charts stay readable and the file stays small
    path = results_dir.parent / "allurerc.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def generate(results_dir: Path, output_dir: Path, report_name: str, history_path: Path | None = None,
             profile: Any = None) -> Path:
    config_path = write_config(results_dir, output_dir, report_name, history_path, profile)
    completed = subprocess.run([*allure_command(), "generate", str(results_dir), "--config", str(config_path)],
                               cwd=results_dir.parent, capture_output=True, text=True, timeout=600)
    index = output_dir / "index.html"
    if completed.returncode != 0 or not index.exists():
        raise AllureUnavailable(f"allure generate failed (exit {completed.returncode}): "
                                f"{(completed.stderr or completed.stdout).strip()[-500:]}")
    strip_analytics(index)
    return index


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_quality_gate(results_dir: Path, profile: Any) -> dict[str, Any]:
    """Allure's own verdict on the exit criteria's thresholds (`allure quality-gate`), as a cross-check of the
    sign-off. A config of its own: the gate must not append a second history entry for the run."""
    node = _node_major()
    if node is not None and node < 22:
        # Allure 3.18's gate calls Iterator.prototype.toArray (Node 22+): on older Node it can only crash.
        return {"passed": None, "rules": quality_gate(profile)["rules"][0],
                "detail": f"not evaluated: Allure's quality gate needs Node 22 or later (this is Node {node})"}
    with tempfile.TemporaryDirectory(prefix="uat-quality-gate-") as scratch:
        # Its own output folder too: the command writes nothing we keep, and must not touch the HTML report.
        config = Path(scratch) / "allurerc.json"
        config.write_text(json.dumps({"name": "quality gate", "output": str(Path(scratch) / "out"),
                                      "qualityGate": quality_gate(profile)}, indent=2), encoding="utf-8")
        completed = subprocess.run([*allure_command(), "quality-gate", str(results_dir), "--config", str(config)],
                                   cwd=scratch, capture_output=True, text=True, timeout=300)
    detail = _ANSI.sub("", (completed.stderr or completed.stdout or "").strip())
    judged = completed.returncode == 0 or any(rule in detail for rule in _GATE_MESSAGES)
    # Allure 3.18's gate calls Iterator.prototype.toArray, which Node gained in 22: on older Node it crashes,
    # and a crash is "not evaluated", never "failed".
    return {"passed": (completed.returncode == 0) if judged else None, "rules": quality_gate(profile)["rules"][0],
            "detail": (detail[-1000:] or "every rule passed") if judged else
            f"not evaluated: allure quality-gate exited {completed.returncode} ({detail.splitlines()[0][:200] if detail else 'no output'})"}


def _node_major() -> int | None:
    node = shutil.which("node")
    if not node:
        return None
    completed = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    found = re.match(r"v(\d+)", completed.stdout.strip())
    return int(found.group(1)) if found else None


_GATE_MESSAGES = ("failed tests", "Success rate", "total number of tests", "quality gate rules have been failed")


# The awesome plugin always embeds Google Analytics (no option turns it off in 3.x). A UAT report of customer
# sandboxes is opened on laptops and CI artifacts: it must not call anyone, and must work offline.
_ANALYTICS = re.compile(r'<script async src="https://www\.googletagmanager\.com/[^"]*"></script>\s*'
                        r"<script>\s*window\.dataLayer.*?</script>", re.S)


def strip_analytics(index: Path) -> None:
    text = index.read_text(encoding="utf-8")
    stripped = _ANALYTICS.sub("", text, count=1)
    if stripped != text:
        index.write_text(stripped, encoding="utf-8")
