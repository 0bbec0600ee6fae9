"""Bulk API 2.0 on the wire (`/services/data/vNN.N/jobs/ingest|query`), as simple-salesforce's bulk2 uses it:
create answers JSON with state Open (ingest) or UploadComplete (query); the CSV PUT answers 201; results are
CSV with `Sforce-NumberOfRecords` and `Sforce-Locator` ("null" on the last page)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..web import empty_response, json_response
from . import exceptions as err
from .bulk2 import DELIMITERS, BulkJobs, IngestJob, QueryJob

if TYPE_CHECKING:
    from .models import SalesforceBackend

MAX_UPLOAD = 150 * 1024 * 1024


class BulkResponses:
    backend: SalesforceBackend

    def __init__(self) -> None:
        self.bulk_jobs = BulkJobs(self.backend)

    def _ingest_info(self, job: IngestJob, version: str) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": job.id, "operation": job.operation, "object": job.object, "createdById": job.created_by,
            "createdDate": job.created_date, "systemModstamp": job.modstamp, "state": job.state,
            "concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": float(version), "jobType": "V2Ingest",
            "lineEnding": job.line_ending, "columnDelimiter": job.column_delimiter,
            "numberRecordsProcessed": job.processed, "numberRecordsFailed": job.failed, "retries": 0,
            "totalProcessingTime": job.processing_ms, "apiActiveProcessingTime": job.processing_ms,
            "apexProcessingTime": 0,
        }
        if job.external_id_field:
            info["externalIdFieldName"] = job.external_id_field
        if job.state == "Open":
            info["contentUrl"] = f"services/data/v{version}/jobs/ingest/{job.id}/batches"
        if job.error_message:
            info["errorMessage"] = job.error_message
        return info

    def _query_info(self, job: QueryJob, version: str) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": job.id, "operation": job.operation, "object": _object_of(job.query), "createdById": job.created_by,
            "createdDate": job.created_date, "systemModstamp": job.modstamp, "state": job.state,
            "concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": float(version), "jobType": "V2Query",
            "lineEnding": job.line_ending, "columnDelimiter": job.column_delimiter,
            "numberRecordsProcessed": len(job.rows), "retries": 0, "totalProcessingTime": job.processing_ms,
        }
        if job.error_message:
            info["errorMessage"] = job.error_message
        return info

    # -- ingest ---------------------------------------------------------------------------------------
    def ingest_jobs(self, request: Request, version: str) -> Response:
        if request.method == "GET":
            jobs = [self._ingest_info(j, version) for j in self.bulk_jobs.ingest.values()]
            return json_response({"done": True, "records": jobs, "nextRecordsUrl": None})
        spec = self.body(request)  # type: ignore[attr-defined]
        job = self.bulk_jobs.create_ingest(spec if isinstance(spec, dict) else {}, self.context(request))  # type: ignore[attr-defined]
        return json_response(self._ingest_info(job, version))

    def ingest_job(self, request: Request, version: str, job_id: str) -> Response:
        job = self.bulk_jobs.get_ingest(job_id)
        if request.method == "PATCH":
            spec = self.body(request)  # type: ignore[attr-defined]
            wanted = str((spec or {}).get("state"))
            self.bulk_jobs.set_state(job, wanted)
            info = self._ingest_info(job, version)
            info["state"] = wanted  # the answer to the PATCH is the state asked for, whatever the worker does next
            return json_response(info)
        if request.method == "DELETE":
            if job.state not in {"JobComplete", "Failed", "Aborted"}:
                raise err.SalesforceError("Only a completed, failed or aborted job can be deleted",
                                          error_code="INVALIDJOBSTATE", status=409)
            del self.bulk_jobs.ingest[job_id]
            return empty_response(204)
        return json_response(self._ingest_info(job, version))

    def ingest_batches(self, request: Request, version: str, job_id: str) -> Response:
        job = self.bulk_jobs.get_ingest(job_id)
        raw = request.get_data(cache=False)
        if len(raw) > MAX_UPLOAD:
            raise err.SalesforceError("Exceeded max size limit of 150 MB", error_code="INVALIDBATCH", status=413)
        if request.headers.get("Content-Encoding", "").lower() == "base64":
            raw = base64.b64decode(raw)
        self.bulk_jobs.upload(job, raw.decode("utf-8-sig"))
        return empty_response(201)

    def ingest_results(self, request: Request, version: str, job_id: str, kind: str) -> Response:
        job = self.bulk_jobs.get_ingest(job_id)
        which = kind.lower()
        delimiter = DELIMITERS.get(job.column_delimiter, ",")
        if which == "successfulresults":
            text = BulkJobs.csv_text(["sf__Id", "sf__Created", *job.columns], job.successful_rows, delimiter, job.line_ending)
        elif which == "failedresults":
            text = BulkJobs.csv_text(["sf__Id", "sf__Error", *job.columns], job.failed_rows, delimiter, job.line_ending)
        elif which == "unprocessedrecords":
            text = BulkJobs.csv_text(job.columns, job.unprocessed_rows, delimiter, job.line_ending) if job.columns else ""
        else:
            raise err.NotFound()
        if job.state not in {"JobComplete", "Failed", "Aborted"} and which != "unprocessedrecords":
            raise err.SalesforceError("Results are available once the job has completed", error_code="INVALIDJOBSTATE",
                                      status=409)
        return Response(text, status=200, content_type="text/csv")

    # -- query ----------------------------------------------------------------------------------------
    def query_jobs(self, request: Request, version: str) -> Response:
        if request.method == "GET":
            jobs = [self._query_info(j, version) for j in self.bulk_jobs.queries.values()]
            return json_response({"done": True, "records": jobs, "nextRecordsUrl": None})
        spec = self.body(request)  # type: ignore[attr-defined]
        job = self.bulk_jobs.create_query(spec if isinstance(spec, dict) else {}, self.context(request))  # type: ignore[attr-defined]
        info = self._query_info(job, version)
        info["state"] = "UploadComplete"  # the state a freshly created query job reports
        return json_response(info)

    def query_job(self, request: Request, version: str, job_id: str) -> Response:
        job = self.bulk_jobs.get_query(job_id)
        if request.method == "PATCH":
            spec = self.body(request)  # type: ignore[attr-defined]
            if (spec or {}).get("state") != "Aborted":
                raise err.SalesforceError("Query jobs can only be aborted", error_code="INVALIDJOBSTATE", status=400)
            if job.state == "JobComplete":
                raise err.SalesforceError("Invalid state transition from JobComplete to Aborted",
                                          error_code="INVALIDJOBSTATE", status=409)
            job.state = "Aborted"
        elif request.method == "DELETE":
            del self.bulk_jobs.queries[job_id]
            return empty_response(204)
        return json_response(self._query_info(job, version))

    def query_results(self, request: Request, version: str, job_id: str) -> Response:
        job = self.bulk_jobs.get_query(job_id)
        if job.state != "JobComplete":
            raise err.SalesforceError(f"Job {job_id} is not complete", error_code="INVALIDJOBSTATE", status=409)
        try:
            start = int(request.args.get("locator") or 0)
            size = int(request.args.get("maxRecords") or 50000)
        except ValueError:
            raise err.SalesforceError("Invalid locator or maxRecords", error_code="INVALIDLOCATOR") from None
        if size <= 0:
            raise err.SalesforceError("maxRecords must be positive", error_code="INVALIDLOCATOR")
        page = job.rows[start:start + size]
        following = start + size
        locator = str(following) if following < len(job.rows) else "null"
        text = BulkJobs.csv_text(job.header, page, DELIMITERS.get(job.column_delimiter, ","), job.line_ending)
        return Response(text, status=200, content_type="text/csv",
                        headers={"Sforce-NumberOfRecords": str(len(page)), "Sforce-Locator": locator})


def _object_of(soql: str) -> str:
    words = soql.replace(",", " ").split()
    lowered = [w.lower() for w in words]
    return words[lowered.index("from") + 1] if "from" in lowered and lowered.index("from") + 1 < len(words) else ""
