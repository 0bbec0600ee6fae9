"""HubSpot companies ⇄ Salesforce Accounts.

- Every new Salesforce account becomes a HubSpot company (no contact needed); companies are deduplicated by the
  Salesforce Account ID they carry, never by domain.
- A HubSpot company creates an account only in the documented cases: it was auto-created from a contact and
  contacts create Salesforce Contacts; or an associated contact syncs with a private Salesforce contact (one
  without an account); or an associated contact qualifies for the inclusion list. Never when all its contacts
  sync with Leads (leads have no accounts), never without associated contacts.
- Merging HubSpot companies is blocked while the integration is on (switch `hubspot_company_merge`).
"""

from __future__ import annotations

from typing import Any

from ..hubspot.models import HsObject
from .context import Context
from .inclusion import InclusionList
from .links import Link
from .objects import ObjectSync, Pair

ACCOUNT_LINK = "salesforceaccountid"
MERGED_IDS = "hs_merged_object_ids"


class CompanySync(ObjectSync):
    object_type = "companies"
    sf_objects = ("Account",)
    link_property = {"Account": ACCOUNT_LINK}

    def __init__(self, ctx: Context, inclusion: InclusionList | None = None) -> None:
        super().__init__(ctx)
        self.inclusion = inclusion

    @property
    def config(self):  # noqa: ANN201 - the pydantic CompanySettings
        return self.ctx.settings.objects.companies

    def enabled(self) -> bool:
        return self.config.enabled

    def eligible(self, pair: Pair) -> bool:
        assert pair.hs is not None
        if pair.hs.properties.get(MERGED_IDS) and self.ctx.settings.switches["hubspot_company_merge"] == "blocked":
            self.ctx.health.record("COMPANY_MERGE_BLOCKED", "Companies can't be merged while the Salesforce integration "
                                   "is connected; this merged company no longer syncs", self.object_type, pair.hs.id,
                                   "Account", pair.link.sf_id)
            return False
        return True

    # -- HubSpot companies without an account ---------------------------------------------------------
    def match_hubspot(self, unlinked: list[HsObject]) -> None:
        to_create = []
        for obj in unlinked:
            if self.adopt_by_link_property(obj):
                continue
            if self.qualifies_for_account(obj):
                to_create.append((obj, "Account", self.salesforce_values(obj, "Account")))
        self.create_in_salesforce(to_create)

    def qualifies_for_account(self, obj: HsObject) -> bool:
        """The documented conditions under which a HubSpot company creates a Salesforce account."""
        ctx = self.ctx
        contact_ids = ctx.hubspot.associated("companies", obj.id, "contacts")
        if not contact_ids:
            return False  # documented: no associated contacts, no account
        links = ctx.links.by_hs("contacts", contact_ids)
        if links and len(links) == len(contact_ids) and all(link.sf_object == "Lead" for link in links.values()):
            return False  # documented: every associated contact syncs with a Lead (leads have no accounts)
        synced_contacts = [link for link in links.values() if link.sf_object == "Contact"]
        rows = ctx.salesforce.rows("Contact", [link.sf_id for link in synced_contacts]) if synced_contacts else {}
        if any(not row.get("AccountId") for row in rows.values()):
            return True  # an associated contact syncs with a private contact: HubSpot creates its account
        if self.config.hubspot_auto_create_companies and synced_contacts \
                and ctx.settings.objects.contacts.create_in_salesforce_as == "Contact":
            return True  # auto-created companies of contacts that sync as Salesforce Contacts
        if self.inclusion is not None and self.inclusion.active:
            for contact_id in contact_ids:
                contact = ctx.hubspot.get("contacts", contact_id)
                if contact is not None and contact_id not in links and self.inclusion.contains(contact):
                    return True  # documented: an associated contact qualifies for the inclusion list
        return False

    # -- Salesforce accounts without a company --------------------------------------------------------
    def match_salesforce(self, unlinked: list[tuple[str, dict[str, Any]]]) -> None:
        ctx = self.ctx
        for sobject_name, row in unlinked:
            obj = ctx.hubspot.find(self.object_type, ACCOUNT_LINK, row["Id"])
            if obj is None:
                obj = self.create_in_hubspot(sobject_name, row, {ACCOUNT_LINK: row["Id"]})
            if obj is not None:
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)

    def salesforce_deleted(self, sobject_name: str, row: dict[str, Any], link: Link | None) -> None:
        if link is None:
            return
        ctx = self.ctx
        self.pairs.pop(link.hs_id, None)
        ctx.links.unlink(self.object_type, link.hs_id)
        if row.get("MasterRecordId"):
            # Accounts merged in Salesforce: the master keeps syncing with its company; the loser's company is left.
            ctx.links.retire(row["Id"], sobject_name, self.object_type, link.hs_id, "merged")
            return
        if self.config.on_salesforce_delete == "delete_company" and ctx.hubspot.archive(self.object_type, link.hs_id):
            ctx.stats.bump(self.object_type, "deleted_in_hubspot")
