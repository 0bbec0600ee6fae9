"""CRM exports (`/crm/v3/exports/export/async`): what was asked, how far it got, and who may download the file.

HubSpot's documented behaviour (https://developers.hubspot.com/docs/api-reference/legacy/crm/exports/guide):
an export is started, then polled by task id (PENDING, PROCESSING, COMPLETE) until its status carries a download
URL; the URL needs no further authorisation and expires five minutes after the status request that made it (ask
again for a fresh one); one export runs at a time, thirty in a rolling 24 hours; CSV files over 2 MB, or over
1,000,000 rows, arrive zipped. The file itself is written as it is downloaded (see `export_files`), never held whole.

Where the guide is silent the twin chooses, and says so in docs/twin-hubspot.md: processing takes
`switches.export_processing_ms` (0: complete at the first status request); the file shows the records as they
are when it is downloaded; only CSV is produced.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..clock import now_ms
from . import exceptions as err
from .criteria import Criteria, CriteriaError, Filter
from .properties import OBJECT_TYPES, SINGULAR

if TYPE_CHECKING:
    from .models import HubSpotBackend
    from .portal import Limits

DOWNLOAD_PREFIX = "/hs-exports/"  # the file host's paths: pre-signed, outside the API's token and rate limits
URL_LIFETIME_MS = 5 * 60 * 1000
DAY_MS = 24 * 3600 * 1000
FORMATS = ("CSV", "XLS", "XLSX")
LANGUAGES = ("AF_ZA", "AR_EG", "BG", "BN", "CA_ES", "CS", "DA_DK", "DE", "EL_GR", "EN", "EN_GB", "ES", "ES_MX", "ET_EE",
             "FI", "FR", "FR_CA", "HE_IL", "HI_IN", "HR", "HU", "ID", "IT", "JA", "KO_KR", "LT_LT", "MS", "NL", "NO", "PL",
             "PT", "PT_BR", "PT_PT", "RO", "RU", "SK_SK", "SL", "SV", "TH", "TL", "TR", "UK", "VI_VN", "ZH_CN", "ZH_HK",
             "ZH_TW")
MAX_ASSOCIATED = 4
ID_BASE = 38_000_000  # export ids are large numbers in HubSpot; the twin's count up from here


@dataclass
class Export:
    id: str
    name: str
    export_type: str                 # VIEW | LIST
    object_type: str                 # contacts, companies, ...
    properties: list[str]
    internal_names: bool
    internal_values: bool
    associated: list[str]            # object types whose associated record ids get a column
    list_id: str | None
    criteria: Criteria               # VIEW filters (publicCrmSearchRequest.filterGroups); none: every record
    created_ms: int
    processing_ms: int               # how long it takes once its turn comes (the switch's value when it started)

    def file_name(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.name).strip("-") or f"export-{self.id}"
        return safe[:80]


def _invalid(message: str, field: str) -> err.HubSpotError:
    return err.HubSpotError(message, category="VALIDATION_ERROR", context={"field": [field]})


class Exports:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self._key = secrets.token_bytes(32)  # signs download URLs; a restart invalidates them, as expiry would
        with self.store.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS hs_exports (id INTEGER PRIMARY KEY, request TEXT NOT NULL, "
                       "created_ms INTEGER NOT NULL)")

    # -- starting -------------------------------------------------------------------------------------
    def start(self, body: Mapping[str, Any], limits: Limits) -> Export:
        """Validate a PublicExportRequest (VIEW or LIST) and queue it; raises HubSpot's 400 naming the field."""
        export_type = str(body.get("exportType") or "").upper()
        if export_type not in ("VIEW", "LIST"):
            raise _invalid(f"exportType must be VIEW or LIST, not {body.get('exportType')!r}", "exportType")
        file_format = str(body.get("format") or "").upper()
        if file_format not in FORMATS:
            raise _invalid(f"format must be one of {', '.join(FORMATS)}, not {body.get('format')!r}", "format")
        if file_format != "CSV":
            raise _invalid(f"format {file_format}: the twin writes CSV exports only; ask for CSV", "format")
        name = body.get("exportName")
        if not isinstance(name, str) or not name.strip():
            raise _invalid("exportName is required", "exportName")
        language = str(body.get("language") or "EN").upper()
        if language not in LANGUAGES:
            raise _invalid(f"language {body.get('language')!r} is not a supported export language", "language")
        object_type = self._object_type(body.get("objectType"), "objectType")
        properties = body.get("objectProperties")
        if not isinstance(properties, list) or not properties or not all(isinstance(p, str) for p in properties):
            raise _invalid("objectProperties must be a non-empty list of property names", "objectProperties")
        unknown = [p for p in properties if self.backend.portal.property(object_type, p) is None]
        if unknown:
            raise _invalid(f"Property {unknown[0]!r} does not exist on {SINGULAR[object_type]}", "objectProperties")
        options = [str(o).upper() for o in body.get("exportInternalValuesOptions") or []]
        if any(o not in ("NAMES", "VALUES") for o in options):
            raise _invalid("exportInternalValuesOptions holds NAMES and/or VALUES", "exportInternalValuesOptions")
        associated_raw = body.get("associatedObjectType") or []
        associated_raw = [associated_raw] if isinstance(associated_raw, str) else list(associated_raw)
        if len(associated_raw) > MAX_ASSOCIATED:
            raise _invalid(f"at most {MAX_ASSOCIATED} associated object types per export", "associatedObjectType")
        associated = [self._object_type(a, "associatedObjectType") for a in associated_raw]
        list_id = None
        if export_type == "LIST":
            if body.get("listId") in (None, ""):
                raise _invalid("listId is required for a LIST export", "listId")
            list_id = str(body["listId"])
            definition = self.backend.lists.get(list_id)
            if definition.object_type != object_type:
                raise _invalid(f"list {list_id} holds {definition.object_type}, not {object_type}", "listId")
        criteria = self._criteria(body.get("publicCrmSearchRequest")) if export_type == "VIEW" else Criteria(())
        self._check_allowance(limits)
        request = {"exportType": export_type, "exportName": name.strip(), "objectType": object_type,
                   "objectProperties": list(dict.fromkeys(properties)), "names": "NAMES" in options,
                   "values": "VALUES" in options, "associated": associated, "listId": list_id,
                   "criteria": criteria.as_fixture(),
                   "processingMs": self.backend.portal.switches.export_processing_ms}
        with self.store.transaction() as db:
            stamp = now_ms()
            cursor = db.execute("INSERT INTO hs_exports (request, created_ms) VALUES (?, ?)", (json.dumps(request), stamp))
            export_id = str(cursor.lastrowid + ID_BASE)
        return self.get(export_id)

    def _object_type(self, raw: Any, field: str) -> str:
        text = str(raw or "").strip()
        lowered = text.lower()
        for name, type_id in OBJECT_TYPES.items():
            if lowered in (name, SINGULAR[name], type_id):
                return name
        raise _invalid(f"{field} {raw!r} is not an object type this portal exports", field)

    @staticmethod
    def _criteria(raw: Any) -> Criteria:
        if raw in (None, {}):
            return Criteria(())
        if not isinstance(raw, Mapping):
            raise _invalid("publicCrmSearchRequest is an object with filterGroups", "publicCrmSearchRequest")
        groups = []
        try:
            for g, group in enumerate(raw.get("filterGroups") or []):
                filters = (group or {}).get("filters") if isinstance(group, Mapping) else None
                if not isinstance(filters, list) or not filters:
                    raise CriteriaError(f"filterGroups[{g}]: each group has a non-empty filters list")
                groups.append(tuple(Filter.from_search(f, f"filterGroups[{g}].filters[{i}]") for i, f in enumerate(filters)))
            loose = raw.get("filters") or []
            if loose:
                groups.append(tuple(Filter.from_search(f, f"filters[{i}]") for i, f in enumerate(loose)))
        except CriteriaError as error:
            raise _invalid(f"publicCrmSearchRequest: {error}", "publicCrmSearchRequest") from None
        return Criteria(tuple(groups))

    def _check_allowance(self, limits: Limits) -> None:
        if not limits.enforced:
            return
        since = now_ms() - DAY_MS
        with self.store.lock:
            used = self.store.db.execute("SELECT COUNT(*) FROM hs_exports WHERE created_ms > ?", (since,)).fetchone()[0]
        if used >= limits.exports_per_day:
            raise err.HubSpotError(f"You have reached your limit of {limits.exports_per_day} exports in a rolling 24 hour "
                                   "window. Try again later.", status=429, category="RATE_LIMITS",
                                   context={"limit": [str(limits.exports_per_day)]})

    # -- reading --------------------------------------------------------------------------------------
    def get(self, export_id: str) -> Export:
        try:
            key = int(export_id) - ID_BASE
        except (TypeError, ValueError):
            key = -1
        with self.store.lock:
            row = self.store.db.execute("SELECT * FROM hs_exports WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise err.ObjectNotFound(f"Export {export_id} does not exist", context={"id": [str(export_id)]})
        request = json.loads(row["request"])
        return Export(str(export_id), request["exportName"], request["exportType"], request["objectType"],
                      request["objectProperties"], request["names"], request["values"], request["associated"],
                      request["listId"], Criteria.from_fixture(request["criteria"], "export criteria"), row["created_ms"],
                      int(request.get("processingMs", 0)))

    def state(self, export: Export, at_ms: int | None = None) -> tuple[str, int, int | None]:
        """(status, started ms, completed ms or None): exports run one at a time, each for its processing time."""
        at = now_ms() if at_ms is None else at_ms
        with self.store.lock:
            earlier = self.store.db.execute("SELECT created_ms, request FROM hs_exports WHERE id < ? ORDER BY id",
                                            (int(export.id) - ID_BASE,)).fetchall()
        free = 0  # when the export queue frees up for this one
        for row in earlier:
            free = max(free, row["created_ms"]) + int(json.loads(row["request"]).get("processingMs", 0))
        started = max(export.created_ms, free)
        if at < started:
            return "PENDING", started, None
        if at < started + export.processing_ms:
            return "PROCESSING", started, None
        return "COMPLETE", started, started + export.processing_ms

    # -- the pre-signed download URL ------------------------------------------------------------------
    def _signature(self, export_id: str, expires: int) -> str:
        return hmac.new(self._key, f"{export_id}:{expires}".encode(), hashlib.sha256).hexdigest()

    def download_path(self, export: Export, issued_ms: int | None = None) -> str:
        """A fresh pre-signed path to the export's file, valid for five minutes from `issued_ms` (default: now)."""
        expires = (int(time.time() * 1000) if issued_ms is None else issued_ms) + URL_LIFETIME_MS
        return (f"{DOWNLOAD_PREFIX}{export.id}/{export.file_name()}?expires={expires}"
                f"&signature={self._signature(export.id, expires)}")

    def authorise(self, export_id: str, expires: str | None, signature: str | None) -> str | None:
        """None when the URL's signature holds and it has not expired; otherwise why it is refused."""
        try:
            until = int(expires or "")
        except ValueError:
            return "the download URL is not signed"
        if not signature or not hmac.compare_digest(signature, self._signature(export_id, until)):
            return "the download URL's signature does not match"
        if time.time() * 1000 > until:
            return "the download URL has expired; ask for the export's status again for a new one"
        return None
