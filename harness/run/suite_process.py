"""The suite's process: tied to the `uat run` that started it, and a Ctrl-C that says how to finish the run."""

from __future__ import annotations

import contextlib
import ctypes
import signal
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def interruption_hint(run_id: str, target_kind: str, progress: Callable[[str], None]) -> Iterator[None]:
    """On Ctrl-C, say how to finish the run before the CLI prints 'interrupted' (exit 130)."""
    try:
        yield
    except KeyboardInterrupt:
        if target_kind == "twin":
            progress(f"run {run_id} interrupted; the twin started for it stopped with it, taking its data along")
        else:
            progress(f"run {run_id} interrupted; finish it with `uat run --resume {run_id}`, or remove what it "
                     f"created with `uat cleanup --run {run_id}`")
        raise


def die_with_parent() -> None:
    """preexec_fn for the suite's subprocess: a SIGKILLed `uat run` takes its pytest with it (Linux
    PR_SET_PDEATHSIG), so nothing keeps writing to the sandboxes behind a run being resumed."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
