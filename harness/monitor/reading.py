"""A check that cannot be read is an alert, not a crash and not a silence: the monitor is blind there until someone
fixes it (a token's scope, a permission, an outage), and the owner must hear about it. The other checks of the run
still report. A refused write (a bug) and the user's own errors (exit 2) are not caught."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from harness.errors import UserError
from harness.monitor.result import Alert, MonitorResult
from harness.sandboxes.readonly import WriteRefused


def _why(error: Exception) -> str:
    status = getattr(getattr(error, "response", None), "status_code", None) or getattr(error, "status", None)
    first = (str(error).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__}{f' {status}' if status else ''}: {first}".rstrip(": ")


@contextmanager
def reading(result: MonitorResult, check: str) -> Iterator[None]:
    try:
        yield
    except (WriteRefused, UserError):
        raise
    except Exception as error:
        why = _why(error)
        result.not_evaluated.append(f"{check}: not evaluated: the read failed ({why})")
        result.alerts.append(Alert(check, f"could not be read ({why}); this check is blind until that is fixed"))
