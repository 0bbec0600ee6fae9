"""`uat mappings export`: field mappings in HubSpot's export shape, with labels and types from the target."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from harness.cli.lint import DEFAULT_PROFILE
from harness.errors import UserError

app = typer.Typer(help="Field mappings in the shape of HubSpot's mapping export.")


@app.command("export")
def export(profile: Path = typer.Argument(DEFAULT_PROFILE, help="integration profile (YAML)"),
           out: Path = typer.Option(..., "--out", help="folder to write <object>.csv into"),
           connector: bool = typer.Option(False, "--connector", help="export the mappings the twin's connector is "
                                          "running instead of the profile's (twin targets only)"),
           org: str | None = typer.Option(None, help="twin only: the org fixture (default: the profile's)")) -> None:
    """Write one CSV per HubSpot object, labels and types filled from what the target describes."""
    from harness.lint.mapping_export import connector_mappings, described, export_mappings
    from harness.profile import load_profile
    from harness.run.runner import target

    loaded = load_profile(profile)
    mappings = loaded.field_mappings  # a bad profile CSV stops here, before connecting
    console = Console(stderr=True)
    with target(loaded, org) as (_environment, sandboxes, description):
        if connector:
            if sandboxes.control is None:
                raise UserError("--connector: HubSpot offers no API for the connector's field mappings; export them "
                                "from the integration's settings page, or run against the twin")
            mappings = connector_mappings(sandboxes.control.connector_settings())
        written = export_mappings(described(mappings, sandboxes), out)
    what = "the connector's mappings" if connector else "the profile's mappings"
    console.print(f"exported {what} from {description}:")
    for hubspot_object, path in written.items():
        console.print(f"  {hubspot_object}: {path}")
    if connector:
        console.print("compare with the governed mappings: uat impact EXPECTED.csv EXPORTED.csv")
