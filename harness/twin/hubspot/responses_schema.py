"""The Properties API (properties, batch, groups) and the Pipelines API (pipelines, stages, audit) on the wire."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import empty_response, json_response
from . import exceptions as err
from .models import HubSpotBackend
from .properties import PropertyDefinition
from .responses import batch_response, body_of, flag, inputs_of, object_type_of
from .schema import Schema

PORTAL_CREATED = 1_705_309_200_000  # when the fixture portal "was created": a fixed, plausible date


class SchemaResponses:
    def __init__(self, backend: HubSpotBackend, schema: Schema) -> None:
        self.backend = backend
        self.schema = schema

    def _property(self, object_type: str, definition: PropertyDefinition) -> dict[str, Any]:
        out = definition.to_api(hs_datetime(definition.created_ms or PORTAL_CREATED))
        out["updatedAt"] = hs_datetime(definition.updated_ms or PORTAL_CREATED)
        if definition.name == "hubspot_owner_id":  # owner options are the portal's active owners
            owners = sorted((o for o in self.backend.owners() if not o.archived), key=lambda o: int(o.id))
            out["options"] = [{"label": f"{o.first_name} {o.last_name}".strip() or o.email, "value": o.id,
                               "displayOrder": i, "hidden": False, "description": ""} for i, o in enumerate(owners)]
            out["referencedObjectType"] = "OWNER"
        return out

    # -- properties -----------------------------------------------------------------------------------
    def properties_all(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        archived = flag(request, "archived")
        return json_response({"results": [self._property(kind, d) for d in self.backend.portal.properties.get(kind, {}).values()
                                          if d.archived == archived]})

    def property_get(self, request: Request, object_type: str, property_name: str) -> Response:
        kind = object_type_of(object_type)
        return json_response(self._property(kind, self.schema.definition(kind, property_name, flag(request, "archived"))))

    def property_create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        return json_response(self._property(kind, self.schema.create_property(kind, body_of(request))), 201)

    def property_update(self, request: Request, object_type: str, property_name: str) -> Response:
        kind = object_type_of(object_type)
        return json_response(self._property(kind, self.schema.update_property(kind, property_name, body_of(request))))

    def property_archive(self, request: Request, object_type: str, property_name: str) -> Response:
        self.schema.archive_property(object_type_of(object_type), property_name)
        return empty_response(204)

    def properties_batch_read(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        body = body_of(request)
        results, errors = [], []
        for item in inputs_of(body, 1000):
            try:
                results.append(self._property(kind, self.schema.definition(kind, str(item.get("name")),
                                                                           bool(body.get("archived", False)))))
            except err.ObjectNotFound as error:
                errors.append(error.as_batch_error())
        return batch_response(results, errors, now_ms(), 200)

    def properties_batch_create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        results, errors = [], []
        for index, item in enumerate(inputs_of(body_of(request), 100)):
            try:
                results.append(self._property(kind, self.schema.create_property(kind, item)))
            except err.HubSpotError as error:
                error.index = index
                errors.append(error.as_batch_error())
        return batch_response(results, errors, now_ms(), 201)

    def properties_batch_archive(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        for item in inputs_of(body_of(request), 100):
            self.schema.archive_property(kind, str(item.get("name")))
        return empty_response(204)

    # -- groups ---------------------------------------------------------------------------------------
    def groups_all(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        return json_response({"results": [g for g in self.backend.portal.groups.get(kind, []) if not g["archived"]]})

    def group_get(self, request: Request, object_type: str, group_name: str) -> Response:
        return json_response(self.schema.group(object_type_of(object_type), group_name))

    def group_create(self, request: Request, object_type: str) -> Response:
        return json_response(self.schema.create_group(object_type_of(object_type), body_of(request)), 201)

    def group_update(self, request: Request, object_type: str, group_name: str) -> Response:
        return json_response(self.schema.update_group(object_type_of(object_type), group_name, body_of(request)))

    def group_archive(self, request: Request, object_type: str, group_name: str) -> Response:
        self.schema.archive_group(object_type_of(object_type), group_name)
        return empty_response(204)

    # -- pipelines ------------------------------------------------------------------------------------
    @staticmethod
    def _stamp() -> str:
        return hs_datetime(PORTAL_CREATED)

    def pipelines_all(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        return json_response({"results": [p.to_api(self._stamp()) for p in self.schema.pipelines(kind)]})

    def pipeline_get(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        return json_response(self.schema.pipeline(object_type_of(object_type), pipeline_id).to_api(self._stamp()))

    def pipeline_create(self, request: Request, object_type: str) -> Response:
        pipeline = self.schema.create_pipeline(object_type_of(object_type), body_of(request))
        return json_response(pipeline.to_api(self._stamp()), 201)

    def pipeline_update(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        pipeline = self.schema.update_pipeline(object_type_of(object_type), pipeline_id, body_of(request))
        return json_response(pipeline.to_api(self._stamp()))

    def pipeline_replace(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        pipeline = self.schema.update_pipeline(object_type_of(object_type), pipeline_id, body_of(request), replace=True)
        return json_response(pipeline.to_api(self._stamp()))

    def pipeline_archive(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        self.schema.archive_pipeline(object_type_of(object_type), pipeline_id)
        return empty_response(204)

    def pipeline_audit(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        pipeline = self.schema.pipeline(object_type_of(object_type), pipeline_id)
        return json_response({"results": [{"portalId": self.backend.portal.portal_id, "identifier": pipeline.id,
                                           "action": "CREATE", "timestamp": self._stamp(), "fromUserId": 0}]})

    def stages_all(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        pipeline = self.schema.pipeline(object_type_of(object_type), pipeline_id)
        return json_response({"results": [s.to_api(self._stamp()) for s in pipeline.stages if not s.archived]})

    def stage_get(self, request: Request, object_type: str, pipeline_id: str, stage_id: str) -> Response:
        return json_response(self.schema.stage(object_type_of(object_type), pipeline_id, stage_id).to_api(self._stamp()))

    def stage_create(self, request: Request, object_type: str, pipeline_id: str) -> Response:
        stage = self.schema.create_stage(object_type_of(object_type), pipeline_id, body_of(request))
        return json_response(stage.to_api(self._stamp()), 201)

    def stage_update(self, request: Request, object_type: str, pipeline_id: str, stage_id: str) -> Response:
        stage = self.schema.update_stage(object_type_of(object_type), pipeline_id, stage_id, body_of(request))
        return json_response(stage.to_api(self._stamp()))

    def stage_archive(self, request: Request, object_type: str, pipeline_id: str, stage_id: str) -> Response:
        self.schema.archive_stage(object_type_of(object_type), pipeline_id, stage_id)
        return empty_response(204)
