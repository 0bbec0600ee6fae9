"""Named orphan classes: records that lost their partner, or gained one they should not have.

Each class is a sentence a RevOps lead recognises from the Sync Health screen or a weekly reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.profile import Profile
from harness.reconcile.population import Population
from harness.reconcile.scope import in_inclusion_list
from harness.sync.objects import LINKS

ORPHAN_CLASSES = {
    "never_synced": "HubSpot contact in the inclusion list never synced to Salesforce",
    "link_to_merged": "HubSpot record linked to a merged-away Salesforce record",
    "link_to_deleted": "HubSpot record linked to a deleted Salesforce record",
    "link_to_converted_lead": "HubSpot contact still linked to a converted Lead instead of its Contact",
    "company_without_account": "HubSpot company with no Salesforce Account (created for a contact without an account)",
    "outside_inclusion_synced": "HubSpot contact outside the inclusion list that synced anyway",
    "salesforce_unsynced": "Salesforce record that never reached HubSpot",
}
# Not orphans: reported beside them so a planted duplicate is visible without failing the run.
NOTED_CLASSES = {
    "duplicate_of_synced": "Salesforce record sharing its e-mail with the record HubSpot syncs with (e-mail match "
                           "picks one; the other waits for a merge)",
}


@dataclass
class Orphan:
    kind: str
    system: str
    object: str
    id: str
    detail: str


@dataclass
class OrphanReport:
    orphans: list[Orphan] = field(default_factory=list)

    def by_class(self) -> dict[str, int]:
        counts = dict.fromkeys([*ORPHAN_CLASSES, *NOTED_CLASSES], 0)
        for orphan in self.orphans:
            counts[orphan.kind] += 1
        return counts

    @property
    def real(self) -> list[Orphan]:
        return [o for o in self.orphans if o.kind in ORPHAN_CLASSES]

    @property
    def real_count(self) -> int:
        return len(self.real)


def find_orphans(population: Population, profile: Profile) -> OrphanReport:
    report = OrphanReport()
    add = report.orphans.append
    linked: set[tuple[str, str]] = set()
    for object_type, records in population.hubspot.items():
        for hs_id, props in records.items():
            for prop, sobject in LINKS.get(object_type, []):
                sf_id = props.get(prop)
                if not sf_id:
                    continue
                linked.add((sobject, sf_id))
                record: dict[str, Any] = population.salesforce.get(sobject, {}).get(sf_id, {})
                if record.get("MasterRecordId"):
                    add(Orphan("link_to_merged", "hubspot", object_type, hs_id,
                               f"{prop}={sf_id} was merged into {record['MasterRecordId']}"))
                elif record.get("IsDeleted"):
                    add(Orphan("link_to_deleted", "hubspot", object_type, hs_id, f"{prop}={sf_id} is deleted"))
                if sobject == "Lead" and record.get("IsConverted") and not props.get("salesforcecontactid"):
                    add(Orphan("link_to_converted_lead", "hubspot", object_type, hs_id,
                               f"Lead {sf_id} was converted to Contact {record.get('ConvertedContactId')}"))
            has_link = any(props.get(p) for p, _ in LINKS.get(object_type, []))
            if object_type == "contacts":
                included = in_inclusion_list(profile, props)
                if included and not has_link and props.get("email"):
                    add(Orphan("never_synced", "hubspot", "contacts", hs_id, f"{props.get('email')} has no Salesforce id"))
                if not included and has_link:
                    add(Orphan("outside_inclusion_synced", "hubspot", "contacts", hs_id,
                               f"{props.get('email')} is outside the inclusion list but linked"))
            if object_type == "companies" and not has_link:
                add(Orphan("company_without_account", "hubspot", "companies", hs_id,
                           f"company {props.get('name')!r} has no salesforceaccountid"))
    # Only objects the profile expects to sync can be unsynced (a Case with ticket sync off is not an orphan).
    expected = {sobject for tolerance in (profile.reconciliation.objects.values() if profile.reconciliation else [])
                for sobject in tolerance.salesforce} or {"Lead", "Contact", "Account", "Opportunity"}
    linked_emails = {str(population.salesforce.get(sobject, {}).get(sf_id, {}).get("Email") or "").strip().lower()
                     for sobject, sf_id in linked} - {""}
    for sobject, records in population.salesforce.items():
        if sobject not in expected:
            continue
        for sf_id, record in records.items():
            if record.get("IsDeleted") or (sobject == "Lead" and record.get("IsConverted")):
                continue
            if (sobject, sf_id) not in linked:
                email = str(record.get("Email") or "").strip().lower()
                kind = "duplicate_of_synced" if email and email in linked_emails else "salesforce_unsynced"
                add(Orphan(kind, "salesforce", sobject, sf_id,
                           f"{sobject} {record.get('Email') or record.get('Name') or sf_id} has no HubSpot record"))
    return report
