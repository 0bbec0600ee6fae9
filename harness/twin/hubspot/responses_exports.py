"""CRM exports on the wire: start (202 TaskLocator), task status (with the pre-signed download URL once COMPLETE),
export details, and the download itself (CSV or ZIP, streamed)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import json_response
from .export_files import count_records, export_file
from .exports import Export
from .models import HubSpotBackend
from .portal import Limits
from .properties import OBJECT_TYPES
from .responses import body_of

_DETAIL_STATE = {"PENDING": "ENQUEUED", "PROCESSING": "PROCESSING", "COMPLETE": "DONE"}


class ExportResponses:
    def __init__(self, backend: HubSpotBackend, limits: Limits) -> None:
        self.backend = backend
        self.exports = backend.exports
        self.limits = limits  # the live limits (the control plane may lift them), not the fixture's

    def _status_link(self, request: Request, export: Export) -> str:
        return f"{request.host_url.rstrip('/')}/crm/v3/exports/export/async/tasks/{export.id}/status"

    def export_start(self, request: Request) -> Response:
        export = self.exports.start(body_of(request), self.limits)
        return json_response({"id": export.id, "links": {"status": self._status_link(request, export)}}, 202)

    def export_status(self, request: Request, task_id: str) -> Response:
        export = self.exports.get(task_id)
        answered = now_ms()
        status, started, completed = self.exports.state(export, answered)
        # completedAt is required by the spec whatever the status; until the export completes it is the answer's time
        body: dict[str, Any] = {"status": status, "requestedAt": hs_datetime(export.created_ms),
                                "startedAt": hs_datetime(min(started, answered)),
                                "completedAt": hs_datetime(completed if completed is not None else answered)}
        if status == "COMPLETE":
            body["result"] = request.host_url.rstrip("/") + self.exports.download_path(export)
        return json_response(body)

    def export_get(self, request: Request, export_id: str) -> Response:
        export = self.exports.get(export_id)
        status, _, completed = self.exports.state(export)
        body: dict[str, Any] = {"id": export.id, "exportName": export.name, "exportType": export.export_type,
                                "objectType": OBJECT_TYPES[export.object_type], "objectProperties": export.properties,
                                "exportState": _DETAIL_STATE[status], "createdAt": hs_datetime(export.created_ms),
                                "updatedAt": hs_datetime(completed or export.created_ms)}
        if status == "COMPLETE":
            body["recordCount"] = count_records(self.backend, export)
        return json_response(body)

    def export_download(self, request: Request, export_id: str, file_name: str) -> Response:
        export = self.exports.get(export_id)
        produced = export_file(self.backend, export)
        return Response(produced.chunks, status=200, content_type=produced.content_type, direct_passthrough=True,
                        headers={"Content-Disposition": f'attachment; filename="{produced.file_name}"'})
