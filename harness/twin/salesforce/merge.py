"""Record merge (the partner API's merge): a master plus up to two records of the same type.

Documented behaviour (connector-behaviour.md §3.2): field overrides are set on the master; children of the
losers are reparented to the master (their ids come back in updatedRelatedIds); the losers are deleted with
MasterRecordId pointing at the master, visible through queryAll. Each request is its own transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .context import SaveContext

if TYPE_CHECKING:
    from .models import SalesforceBackend

MERGEABLE = {"Lead", "Contact", "Account"}


def merge_records(backend: SalesforceBackend, object_name: str, master_id: str, loser_ids: list[str],
                  master_fields: dict[str, Any], ctx: SaveContext) -> dict[str, Any]:
    sobject = backend.sobject(object_name)
    if sobject.name not in MERGEABLE or sobject.field("MasterRecordId") is None:
        raise err.SalesforceError(f"Merge is not supported for {sobject.name}", error_code="INVALID_TYPE")
    master = backend.normalise_id(sobject, master_id)
    losers = [backend.normalise_id(sobject, i) for i in loser_ids]
    if not 1 <= len(losers) <= 2:
        raise err.SalesforceError("A merge request can merge the master with one or two records",
                                  error_code="INVALID_OPERATION")
    if master in losers or len(set(losers)) != len(losers):
        raise err.SalesforceError("A record cannot be merged with itself", error_code="INVALID_ID_FIELD")
    updated_related: list[str] = []
    with backend.store.transaction() as db:
        for record_id in (master, *losers):
            row = backend.row(sobject, record_id, include_deleted=True)
            if row is None or not backend.access.can_read(ctx.user_id, sobject, row):
                raise err.InvalidCrossReference("invalid cross reference id", ["Id"])
            if row.get("IsDeleted"):
                raise err.EntityIsDeleted()
            if row.get("IsConverted"):
                raise err.ConvertedLead()
        backend.access.require_object(ctx.user_id, sobject, "delete")
        if master_fields:
            backend.saver.update(sobject, master, master_fields, ctx)
        for relation in sobject.child_relationships:
            child = backend.schema.sobject(relation["childSObject"])
            lookup = relation["field"]
            if child is None or lookup == "MasterRecordId":
                continue
            marks = ", ".join("?" * len(losers))
            rows = db.execute(f'SELECT "Id" FROM "{child.table}" WHERE "{lookup}" IN ({marks}) AND "IsDeleted" = 0',
                              losers).fetchall()
            for row in rows:
                backend.saver.write_system(child, row["Id"], {lookup: master}, ctx.user_id or None)
                updated_related.append(row["Id"])
        stamp = backend.stamp()
        for loser in losers:
            db.execute(f'UPDATE "{sobject.table}" SET "IsDeleted" = 1, "MasterRecordId" = ?, "SystemModstamp" = ?, '
                       '"LastModifiedDate" = ?, "LastModifiedById" = COALESCE(?, "LastModifiedById") WHERE "Id" = ?',
                       (master, stamp, stamp, ctx.user_id or None, loser))
        # The master is touched too, as Salesforce stamps the surviving record.
        backend.saver.write_system(sobject, master, {}, ctx.user_id or None)
    return {"id": master, "mergedRecordIds": losers, "updatedRelatedIds": updated_related, "success": True,
            "errors": []}
