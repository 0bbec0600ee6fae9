"""`uat twin serve`: the twin as a long-running local service, announced as one JSON line."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import typer

from ..errors import UserError

app = typer.Typer(help="The local twin of a Salesforce sandbox, a HubSpot portal and the connector.")


@app.command("serve")
def serve(org: str = typer.Option("healthy", help="org fixture under fixtures/orgs/ (or a path to one)"),
          port: int = typer.Option(0, help="Salesforce port; HubSpot and the control plane take the next two (0: any)"),
          state_dir: Path | None = typer.Option(None, help="keep state in DIR/twin.sqlite3 across restarts"),
          sync: str = typer.Option("manual", help="manual (cycles on request) or interval (cycles on a timer)"),
          interval: float | None = typer.Option(None, help="seconds between cycles with --sync interval")) -> None:
    """Serve the twin until interrupted; first print its connection details as one JSON line."""
    from ..sandboxes.twin_start import start_twin

    if sync not in {"manual", "interval"}:
        raise UserError(f"--sync {sync}: use manual or interval")
    twin = start_twin(org, state_dir=state_dir, sync=sync, port=port, interval_seconds=interval)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(json.dumps(twin.info()), flush=True)
    try:
        stop.wait()
    finally:
        twin.stop()
