"""Every record of an object, extracted the way each platform intends at volume, into CSV files on disk.

- Salesforce: a Bulk API 2.0 query job (`queryAll`, so deleted and merged-away rows answer for the orphan
  classes), its results downloaded page by page with the `locator` Salesforce returns
  (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm).
- HubSpot: a CRM export (`POST /crm/v3/exports/export/async`, poll the task, download the pre-signed file, a CSV
  or a ZIP of CSVs; https://developers.hubspot.com/docs/api-reference/legacy/crm/exports/guide) with internal
  names and values, so the file reads like the API; when the portal refuses an export (no access, the daily
  allowance spent) the list endpoint's pages (`GET /crm/v3/objects/{type}`, 100 a call) are the fallback.

Resumable: a manifest beside the files records each job or export and each page or file as it lands (written
atomically), so a killed extraction picks up after the last page it downloaded, in the same job while the platform
still holds it, and never downloads a finished object twice. Every call goes through the run's API budget.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubspot.crm.exports import PublicExportViewRequest

from harness.sandboxes import Sandboxes
from harness.sandboxes.http import platform_session

log = logging.getLogger("harness.reconcile.extract")

BULK_PAGE = 50_000  # Bulk 2.0 results per call (maxRecords; simple-salesforce's default page)
LIST_PAGE = 100  # HubSpot list reads: the documented maximum page
POLL_START, POLL_MAX = 0.2, 5.0  # seconds between job / task status checks, growing


@dataclass
class Extracted:
    """One object's files on disk: `header` names the columns (Salesforce fields, HubSpot `hs_object_id` first)."""

    system: str
    object: str
    files: list[Path]
    header: list[str]
    rows: int
    path: str  # "bulk2", "export" or "list"


@dataclass
class Manifest:
    file: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, file: Path) -> Manifest:
        if file.exists():
            return cls(file, json.loads(file.read_text(encoding="utf-8")))
        return cls(file)

    def save(self) -> None:
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.entries, indent=1), encoding="utf-8")
        os.replace(temporary, self.file)


class Extractor:
    """Extracts objects into `directory` (one sub-folder per system and object) and resumes from its manifest."""

    def __init__(self, sandboxes: Sandboxes, directory: Path, bulk_page: int = BULK_PAGE) -> None:
        self.sandboxes = sandboxes
        self.directory = directory
        self.bulk_page = bulk_page
        directory.mkdir(parents=True, exist_ok=True)
        self.manifest = Manifest.load(directory / "manifest.json")
        self.exports_refused = False  # once the portal refuses an export, the other objects go to list pages at once

    def _entry(self, key: str, wanted: dict[str, Any]) -> dict[str, Any]:
        """The manifest's entry for `key`, or a fresh one when what is wanted changed (other fields, other query)."""
        entry = self.manifest.entries.get(key)
        if entry is None or entry.get("wanted") != wanted:
            entry = {"wanted": wanted, "files": [], "rows": 0, "done": False}
            self.manifest.entries[key] = entry
        return entry

    def _folder(self, key: str) -> Path:
        folder = self.directory / key.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _finish(self, system: str, name: str, entry: dict[str, Any]) -> Extracted:
        entry["done"] = True
        self.manifest.save()
        folder = self.directory
        return Extracted(system, name, [folder / f for f in entry["files"]], entry["header"], entry["rows"], entry["path"])

    # -- Salesforce: Bulk API 2.0 query -----------------------------------------------------------------
    def salesforce(self, sobject: str, fields: list[str]) -> Extracted:
        columns = list(dict.fromkeys(["Id", *fields]))
        soql = f"SELECT {', '.join(columns)} FROM {sobject}"
        key = f"salesforce/{sobject}"
        entry = self._entry(key, {"soql": soql})
        if entry["done"]:
            return self._finish("salesforce", sobject, entry)
        entry.update(header=columns, path="bulk2")
        salesforce = self.sandboxes.salesforce
        client = getattr(salesforce.client.bulk2, sobject)._client
        job_id = entry.get("job")
        if job_id and not self._job_alive(client, job_id):
            log.info("bulk query job %s is gone: starting %s again", job_id, sobject)
            job_id = None
        if not job_id:
            for name in entry["files"]:
                (self.directory / name).unlink(missing_ok=True)
            entry.update(files=[], rows=0, locator="")
            job_id = salesforce.call(f"bulk2 query {sobject}", client.create_job, "queryAll", soql)["id"]
            entry["job"] = job_id
            self.manifest.save()
            self._wait_for_job(client, job_id)
        folder = self._folder(key)
        kept = {self.directory / name for name in entry["files"]}
        for stray in folder.glob("*.csv"):  # a page a killed run was still downloading
            if stray not in kept:
                stray.unlink()
        while True:
            page = salesforce.call(f"bulk2 results {sobject}", client.download_job_data, str(folder), job_id,
                                   entry.get("locator", ""), self.bulk_page)
            target = folder / f"part-{len(entry['files']) + 1:05d}.csv"
            os.replace(page["file"], target)
            entry["files"].append(str(target.relative_to(self.directory)))
            entry["rows"] += int(page["number_of_records"])
            entry["locator"] = page["locator"]
            self.manifest.save()
            if not page["locator"]:
                return self._finish("salesforce", sobject, entry)

    def _job_alive(self, client: Any, job_id: str) -> bool:
        try:
            state = self.sandboxes.salesforce.call("bulk2 job", client.get_job, job_id, True)["state"]
        except Exception:  # noqa: BLE001 - a job the org no longer knows (expired, or another org): start again
            return False
        return state in {"UploadComplete", "InProgress", "JobComplete"}

    def _wait_for_job(self, client: Any, job_id: str) -> None:
        pause = POLL_START
        while True:
            info = self.sandboxes.salesforce.call("bulk2 job", client.get_job, job_id, True)
            if info["state"] == "JobComplete":
                return
            if info["state"] in {"Failed", "Aborted"}:
                raise RuntimeError(f"Bulk 2.0 query job {job_id} {info['state']}: {info.get('errorMessage')}")
            time.sleep(pause)
            pause = min(pause * 2, POLL_MAX)

    # -- HubSpot: CRM export, list pages as the fallback ------------------------------------------------
    def hubspot(self, object_type: str, properties: list[str]) -> Extracted:
        names = [p for p in dict.fromkeys(properties) if p != "hs_object_id"]
        key = f"hubspot/{object_type}"
        entry = self._entry(key, {"properties": names})
        if entry["done"]:
            return self._finish("hubspot", object_type, entry)
        if entry.get("path") != "list" and not self.exports_refused:
            try:
                return self._export(key, object_type, names, entry)
            except ExportRefused as refused:
                log.warning("hubspot export of %s refused (%s): reading list pages instead", object_type, refused)
                self.exports_refused = True
        if entry.get("path") != "list":
            entry.update(path="list", files=[], rows=0)
            self.manifest.save()
        return self._list_pages(key, object_type, names, entry)

    def _export(self, key: str, object_type: str, names: list[str], entry: dict[str, Any]) -> Extracted:
        hubspot = self.sandboxes.hubspot
        api = hubspot.client.crm.exports.public_exports_api
        entry.update(path="export", header=["hs_object_id", *names])
        export_id = entry.get("export")
        if not export_id:
            request = PublicExportViewRequest(
                export_type="VIEW", format="CSV", export_name=f"uat-reconcile-{object_type}", object_type=object_type,
                object_properties=names, language="EN", export_internal_values_options=["NAMES", "VALUES"])
            try:
                export_id = str(hubspot._call(api.start, public_export_request=request).id)
            except Exception as error:
                if getattr(error, "status", None) in {403, 404, 429}:
                    raise ExportRefused(f"HTTP {error.status}") from None  # type: ignore[attr-defined]
                raise
            entry["export"] = export_id
            self.manifest.save()
        url = self._export_url(export_id)
        folder = self._folder(key)
        download = folder / "export.download"
        session = platform_session(self.sandboxes.credentials.ca_bundle)
        # The file host, not the API: the pre-signed URL needs no token and counts against no rate limit.
        with session.get(url, stream=True, timeout=600) as response:
            response.raise_for_status()
            with download.open("wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    handle.write(chunk)
        entry["zipped"] = zipfile.is_zipfile(download)
        files = self._unpack(download, folder)
        download.unlink(missing_ok=True)
        entry["files"] = [str(f.relative_to(self.directory)) for f in files]
        entry["rows"] = sum(_data_rows(f) for f in files)
        return self._finish("hubspot", object_type, entry)

    def _export_url(self, export_id: str) -> str:
        hubspot = self.sandboxes.hubspot
        api = hubspot.client.crm.exports.public_exports_api
        pause = POLL_START
        while True:
            status = hubspot._call(api.get_status, task_id=int(export_id))
            if status.status == "COMPLETE" and status.result:
                return str(status.result)
            if status.status in {"CANCELED", "FAILED"}:
                raise ExportRefused(f"export {export_id} {status.status}")
            time.sleep(pause)
            pause = min(pause * 2, POLL_MAX)

    @staticmethod
    def _unpack(download: Path, folder: Path) -> list[Path]:
        if not zipfile.is_zipfile(download):
            target = folder / "export-1.csv"
            os.replace(download, target)
            return [target]
        files = []
        with zipfile.ZipFile(download) as archive:
            for number, member in enumerate(sorted(archive.namelist()), start=1):
                target = folder / f"export-{number}.csv"
                with archive.open(member) as source, target.open("wb") as sink:
                    while chunk := source.read(1 << 20):
                        sink.write(chunk)
                files.append(target)
        return files

    def _list_pages(self, key: str, object_type: str, names: list[str], entry: dict[str, Any]) -> Extracted:
        hubspot = self.sandboxes.hubspot
        api = hubspot.api(object_type, "basic_api")
        entry.update(header=["hs_object_id", *names])
        folder = self._folder(key)
        after = entry.get("after")
        while True:
            page = hubspot._call(api.get_page, limit=LIST_PAGE, after=after, properties=names, archived=False)
            target = folder / f"list-{len(entry['files']) + 1:06d}.csv"
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(entry["header"])
                for item in page.results or []:
                    props = item.properties or {}
                    writer.writerow([item.id, *[props.get(n) or "" for n in names]])
            entry["files"].append(str(target.relative_to(self.directory)))
            entry["rows"] += len(page.results or [])
            after = page.paging.next.after if page.paging and page.paging.next else None
            entry["after"] = after
            self.manifest.save()
            if not after:
                return self._finish("hubspot", object_type, entry)


class ExportRefused(Exception):
    """The portal will not export now (no access to exports, the day's allowance spent): use list pages."""


def _data_rows(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0)  # a quoted value with a line break inside over-counts; used only for the log
