"""Salesforce record types / business processes -> HubSpot pipelines, and stage (or status) values between them.

Documented for deals: each opportunity syncs into a pipeline per record type ("Salesforce - <record type>"; the
default pipeline in an org without record types), and a deal moved to an unsynced pipeline stops syncing. The
stage-to-stage mapping itself is not documented in English: the fixture lists it; stages not listed match by label.
Values compare in HubSpot's stage ids, so several Salesforce stages may share one HubSpot stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..hubspot.portal import Portal
from .settings import SettingsError


@dataclass
class PipelineMap:
    pipeline_id: str
    record_type: str | None
    to_hubspot: dict[str, str] = field(default_factory=dict)  # Salesforce value -> HubSpot stage id
    to_salesforce: dict[str, str] = field(default_factory=dict)  # HubSpot stage id -> Salesforce value (first listed)


class Pipelines:
    def __init__(self, object_type: str, specs: list[tuple[str | None, str | None, dict[str, str]]], portal: Portal,
                 salesforce_values: list[str], where: str) -> None:
        """specs: (record type or business process, pipeline id or label, {Salesforce value: stage id or label})."""
        self.object_type = object_type
        self.maps: list[PipelineMap] = []
        pipelines = [p for p in portal.pipelines.get(object_type, []) if not p.archived]
        for index, (record_type, wanted, stages) in enumerate(specs):
            if wanted is None:
                pipeline = pipelines[0] if pipelines else None
            else:
                pipeline = next((p for p in pipelines if p.id == wanted), None) or next(
                    (p for p in pipelines if p.label.lower() == wanted.lower()), None)
            if pipeline is None:
                raise SettingsError(f"{where}[{index}].pipeline: the portal has no {object_type} pipeline {wanted!r}; "
                                    f"pipelines: {', '.join(f'{p.label} ({p.id})' for p in pipelines) or 'none'}")
            by_label = {s.label.lower(): s.id for s in pipeline.stages if not s.archived}
            ids = {s.id for s in pipeline.stages if not s.archived}
            mapping = PipelineMap(pipeline.id, record_type)
            for value in salesforce_values:  # unlisted values match a stage of the same label
                if value.lower() in by_label:
                    mapping.to_hubspot[value] = by_label[value.lower()]
            for value, stage in stages.items():
                stage_id = stage if stage in ids else by_label.get(str(stage).lower())
                if stage_id is None:
                    raise SettingsError(f"{where}[{index}].stages.{value}: pipeline {pipeline.label!r} has no stage "
                                        f"{stage!r}; stages: {', '.join(sorted(ids))}")
                mapping.to_hubspot[value] = stage_id
            for value, stage_id in mapping.to_hubspot.items():
                mapping.to_salesforce.setdefault(stage_id, value)
            self.maps.append(mapping)

    def for_record_type(self, record_type: str | None) -> PipelineMap | None:
        return next((m for m in self.maps if m.record_type == record_type), None) or \
            next((m for m in self.maps if m.record_type is None), None)

    def for_pipeline(self, pipeline_id: str | None) -> PipelineMap | None:
        return next((m for m in self.maps if m.pipeline_id == pipeline_id), None)

    def synced(self, pipeline_id: str | None) -> bool:
        return self.for_pipeline(pipeline_id) is not None
