"""The calls every process of this machine made to one HubSpot portal in the last window, in one small file.

A run talks to HubSpot from several processes: the runner (seed, audit, cleanup), the suite's pytest session and
each of its xdist workers. The portal counts all of them against one burst limit. A window kept per process sees
only its own calls: when one process hands over to the next (the suite's last scenarios, then cleanup), the next
learns from `X-HubSpot-RateLimit-Remaining` that the window is spent but not when it frees up, and waits out a whole
window to be safe. Kept here, every process sees every call and when it leaves the window, as the portal does.

One line per call (`<cell id> <monotonic stamp>`), rewritten under an exclusive lock (`fcntl.flock`) for each
change; the system's monotonic clock is the same in every process. Files live in the temporary folder, one per
portal and token (the twin mints a token per start, so a test session leaves hundreds): a file no process has
touched for a minute holds no call of the window any more, so the next connection removes it (every access opens the
file by its path, and one removed under a process is simply made again).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: each process keeps its own window
    fcntl = None  # type: ignore[assignment]

STALE_SECONDS = 60.0  # well past the 10 s window


class SharedCalls:
    """Call cells ([stamp, id]) shared through `path`; `cells()` yields them for reading and changing, locked."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def cells(self) -> Iterator[list[list]]:
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "r+", encoding="ascii", errors="replace") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            cells = []
            for line in handle.read().splitlines():
                with contextlib.suppress(ValueError):
                    cell_id, stamp = line.split()
                    cells.append([float(stamp), cell_id])
            before = [list(cell) for cell in cells]
            yield cells
            if cells != before:
                handle.seek(0)
                handle.truncate()
                handle.write("".join(f"{cell_id} {stamp!r}\n" for stamp, cell_id in cells))


def shared_calls(host: str, token: str, kind: str) -> SharedCalls | None:
    """The file for one portal (host and token) and one limit (`kind`), or None where files cannot be locked."""
    if fcntl is None:
        return None
    folder = Path(tempfile.gettempdir()) / f"uat-hubspot-pacing-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        _remove_stale(folder)
    except OSError:
        return None
    digest = hashlib.sha256(f"{host.rstrip('/')}\n{token}".encode()).hexdigest()[:32]  # never the token itself
    shared = SharedCalls(folder / f"{digest}.{kind}")
    try:
        with shared.cells():
            pass
    except OSError:  # a folder this user cannot write: each process keeps its own window
        return None
    return shared


def _remove_stale(folder: Path) -> None:
    now = time.time()
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
