"""HubSpot routes: werkzeug rules naming handlers of the responses classes (endpoint = method name)."""

from __future__ import annotations

from werkzeug.routing import Rule

OBJECTS = "/crm/v3/objects/<object_type>"
ASSOC4 = "/crm/v4/objects/<object_type>/<object_id>/associations"
ASSOC4_BATCH = "/crm/v4/associations/<from_object_type>/<to_object_type>"
ASSOC3_BATCH = "/crm/v3/associations/<from_object_type>/<to_object_type>/batch"
PROPS = "/crm/v3/properties/<object_type>"
PIPES = "/crm/v3/pipelines/<object_type>"
LISTS = "/crm/v3/lists"


def _rule(path: str, endpoint: str, *methods: str) -> Rule:
    return Rule(path, endpoint=endpoint, methods=list(methods))


RULES = [
    _rule("/account-info/v3/details", "account_details", "GET"),
    _rule("/account-info/v3/api-usage/daily/private-apps", "account_usage", "GET"),
    # CRM objects
    _rule(OBJECTS, "create", "POST"),
    _rule(OBJECTS, "list_page", "GET"),
    _rule(f"{OBJECTS}/batch/read", "batch_read", "POST"),
    _rule(f"{OBJECTS}/batch/create", "batch_create", "POST"),
    _rule(f"{OBJECTS}/batch/update", "batch_update", "POST"),
    _rule(f"{OBJECTS}/batch/upsert", "batch_upsert", "POST"),
    _rule(f"{OBJECTS}/batch/archive", "batch_archive", "POST"),
    _rule(f"{OBJECTS}/search", "search", "POST"),
    _rule(f"{OBJECTS}/merge", "merge", "POST"),
    _rule(f"{OBJECTS}/gdpr-delete", "gdpr_delete", "POST"),
    _rule(f"{OBJECTS}/<object_id>", "read", "GET"),
    _rule(f"{OBJECTS}/<object_id>", "update", "PATCH"),
    _rule(f"{OBJECTS}/<object_id>", "archive", "DELETE"),
    # associations v4
    _rule(f"{ASSOC4}/<to_object_type>", "assoc_page", "GET"),
    _rule(f"{ASSOC4}/<to_object_type>/<to_object_id>", "assoc_create", "PUT"),
    _rule(f"{ASSOC4}/<to_object_type>/<to_object_id>", "assoc_archive", "DELETE"),
    _rule("/crm/v4/objects/<from_object_type>/<from_object_id>/associations/default/<to_object_type>/<to_object_id>",
          "assoc_create_default", "PUT"),
    _rule(f"{ASSOC4_BATCH}/batch/create", "assoc_batch_create", "POST"),
    _rule(f"{ASSOC4_BATCH}/batch/associate/default", "assoc_batch_default", "POST"),
    _rule(f"{ASSOC4_BATCH}/batch/read", "assoc_batch_read", "POST"),
    _rule(f"{ASSOC4_BATCH}/batch/archive", "assoc_batch_archive", "POST"),
    _rule(f"{ASSOC4_BATCH}/batch/labels/archive", "assoc_batch_archive_labels", "POST"),
    _rule(f"{ASSOC4_BATCH}/labels", "assoc_labels", "GET"),
    _rule(f"{ASSOC4_BATCH}/labels", "assoc_label_create", "POST"),
    _rule(f"{ASSOC4_BATCH}/labels", "assoc_label_update", "PUT"),
    _rule(f"{ASSOC4_BATCH}/labels/<association_type_id>", "assoc_label_remove", "DELETE"),
    # associations v3 (legacy)
    _rule(f"{ASSOC3_BATCH}/create", "v3_batch_create", "POST"),
    _rule(f"{ASSOC3_BATCH}/read", "v3_batch_read", "POST"),
    _rule(f"{ASSOC3_BATCH}/archive", "v3_batch_archive", "POST"),
    # properties and groups
    _rule(PROPS, "properties_all", "GET"),
    _rule(PROPS, "property_create", "POST"),
    _rule(f"{PROPS}/batch/read", "properties_batch_read", "POST"),
    _rule(f"{PROPS}/batch/create", "properties_batch_create", "POST"),
    _rule(f"{PROPS}/batch/archive", "properties_batch_archive", "POST"),
    _rule(f"{PROPS}/groups", "groups_all", "GET"),
    _rule(f"{PROPS}/groups", "group_create", "POST"),
    _rule(f"{PROPS}/groups/<group_name>", "group_get", "GET"),
    _rule(f"{PROPS}/groups/<group_name>", "group_update", "PATCH"),
    _rule(f"{PROPS}/groups/<group_name>", "group_archive", "DELETE"),
    _rule(f"{PROPS}/<property_name>", "property_get", "GET"),
    _rule(f"{PROPS}/<property_name>", "property_update", "PATCH"),
    _rule(f"{PROPS}/<property_name>", "property_archive", "DELETE"),
    # pipelines and stages
    _rule(PIPES, "pipelines_all", "GET"),
    _rule(PIPES, "pipeline_create", "POST"),
    _rule(f"{PIPES}/<pipeline_id>", "pipeline_get", "GET"),
    _rule(f"{PIPES}/<pipeline_id>", "pipeline_update", "PATCH"),
    _rule(f"{PIPES}/<pipeline_id>", "pipeline_replace", "PUT"),
    _rule(f"{PIPES}/<pipeline_id>", "pipeline_archive", "DELETE"),
    _rule(f"{PIPES}/<pipeline_id>/audit", "pipeline_audit", "GET"),
    _rule(f"{PIPES}/<pipeline_id>/stages", "stages_all", "GET"),
    _rule(f"{PIPES}/<pipeline_id>/stages", "stage_create", "POST"),
    _rule(f"{PIPES}/<pipeline_id>/stages/<stage_id>", "stage_get", "GET"),
    _rule(f"{PIPES}/<pipeline_id>/stages/<stage_id>", "stage_update", "PATCH"),
    _rule(f"{PIPES}/<pipeline_id>/stages/<stage_id>", "stage_update", "PUT"),
    _rule(f"{PIPES}/<pipeline_id>/stages/<stage_id>", "stage_archive", "DELETE"),
    # owners
    _rule("/crm/v3/owners/", "owners_page", "GET"),
    _rule("/crm/v3/owners/<owner_id>", "owner", "GET"),
    # lists
    _rule(f"{LISTS}/", "list_create", "POST"),
    _rule(f"{LISTS}/", "lists_by_id", "GET"),
    _rule(f"{LISTS}/search", "list_search", "POST"),
    _rule(f"{LISTS}/object-type-id/<object_type_id>/name/<list_name>", "list_by_name", "GET"),
    _rule(f"{LISTS}/records/<object_type_id>/<record_id>/memberships", "record_memberships", "GET"),
    _rule(f"{LISTS}/<list_id>", "list_get", "GET"),
    _rule(f"{LISTS}/<list_id>", "list_remove", "DELETE"),
    _rule(f"{LISTS}/<list_id>/restore", "list_restore", "PUT"),
    _rule(f"{LISTS}/<list_id>/update-list-filters", "list_update_filters", "PUT"),
    _rule(f"{LISTS}/<list_id>/update-list-name", "list_update_name", "PUT"),
    _rule(f"{LISTS}/<list_id>/memberships", "members_page", "GET"),
    _rule(f"{LISTS}/<list_id>/memberships", "members_clear", "DELETE"),
    _rule(f"{LISTS}/<list_id>/memberships/join-order", "members_join_order", "GET"),
    _rule(f"{LISTS}/<list_id>/memberships/add", "members_add", "PUT"),
    _rule(f"{LISTS}/<list_id>/memberships/remove", "members_remove", "PUT"),
    _rule(f"{LISTS}/<list_id>/memberships/add-and-remove", "members_add_and_remove", "PUT"),
    _rule(f"{LISTS}/<list_id>/memberships/add-from/<source_list_id>", "members_add_from", "PUT"),
    # CRM exports; the download lives on the file host's paths (pre-signed, see exports.DOWNLOAD_PREFIX)
    _rule("/crm/v3/exports/export/async", "export_start", "POST"),
    _rule("/crm/v3/exports/export/async/tasks/<task_id>/status", "export_status", "GET"),
    _rule("/crm/v3/exports/export/<export_id>", "export_get", "GET"),
    _rule("/hs-exports/<export_id>/<file_name>", "export_download", "GET"),
    # workflows
    _rule("/automation/v4/flows", "flows_page", "GET"),
    _rule("/automation/v4/flows/batch/read", "flows_batch_read", "POST"),
    _rule("/automation/v4/flows/<flow_id>", "flow_get", "GET"),
    _rule("/automation/v4/flows/<flow_id>", "flow_update", "PUT"),
]
