"""Starting the twin from the harness: one place that turns a broken org fixture into the user's one-line error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.errors import UserError

if TYPE_CHECKING:
    from harness.twin import Twin


def start_twin(org: str, **options: Any) -> Twin:
    """Twin.start, with the fixture's own errors (which name the file, the key path and the fix) as UserError."""
    # deferred: the twin is loaded only when a twin is started (never on a real-sandbox run)
    from harness.twin import Twin
    from harness.twin.connector.settings import SettingsError
    from harness.twin.hubspot.properties import PortalError
    from harness.twin.paths import UnknownOrg
    from harness.twin.salesforce.schema import SchemaError

    try:
        return Twin.start(org=org, **options)
    except UnknownOrg as error:
        raise UserError(f"org {org!r}: {error}") from None
    except (SettingsError, SchemaError, PortalError) as error:
        raise UserError(str(error).splitlines()[0]) from None
    except OSError as error:
        where = f"port {options.get('port')}" if options.get("port") else f"state directory {options.get('state_dir')}"
        raise UserError(f"{where}: {error.strerror or error}; choose another") from None


__all__ = ["start_twin"]
