"""`uat twin serve`: the twin as a long-running local service, announced as one JSON line."""

from __future__ import annotations

import json
import os
import shlex
import signal
import threading
from pathlib import Path

import typer

from harness.errors import UserError

app = typer.Typer(help="The local twin of a Salesforce sandbox, a HubSpot portal and the connector.")


@app.command("serve")
def serve(org: str = typer.Option("healthy", help="org fixture under fixtures/orgs/ (or a path to one)"),
          port: int = typer.Option(0, help="Salesforce port; HubSpot and the control plane take the next two (0: any)"),
          state_dir: Path | None = typer.Option(None, help="keep state in DIR/twin.sqlite3 across restarts"),
          sync: str = typer.Option("manual", help="manual (cycles on request) or interval (cycles on a timer)"),
          interval: float | None = typer.Option(None, help="seconds between cycles with --sync interval"),
          env_file: Path | None = typer.Option(None, "--env-file", help="also write the details as `export UAT_...` "
                                               "lines to FILE (mode 600), for `source FILE` before `uat run` with a "
                                               "`sandboxes` profile")) -> None:
    """Serve the twin until interrupted; first print its connection details as one JSON line."""
    from harness.sandboxes.twin_start import start_twin

    if sync not in {"manual", "interval"}:
        raise UserError(f"--sync {sync}: use manual or interval")
    if env_file is not None and not env_file.parent.is_dir():
        raise UserError(f"--env-file {env_file}: the folder {env_file.parent} does not exist; give a path in one")
    twin = start_twin(org, state_dir=state_dir, sync=sync, port=port, interval_seconds=interval)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    if env_file is not None:
        write_env_file(env_file, twin.info())
    print(json.dumps(twin.info()), flush=True)
    try:
        stop.wait()
    finally:
        twin.stop()


def write_env_file(path: Path, info: dict) -> None:
    """The environment a `sandboxes` profile reads (harness/sandboxes/credentials.py), as shell exports; the file
    holds tokens, so only its owner may read it."""
    from harness.sandboxes.twin_target import twin_environment

    lines = [f"export {name}={shlex.quote(value)}" for name, value in twin_environment(info).items()]
    if path.is_dir() and not path.is_symlink():
        raise UserError(f"--env-file {path}: is a folder; give a file path")
    # A fresh 0600 file renamed over F: an existing F keeps no wider mode, and a symlink at F is replaced, never
    # followed (O_TRUNC on a link would write the tokens wherever it points).
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(temporary, path)
