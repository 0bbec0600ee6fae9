"""The audit policy from the profile: the lifecycle taxonomy and the fields the source-of-truth map governs."""

from __future__ import annotations

from harness.audit.model import AuditPolicy, GovernedField
from harness.profile import Profile


def policy_from_profile(profile: Profile) -> AuditPolicy:
    lifecycle = profile.lifecycle
    status = profile.lead_status
    stages = lifecycle.stages if lifecycle else []
    retired = lifecycle.retired if lifecycle else []
    stage_field = GovernedField("Lifecycle Stage", lifecycle.salesforce_field if lifecycle else "Lifecycle_Stage__c",
                                lifecycle.hubspot_property if lifecycle else "lifecyclestage", "governed")
    status_owner = profile.ownership("contacts", status.hubspot_property if status else "hs_lead_status")
    status_field = GovernedField("Lead Status", status.salesforce_field if status else "Status",
                                 status.hubspot_property if status else "hs_lead_status",
                                 status_owner.system_of_record.value if status_owner else "salesforce")
    governed: list[GovernedField] = []
    seen: set[tuple[str, str]] = set()
    for mapping in profile.field_mappings:
        ownership = profile.ownership(mapping.hubspot_object, mapping.hubspot_property)
        explicit = ownership is not None and ownership.field == mapping.hubspot_property
        key = (mapping.hubspot_property, mapping.salesforce_field)
        if explicit and key not in seen and mapping.hubspot_property not in {stage_field.hubspot, status_field.hubspot}:
            seen.add(key)
            governed.append(GovernedField(f"{mapping.hubspot_object}.{mapping.hubspot_property}", mapping.salesforce_field,
                                          mapping.hubspot_property, ownership.system_of_record.value))
    return AuditPolicy(stages, retired, stage_field, status_field, governed)
