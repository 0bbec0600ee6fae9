"""Where the project's own folders are, for the harness (the twin keeps its own copy: it never imports harness)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT_ROOT / "fixtures"
REPORTS = PROJECT_ROOT / "reports"
