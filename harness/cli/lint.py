"""`uat lint [PROFILE] [--json] [--against]`: governance rules on the profile (and the connected sandboxes)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from harness.paths import PROJECT_ROOT

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"


def lint(profile: Path = typer.Argument(DEFAULT_PROFILE, help="integration profile (YAML)"),
         as_json: bool = typer.Option(False, "--json", help="print the findings as JSON"),
         against: bool = typer.Option(False, "--against", help="also compare the profile with its target: the twin "
                                      "(started for the check) or the sandboxes (credentials from UAT_SF_*, "
                                      "UAT_HUBSPOT_*)"),
         org: str | None = typer.Option(None, help="twin only: the org fixture to compare with (default: the "
                                        "profile's)")) -> None:
    """Check the profile and its mapping CSVs against the governance rules. Exit 1 on any error-level finding."""
    from harness.lint import has_errors, lint_profile
    from harness.lint.engine import sort_findings
    from harness.lint.render import as_json as render_json
    from harness.lint.render import print_table
    from harness.profile import load_profile

    loaded = load_profile(profile)
    findings = lint_profile(loaded)
    target = None
    if against:
        from harness.lint.against import lint_against
        from harness.run.runner import target as connect_target

        with connect_target(loaded, org) as (_environment, sandboxes, target):
            findings = sort_findings(findings + lint_against(loaded, sandboxes))
    if as_json:
        sys.stdout.write(render_json(profile, findings, target) + "\n")
    else:
        print_table(Console(width=None if sys.stdout.isatty() else 160), profile, findings, target)
    raise typer.Exit(1 if has_errors(findings) else 0)
