"""The twin: a Salesforce sandbox, a HubSpot sandbox portal and the native connector, on loopback HTTPS.

    with Twin.start(org="healthy") as twin:
        twin.salesforce_url, twin.salesforce_session_id, twin.hubspot_url, twin.hubspot_token, twin.ca_bundle
        twin.sync_now()

Each start mints fresh credentials; requests without them get the platform's 401. State is one SQLite
database: a scratch file in the twin's temporary folder by default (gone when it stops), or
`state_dir/twin.sqlite3` so it survives a restart.
"""

from __future__ import annotations

import secrets
import shutil
import string
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from .clock import now_ms
from .connector.engine import Connector
from .connector.settings import load_settings
from .control.app import ControlApp
from .hubspot.app import HubSpotApp
from .hubspot.models import HubSpotBackend
from .hubspot.portal import load_portal
from .listener import Listener, PortInUse, listen
from .paths import org_dir
from .salesforce.app import SalesforceApp
from .salesforce.ids import make_id
from .salesforce.models import SalesforceBackend
from .salesforce.schema import load_org_schema
from .store import Store
from .tls import TwinCertificates

_ALNUM = string.ascii_letters + string.digits


def _session_id(organization_id: str) -> str:
    # Shaped like a real one: the org id, '!', then an opaque token.
    return organization_id[:15] + "!" + "".join(secrets.choice(_ALNUM + "._") for _ in range(96))


def _private_app_token() -> str:
    return "pat-na1-" + "-".join(secrets.token_hex(n) for n in (4, 2, 2, 2, 6))


class Twin:
    def __init__(self, org: str = "healthy", state_dir: Path | str | None = None, sync: str = "manual",
                 port: int = 0, interval_seconds: float | None = None) -> None:
        if sync not in {"manual", "interval"}:
            raise ValueError("sync must be 'manual' or 'interval'")
        self.org = org
        self.org_path = org_dir(org)
        self.sync_mode = sync
        self._own_dir = state_dir is None
        self.state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="uat-twin-"))
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # Without a state_dir the state is a scratch file in the twin's own temporary folder, gone with the twin.
        self.store = Store(self.state_dir / "twin.sqlite3", durable=state_dir is not None)
        self.salesforce = SalesforceBackend(self.store, load_org_schema(self.org_path / "salesforce.yaml"))
        self.hubspot = HubSpotBackend(self.store, load_portal(self.org_path / "hubspot.yaml"))
        self.settings = load_settings(self.org_path / "connector.yaml")
        self.connector = Connector(self.store, self.salesforce, self.hubspot, self.settings,
                                   source=str(self.org_path / "connector.yaml"))
        self.interval_seconds = interval_seconds or self.settings.interval_seconds
        self.certificates = TwinCertificates(self.state_dir / "tls")
        self.salesforce_session_id = _session_id(self.salesforce.organization_id)
        self.hubspot_token = _private_app_token()
        self.control_token = secrets.token_urlsafe(32)
        self.salesforce_app = SalesforceApp(self.salesforce, self.salesforce_session_id)
        self.hubspot_app = HubSpotApp(self.hubspot, self.hubspot_token)
        self.control_app = ControlApp(self, self.control_token)
        self._port = port
        self._listeners: list[Listener] = []
        self._stop = threading.Event()
        self._interval_thread: threading.Thread | None = None
        self._interval_stop = threading.Event()

    # -- lifecycle ------------------------------------------------------------------------------------
    @classmethod
    def start(cls, org: str = "healthy", state_dir: Path | str | None = None, sync: str = "manual", port: int = 0,
              interval_seconds: float | None = None) -> Twin:
        twin = cls(org=org, state_dir=state_dir, sync=sync, port=port, interval_seconds=interval_seconds)
        twin._serve()
        return twin

    def _serve(self) -> None:
        base = self._port
        try:
            for offset, (app, name) in enumerate(((self.salesforce_app, "salesforce"), (self.hubspot_app, "hubspot"),
                                                  (self.control_app, "control"))):
                self._listeners.append(listen(app, base + offset if base else 0, self.certificates, name))
        except PortInUse as error:
            # The listeners already up would keep the process alive (cheroot runs a non-daemon thread per server).
            self.stop()
            error.strerror = f"{error.strerror}; the twin takes ports {base}, {base + 1} and {base + 2}"
            raise
        except BaseException:
            self.stop()
            raise
        if self.sync_mode == "interval":
            self._start_interval()

    def _start_interval(self) -> None:
        self._interval_stop = threading.Event()
        self._interval_thread = threading.Thread(target=self._run_interval, args=(self._interval_stop,),
                                                 name="twin-connector", daemon=True)
        self._interval_thread.start()

    def _run_interval(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval_seconds) and not self._stop.is_set():
            self.connector.run_cycle()

    def set_sync_mode(self, mode: str, seconds: float | None = None) -> None:
        """Switch between manual cycles and background cycles every `seconds` (control plane: /connector/interval)."""
        if mode not in {"manual", "interval"}:
            raise ValueError(f"mode {mode!r}: use manual or interval")
        if seconds is not None:
            if float(seconds) <= 0:
                raise ValueError("seconds must be positive")
            self.interval_seconds = float(seconds)
        if self._interval_thread is not None:
            self._interval_stop.set()
            self._interval_thread.join(timeout=30)
            self._interval_thread = None
        self.sync_mode = mode
        if mode == "interval":
            self._start_interval()

    def stop(self) -> None:
        self._stop.set()
        if self._interval_thread:
            self._interval_stop.set()
        for listener in self._listeners:
            listener.stop()
        self._listeners.clear()
        if self._interval_thread:
            self._interval_thread.join(timeout=10)
        self.store.close()
        if self._own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Twin:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- the contract ---------------------------------------------------------------------------------
    @property
    def salesforce_url(self) -> str:
        return f"https://127.0.0.1:{self._listeners[0].port}"

    @property
    def hubspot_url(self) -> str:
        return f"https://127.0.0.1:{self._listeners[1].port}"

    @property
    def control_url(self) -> str:
        return f"https://127.0.0.1:{self._listeners[2].port}"

    @property
    def ca_bundle(self) -> str:
        return str(self.certificates.ca_bundle)

    def info(self) -> dict[str, Any]:
        return {"salesforce_url": self.salesforce_url, "salesforce_session_id": self.salesforce_session_id,
                "hubspot_url": self.hubspot_url, "hubspot_token": self.hubspot_token, "ca_bundle": self.ca_bundle,
                "control_url": self.control_url, "control_token": self.control_token, "org": self.org,
                "sync": self.sync_mode}

    def sync_now(self) -> dict[str, Any]:
        return self.connector.run_cycle().as_dict()

    def health(self) -> dict[str, Any]:
        """Sync Health: errors by category and record, API usage and allocation, suspension, last successful sync."""
        summary = self.connector.sync_health()
        summary.update({"now_ms": now_ms(), "sync": self.sync_mode, "interval_seconds": self.interval_seconds})
        return summary

    def snapshot(self) -> dict[str, Any]:
        return {"salesforce": self.salesforce.snapshot(), "hubspot": self.hubspot.snapshot()}


__all__ = ["Twin", "make_id"]
