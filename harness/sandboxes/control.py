"""The twin's control plane, as the harness sees it: the only twin-specific client, absent in real mode."""

from __future__ import annotations

import time
from typing import Any

from harness.sandboxes.credentials import TwinControlCredentials
from harness.sandboxes.http import platform_session


class ConnectorRefused(ValueError):
    """The connector refused a settings change (its reason is the message), as HubSpot's settings screen would."""


class TwinControl:
    def __init__(self, credentials: TwinControlCredentials, ca_bundle: str | None) -> None:
        self.url = credentials.url.rstrip("/")
        self.session = platform_session(ca_bundle)
        self.session.headers["Authorization"] = f"Bearer {credentials.token.reveal()}"

    def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.session.post(self.url + path, json=body or {}, timeout=120)
        response.raise_for_status()
        return response.json()

    def sync_now(self, cycles: int = 1) -> list[dict[str, Any]]:
        """Run connector cycles now: the twin's stand-in for waiting for HubSpot's next check."""
        return self._post("/sync", {"cycles": cycles})["cycles"]

    def sync_cycle(self, patience: float = 60.0) -> dict[str, Any]:
        """One connector cycle that really ran: a cycle the paused connector skipped checked nothing, so it does
        not count toward a sync window (a fault profile pauses the connector for part of every window)."""
        deadline = time.monotonic() + patience
        while True:
            stats = self.sync_now()[-1]
            if not stats.get("paused") or time.monotonic() >= deadline:
                return stats
            time.sleep(0.25)

    def health(self) -> dict[str, Any]:
        response = self.session.get(self.url + "/health", timeout=30)
        response.raise_for_status()
        return response.json()

    def pause(self) -> None:
        self._post("/pause")

    def resume(self) -> None:
        self._post("/resume")

    def snapshot(self) -> dict[str, Any]:
        response = self.session.get(self.url + "/snapshot", timeout=120)
        response.raise_for_status()
        return response.json()

    def connector_settings(self) -> dict[str, Any]:
        """The settings the connector is running with: its org fixture plus changes made at run time."""
        response = self.session.get(self.url + "/connector/settings", timeout=30)
        response.raise_for_status()
        return response.json()

    def change_connector_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change the connector's settings as an admin would (merged; a list, such as an object's mappings, is
        replaced whole). Raises `ConnectorRefused` with the connector's reason when it refuses the change."""
        response = self.session.patch(self.url + "/connector/settings", json=changes, timeout=30)
        if response.status_code == 400:
            try:
                message = str(response.json().get("message") or response.text)
            except ValueError:
                message = response.text
            raise ConnectorRefused(message)
        response.raise_for_status()
        return response.json()

    def faults(self, platform: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
        """Set (POST) or read (GET) a platform's fault switches: `platform` is salesforce or hubspot."""
        if settings is None:
            response = self.session.get(f"{self.url}/faults/{platform}", timeout=30)
            response.raise_for_status()
            return response.json()
        return self._post(f"/faults/{platform}", settings)
