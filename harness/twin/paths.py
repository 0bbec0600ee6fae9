"""Where org fixtures live. An org is a folder name under fixtures/orgs/, or a path to such a folder."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ORGS_DIR = PROJECT_ROOT / "fixtures" / "orgs"


class UnknownOrg(ValueError):
    pass


def org_dir(org: str) -> Path:
    candidate = Path(org)
    if candidate.is_dir() and (candidate / "salesforce.yaml").exists():
        return candidate.resolve()
    named = ORGS_DIR / org
    if named.is_dir():
        return named
    known = sorted(p.name for p in ORGS_DIR.iterdir() if p.is_dir()) if ORGS_DIR.is_dir() else []
    raise UnknownOrg(f"org fixture {org!r} not found under {ORGS_DIR}; known orgs: {', '.join(known) or 'none'}")
