"""The Allure 3 HTML report, as one self-contained file, by the npm package `allure` installed by make."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..paths import PROJECT_ROOT


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


def generate(results_dir: Path, output_dir: Path, report_name: str, history_path: Path | None = None) -> Path:
    config = {"name": report_name, "output": str(output_dir),
              "plugins": {"awesome": {"options": {"singleFile": True, "reportName": report_name}}}}
    if history_path is not None:
        config["historyPath"] = str(history_path)
    config_path = results_dir.parent / "allurerc.json"
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    completed = subprocess.run([*allure_command(), "generate", str(results_dir), "--config", str(config_path)],
                               cwd=results_dir.parent, capture_output=True, text=True, timeout=600)
    index = output_dir / "index.html"
    if completed.returncode != 0 or not index.exists():
        raise AllureUnavailable(f"allure generate failed (exit {completed.returncode}): "
                                f"{(completed.stderr or completed.stdout).strip()[-500:]}")
    return index
