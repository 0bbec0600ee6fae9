"""An export's file, written while it is downloaded: CSV, or a ZIP of CSV files once it outgrows HubSpot's limits.

Records are read a page at a time (each page under the store's lock, so writes go on between pages) and turned
into CSV rows; memory stays at one page plus, at the start, the first `export_zip_over_bytes` of the file, which
is how the twin learns whether the file needs zipping before it sends the first byte. Past that size, or past
`export_rows_per_file` rows, the answer is a ZIP streamed with data descriptors (no seeking back), holding
`<name>-1.csv`, `<name>-2.csv`, ... of at most `export_rows_per_file` rows each, every one with the header row.

Cells are HubSpot's human-readable ones unless the export asked for internal names (NAMES: header row) or values
(VALUES: the values as the CRM API reads them): labels of enumeration options, owners by name, date-times as
`YYYY-MM-DD HH:MM` in the portal's time zone. The first column is always the record id (HubSpot's `Record ID`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .criteria import kinds_of
from .exports import Export
from .properties import SINGULAR
from .records import HsObject

if TYPE_CHECKING:
    from .models import HubSpotBackend

PAGE = 2000  # records read per trip to the store


@dataclass
class ExportFile:
    content_type: str
    file_name: str
    chunks: Iterator[bytes]


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream: zipfile then writes data descriptors, and each chunk can be taken at once."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


class _Cells:
    """One record's row: the record id first, then the asked properties, then associated record ids. Each column's
    formatting is chosen once, not per cell: a million-row export formats millions of cells."""

    def __init__(self, backend: HubSpotBackend, export: Export) -> None:
        self.backend = backend
        self.export = export
        self.names = ["hs_object_id", *[p for p in export.properties if p != "hs_object_id"]]
        portal = backend.portal
        self.definitions = {n: portal.property(export.object_type, n) for n in self.names}
        self.zone = ZoneInfo(portal.time_zone) if portal.time_zone else ZoneInfo("UTC")
        self._minutes: dict[str, str] = {}  # ISO date-time to the minute -> its local rendering (values share minutes)
        self.columns = [(name, self._formatter(name)) for name in self.names[1:]]

    def header(self) -> list[str]:
        out = []
        for name in self.names:
            definition = self.definitions[name]
            if self.export.internal_names or definition is None:
                out.append(name)
            else:
                out.append(definition.label)
        return out + [f"Associated {SINGULAR[t].capitalize()} IDs" for t in self.export.associated]

    def row(self, obj: HsObject) -> list[str]:
        values = obj.properties
        cells = [obj.id]
        for name, formatted in self.columns:
            value = values.get(name)
            cells.append("" if value is None or value == "" else formatted(str(value)))
        for other in self.export.associated:
            cells.append(";".join(self.backend.associated_ids(obj.object_type, obj.id, other)))
        return cells

    def _formatter(self, name: str) -> Callable[[str], str]:
        definition = self.definitions[name]
        if self.export.internal_values or definition is None:
            return str
        if name.endswith("owner_id"):
            return self._owner
        if definition.options:
            labels = {str(o["value"]): str(o.get("label", o["value"])) for o in definition.options}
            return lambda value: ";".join(labels.get(part, part) for part in value.split(";"))
        if definition.type == "datetime":
            return self._local_minute
        if definition.type == "date":
            return lambda value: self._when(value, "date")
        return str

    def _owner(self, value: str) -> str:
        owner = self.backend.owner(value)
        return f"{owner.first_name} {owner.last_name}".strip() if owner is not None else value

    def _local_minute(self, value: str) -> str:
        if len(value) >= 17 and value.endswith("Z") and value[10] == "T":
            minute = value[:16]
            if minute not in self._minutes:
                self._minutes[minute] = self._when(minute + ":00Z", "datetime")
            return self._minutes[minute]
        return self._when(value, "datetime")

    def _when(self, value: str, kind: str) -> str:
        try:
            moment = (datetime.fromtimestamp(int(value) / 1000, tz=UTC) if value.isdigit()
                      else datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
        if kind == "date":
            return moment.astimezone(UTC).strftime("%Y-%m-%d") if moment.tzinfo else moment.strftime("%Y-%m-%d")
        return (moment.astimezone(self.zone) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")


def _records(backend: HubSpotBackend, export: Export) -> Iterator[list[HsObject]]:
    """The export's live records a page at a time: a view's (filtered) or a list's members, by record id."""
    if export.export_type == "LIST":
        ids = [object_id for object_id, _ in backend.lists.members(export.list_id or "")]
        for start in range(0, len(ids), PAGE):
            found = (backend.find_by_id(export.object_type, i) for i in ids[start:start + PAGE])
            yield [o for o in found if o is not None and not o.archived]
        return
    kinds = kinds_of(backend.portal.properties.get(export.object_type, {}).values())
    after = 0
    while True:
        page, more = backend.page(export.object_type, after, PAGE, archived=False)
        if page:
            yield [o for o in page if export.criteria.matches(o.properties, kinds)]
            after = int(page[-1].id)
        if not more:
            return


def count_records(backend: HubSpotBackend, export: Export) -> int:
    """How many rows the export's file holds now (the details' recordCount): a walk over the records, no file."""
    return sum(len(page) for page in _records(backend, export))


def _encoded(rows: Iterable[list[str]]) -> list[bytes]:
    lines: list[str] = []
    writer = csv.writer(_Lines(lines), lineterminator="\r\n")  # one write per row: each row is one line
    writer.writerows(rows)
    return [line.encode("utf-8") for line in lines]


class _Lines:
    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


def export_file(backend: HubSpotBackend, export: Export) -> ExportFile:
    """The file to send: read up to the zip threshold now, then decide CSV or ZIP and stream the rest."""
    switches = backend.portal.switches
    cells = _Cells(backend, export)
    header = _encoded([cells.header()])[0]
    pages = (_encoded(cells.row(o) for o in page) for page in _records(backend, export))
    first: list[bytes] = []
    size, rows = len(header), 0
    for page in pages:
        first.extend(page)
        size += sum(len(line) for line in page)
        rows += len(page)
        if size > switches.export_zip_over_bytes or rows > switches.export_rows_per_file:
            name = export.file_name()
            return ExportFile("application/zip", f"{name}.zip",
                              _zipped(name, header, first, pages, max(1, switches.export_rows_per_file)))
    return ExportFile("text/csv; charset=utf-8", f"{export.file_name()}.csv", iter([header + b"".join(first)]))


def _zipped(name: str, header: bytes, first: list[bytes], pages: Iterator[list[bytes]], per_file: int) -> Iterator[bytes]:
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    part, in_file = 1, 0
    handle = archive.open(f"{name}-{part}.csv", "w", force_zip64=True)
    handle.write(header)
    for page in _chain([first], pages):
        start = 0
        while start < len(page):
            if in_file == per_file:
                handle.close()
                part, in_file = part + 1, 0
                handle = archive.open(f"{name}-{part}.csv", "w", force_zip64=True)
                handle.write(header)
            take = page[start:start + per_file - in_file]
            handle.write(b"".join(take))
            in_file += len(take)
            start += len(take)
        chunk = sink.take()
        if chunk:
            yield chunk
    handle.close()
    archive.close()
    yield sink.take()


def _chain(*sources: Iterable[list[bytes]]) -> Iterator[list[bytes]]:
    for source in sources:
        yield from source
