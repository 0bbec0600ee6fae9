"""The run's environment: what was tested, against what, with which versions. Shown in the sign-off report and
written as Allure's `environment.properties`, so a result can always be traced to its inputs."""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.paths import PROJECT_ROOT

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

PACKAGES = ("hubspot-salesforce-uat", "simple-salesforce", "hubspot-api-client", "pytest", "pytest-bdd",
            "allure-pytest-bdd")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _allure_version() -> str:
    package = PROJECT_ROOT / "node_modules" / "allure" / "package.json"
    if package.exists():
        return json.loads(package.read_text(encoding="utf-8")).get("version", "unknown")
    return "not installed"


def _git_commit() -> str | None:
    if not shutil.which("git"):
        return None
    completed = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=10, check=False)
    return completed.stdout.strip() or None if completed.returncode == 0 else None


def org_run(run_dir: Path, profile: Profile) -> str | None:
    """The twin org this run actually ran: `uat run --org` (kept in the run folder's run-state.json for resuming)
    overrides the profile's `target.org`, so the profile alone would name the wrong one."""
    settings = getattr(profile, "target", None)
    if getattr(settings, "kind", None) != "twin":
        return None
    try:
        state = json.loads((run_dir / "run-state.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        state = {}
    return (state.get("options") or {}).get("org") or getattr(settings, "org", None)


def run_environment(profile: Profile, target: str, organization: dict[str, Any] | None = None,
                    portal: dict[str, Any] | None = None, seed_manifest: dict[str, Any] | None = None,
                    selection: str | None = None, org: str | None = None) -> dict[str, Any]:
    source = Path(getattr(profile, "source", "."))
    mapping_hashes = {}
    for object_type, relative in sorted((getattr(profile, "mappings", None) or {}).items()):
        path = profile.resolve(relative)
        mapping_hashes[object_type] = {"file": str(relative), "sha256": sha256(path) if path.is_file() else "missing"}
    target_settings = getattr(profile, "target", None)
    organization, portal = organization or {}, portal or {}
    seed = getattr(profile, "seed", None)
    return {
        "profile": {"name": profile.name, "file": _relative(source),
                    "sha256": sha256(source) if source.is_file() else None},
        "mappings": mapping_hashes,
        "target": {"description": target, "kind": getattr(target_settings, "kind", None),
                   "twin_org": (org or getattr(target_settings, "org", None))
                   if getattr(target_settings, "kind", None) == "twin" else None},
        "salesforce": {k: organization.get(k) for k in ("Id", "Name", "InstanceName", "IsSandbox", "OrganizationType")
                       if organization.get(k) is not None},
        "hubspot": {k: portal.get(k) for k in ("portalId", "accountType", "uiDomain", "dataHostingLocation")
                    if portal.get(k) is not None},
        "seed": {"seed": (seed_manifest or {}).get("seed", getattr(seed, "seed", None)),
                 "scale": (seed_manifest or {}).get("scale", getattr(seed, "scale", None)),
                 "recipe": (seed_manifest or {}).get("recipe", getattr(seed, "recipe", None)),
                 "recipe_sha256": (seed_manifest or {}).get("recipe_sha256"),
                 "records": (seed_manifest or {}).get("records")},
        "selection": selection,
        "versions": {**{p: _version(p) for p in PACKAGES}, "allure (npm)": _allure_version(),
                     "python": platform.python_version()},
        "git_commit": _git_commit(),
    }


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def flat_environment(environment: dict[str, Any]) -> dict[str, str]:
    """One line per fact, for Allure's environment widget and the report's environment table."""
    flat: dict[str, str] = {}
    for section, value in environment.items():
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, dict):
                    inner = " ".join(f"{k}={v}" for k, v in inner.items() if v is not None)
                if inner is not None and inner != "":
                    flat[f"{section}.{key}"] = str(inner)
        elif value is not None:
            flat[section] = str(value)
    return flat


def write_environment_properties(results_dir: Path, environment: dict[str, Any]) -> Path:
    """Java properties, as Allure reads them: keys without spaces, values escaped."""
    def escape(text: str, key: bool = False) -> str:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\=").replace(":", "\\:")
        return text.replace(" ", "\\ ") if key else text

    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / "environment.properties"
    lines = [f"{escape(k, key=True)}={escape(v)}" for k, v in flat_environment(environment).items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
