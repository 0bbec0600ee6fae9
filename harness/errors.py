"""Errors a user can cause. Each is one line naming the file, field or setting, and the fix; exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or environment. The CLI prints `str(error)` alone (no traceback) and exits with code 2."""

    exit_code = 2


class ProductionRefused(UserError):
    """The target is a production org or portal: the harness only ever writes to sandboxes."""
