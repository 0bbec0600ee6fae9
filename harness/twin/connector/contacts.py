"""HubSpot contacts ⇄ Salesforce Leads and Contacts.

- A contact without an e-mail address never syncs; one outside the inclusion list does not either (though a
  Salesforce record still creates or deduplicates its contact, which then waits until it qualifies).
- E-mail match: on a contact's first sync an existing Salesforce record with its e-mail is used (the oldest, as
  Salesforce returns it), never a new one; afterwards the contact follows whichever record with that e-mail was
  most recently updated, which is how it follows a Lead converted into a Contact.
- New contacts create Leads or Contacts, one or the other, as the settings say.
- Deletes and merges as the settings and switches say (see docs/twin-connector.md).
"""

from __future__ import annotations

from typing import Any

from ..hubspot.models import HsObject
from .associations import COMPANY, UNLINKED, account_of_primary_company, company_of_account, set_primary_company
from .context import Context
from .fieldsync import PairPlan
from .inclusion import InclusionList
from .links import Link
from .objects import ObjectSync, Pair
from .settings import FieldMapping, SyncRule

LEAD_LINK, CONTACT_LINK = "salesforceleadid", "salesforcecontactid"
# The contact's primary company syncs with the Salesforce Contact's AccountId, most recent change winning.
COMPANY_MAPPING = FieldMapping(hubspot=COMPANY, salesforce="AccountId", rule=SyncRule.TWO_WAY, salesforce_objects=("Contact",))
DELETED_PROPERTY = "salesforcedeleted"


class ContactSync(ObjectSync):
    object_type = "contacts"
    sf_objects = ("Lead", "Contact")  # Leads first: a conversion is seen before the Contact it produced
    link_property = {"Lead": LEAD_LINK, "Contact": CONTACT_LINK}

    def __init__(self, ctx: Context, inclusion: InclusionList) -> None:
        super().__init__(ctx)
        self.inclusion = inclusion

    @property
    def config(self):  # noqa: ANN201 - the pydantic ContactSettings
        return self.ctx.settings.objects.contacts

    # -- eligibility ----------------------------------------------------------------------------------
    def eligible(self, pair: Pair) -> bool:
        assert pair.hs is not None
        return bool(pair.hs.properties.get("email")) and self.inclusion.contains(pair.hs)

    def sync_pairs(self, pairs: list[Pair]) -> None:
        # A contact Salesforce just created outside the inclusion list is linked, but nothing else crosses.
        waiting = [p for p in pairs if p.link.new and p.hs is not None and not self.eligible(p)]
        super().sync_pairs(pairs)
        for pair in waiting:
            assert pair.hs is not None and pair.row is not None
            sobject = self.ctx.salesforce.sobject(pair.link.sf_object)
            if sobject is None:
                continue
            plan = self.ctx.fields.plan(self.object_type, pair.link, pair.hs, pair.row, sobject,
                                        self.mappings(sobject.name))
            plan.to_sf, plan.to_hs, plan.errors = {}, {}, []
            self.extend_plan(plan)
            self.apply([plan])

    # -- HubSpot records without a link ---------------------------------------------------------------
    def match_hubspot(self, unlinked: list[HsObject]) -> None:
        ctx = self.ctx
        candidates = []
        for obj in unlinked:
            if not obj.properties.get("email") or not self.inclusion.contains(obj):
                ctx.stats.bump(self.object_type, "skipped_not_eligible")
                continue
            if self._waits_after_salesforce_delete(obj):
                ctx.stats.bump(self.object_type, "skipped_deleted_in_salesforce")
                continue
            if not self.adopt_by_link_property(obj):
                candidates.append(obj)
        if not candidates:
            return
        emails = [str(o.properties["email"]) for o in candidates]
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for sobject_name in ("Contact", "Lead"):
            for email, rows in ctx.salesforce.by_email(sobject_name, emails).items():
                found.setdefault(email, []).extend((sobject_name, r) for r in rows)
        newest = ctx.settings.switches["first_sync_match"] == "newest"
        to_create = []
        for obj in candidates:
            matches = found.get(str(obj.properties["email"]).lower())
            if matches:
                # The e-mail rule: an existing record is used, never a new one created beside it.
                sobject_name, row = sorted(matches, key=lambda m: (m[1]["CreatedDate"], m[1]["Id"]), reverse=newest)[0]
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)
            elif self.config.on_hubspot_create_or_update == "create_or_update":
                to_create.append((obj, self.config.create_in_salesforce_as,
                                  self.new_record_values(obj, self.config.create_in_salesforce_as)))
        self.create_in_salesforce(to_create)

    def _waits_after_salesforce_delete(self, obj: HsObject) -> bool:
        """A contact whose Salesforce record was deleted or merged away stays unlinked (marked salesforcedeleted)
        until someone changes it in HubSpot: the connector's own mark is not a trigger, so it never makes a second
        Salesforce record for the person behind the merge's back."""
        if str(obj.properties.get(DELETED_PROPERTY)).lower() != "true":
            return False
        marked = self.ctx.hubspot.backend.last_write(self.object_type, obj.id, DELETED_PROPERTY)
        if not marked:
            return False
        names = {m.hubspot for m in self.ctx.settings.mappings.get(self.object_type, [])}
        return not any(self.ctx.hubspot.written_since(self.object_type, obj.id, name, marked[0]) for name in names)

    def new_record_values(self, obj: HsObject, sobject_name: str) -> dict[str, Any]:
        data = self.salesforce_values(obj, sobject_name)
        placeholder = self.ctx.settings.switches["required_field_placeholder"]
        for required in ("LastName", "Company") if sobject_name == "Lead" else ("LastName",):
            if self.ctx.salesforce.field(sobject_name, required) is not None and not data.get(required):
                data[required] = placeholder
        return data

    # -- Salesforce records without a link ------------------------------------------------------------
    def match_salesforce(self, unlinked: list[tuple[str, dict[str, Any]]]) -> None:
        ctx = self.ctx
        if self.config.on_salesforce_create_or_update != "create_or_update":
            return
        for sobject_name, row in unlinked:
            email = row.get("Email")
            if not email or (sobject_name == "Lead" and row.get("IsConverted")):
                continue
            obj = ctx.hubspot.by_email(str(email))
            if obj is None:
                obj = self.create_in_hubspot(sobject_name, row, {self.link_property[sobject_name]: row["Id"]})
                if obj is not None:
                    self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)
                continue
            current = self.pairs.get(obj.id)
            if current is not None and current.link.sf_id == row["Id"]:
                current.row = row
                continue
            linked_row = current.row if current is not None else self._linked_row(obj.id)
            # Documented: after the first sync the contact follows the most recently updated record with its e-mail.
            if linked_row is None or str(row["LastModifiedDate"]) >= str(linked_row["LastModifiedDate"]):
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)

    def _linked_row(self, hs_id: str) -> dict[str, Any] | None:
        link = self.ctx.links.one_by_hs(self.object_type, hs_id)
        if link is None:
            return None
        row = self.ctx.salesforce.row(link.sf_object, link.sf_id)
        return None if row is None or row.get("IsDeleted") else row

    # -- conversion, deletes, merges ------------------------------------------------------------------
    def follow_lead_conversion(self, sobject_name: str, row: dict[str, Any], link: Link) -> bool:
        if sobject_name != "Lead" or not row.get("IsConverted") or not row.get("ConvertedContactId"):
            return False
        ctx = self.ctx
        contact_id = row["ConvertedContactId"]
        ctx.links.retire(row["Id"], "Lead", self.object_type, link.hs_id, "converted")
        obj = ctx.hubspot.get(self.object_type, link.hs_id)
        contact_row = ctx.salesforce.row("Contact", contact_id)
        if obj is None or contact_row is None:
            ctx.links.unlink(self.object_type, link.hs_id)
            return True
        # The conversion continues the pair: the Lead's snapshots carry over to the converted Contact. The contact's
        # company follows the converted account (the documented duplicate company when HubSpot had made one), or
        # stays as it is (switch lead_conversion_company).
        moved = Link(self.object_type, obj.id, "Contact", contact_id, dict(link.hs_snapshot), dict(link.sf_snapshot))
        moved.hs_snapshot[COMPANY] = account_of_primary_company(ctx, self.object_type, obj.id)
        follow = ctx.settings.switches["lead_conversion_company"] == "follow_converted_account"
        moved.sf_snapshot[COMPANY] = None if follow else contact_row.get("AccountId")
        self.add_pair(moved, obj, contact_row)
        ctx.stats.bump(self.object_type, "relinked")
        return True

    def salesforce_deleted(self, sobject_name: str, row: dict[str, Any], link: Link | None) -> None:
        if link is None:
            return
        ctx = self.ctx
        self.pairs.pop(link.hs_id, None)
        master = row.get("MasterRecordId")
        if master:
            ctx.links.retire(row["Id"], sobject_name, self.object_type, link.hs_id, "merged")
            if ctx.settings.switches["salesforce_merge"] == "relink_to_master":
                master_link = ctx.links.one_by_sf(master)
                master_row = ctx.salesforce.row(sobject_name, master)
                obj = ctx.hubspot.get(self.object_type, link.hs_id)
                if master_row is not None and obj is not None and (master_link is None or master_link.hs_id == obj.id):
                    moved = Link(self.object_type, obj.id, sobject_name, master, dict(link.hs_snapshot), {}, new=False)
                    self.add_pair(moved, obj, master_row)
                    ctx.stats.bump(self.object_type, "relinked")
                    return
            self._orphan(link)
            return
        if self.config.on_salesforce_delete == "delete_contact":
            ctx.links.unlink(self.object_type, link.hs_id)
            if ctx.hubspot.archive(self.object_type, link.hs_id):
                ctx.stats.bump(self.object_type, "deleted_in_hubspot")
            return
        self._orphan(link)

    def _orphan(self, link: Link) -> None:
        ctx = self.ctx
        ctx.links.unlink(self.object_type, link.hs_id)
        if ctx.settings.switches["salesforce_delete_marks_contact"] \
                and ctx.hubspot.property(self.object_type, DELETED_PROPERTY) is not None:
            ctx.hubspot.update(self.object_type, link.hs_id, {DELETED_PROPERTY: "true"})

    def hubspot_gone(self, hs_id: str, obj: HsObject | None, link: Link) -> None:
        if obj is not None and not obj.archived and obj.id != hs_id:
            # Merged in HubSpot: only the primary keeps syncing; the secondary's Salesforce record stops.
            survivor = self.ctx.links.one_by_hs(self.object_type, obj.id)
            if survivor is None or survivor.sf_id != link.sf_id:
                self.ctx.links.retire(link.sf_id, link.sf_object, self.object_type, obj.id, "hubspot_merge")
        super().hubspot_gone(hs_id, obj, link)

    # -- the contact's company <-> the Salesforce Contact's account ------------------------------------
    def virtual_mappings(self, sobject_name: str) -> list[FieldMapping]:
        companies = self.ctx.settings.objects.companies
        if sobject_name != "Contact" or not companies.enabled or not companies.sync_associations \
                or self.ctx.salesforce.field("Contact", "AccountId") is None:
            return []
        return [COMPANY_MAPPING]

    def virtual_values(self, pair: Pair) -> dict[str, str | None]:
        assert pair.hs is not None
        if pair.link.sf_object != "Contact":
            return {}
        return {COMPANY: account_of_primary_company(self.ctx, self.object_type, pair.hs.id)}

    def write_virtual(self, plan: PairPlan, values: dict[str, str | None]) -> bool:
        if COMPANY not in values:
            return True
        account_id = values[COMPANY]
        company_id = company_of_account(self.ctx, account_id) if account_id else None
        if account_id and company_id is None:
            # Documented Sync Health association error: the contact's account has not synced as a company yet.
            self.ctx.health.record("WAITING_FOR_ACCOUNT", f"Waiting for account to sync: the contact's Salesforce "
                                   f"account {account_id} has not synced to HubSpot yet", self.object_type, plan.hs.id,
                                   plan.link.sf_object, plan.link.sf_id)
            return False
        return set_primary_company(self.ctx, self.object_type, plan.hs.id, company_id)

    # -- what the contact shows of its Salesforce record ----------------------------------------------
    def extend_plan(self, plan: PairPlan) -> None:
        account = plan.to_sf.get("AccountId")
        if isinstance(account, str) and account.startswith(UNLINKED):
            # The contact's HubSpot company has no account yet: the company sync creates it, then this crosses.
            del plan.to_sf["AccountId"]
            plan.hs_expect[COMPANY] = plan.link.hs_snapshot.get(COMPANY)
            plan.sf_expect[COMPANY] = plan.link.sf_snapshot.get(COMPANY)
            self.ctx.retries.later("hs", self.object_type, plan.hs.id, self.ctx.cycle + 1)
        super().extend_plan(plan)
        props = plan.hs.properties
        row = plan.sf_row
        if plan.link.sf_object == "Contact" and not self.ctx.settings.switches["lead_conversion_keeps_lead_id"] \
                and props.get(LEAD_LINK):
            plan.hs_extra[LEAD_LINK] = None
        if props.get(DELETED_PROPERTY) == "true":
            plan.hs_extra[DELETED_PROPERTY] = "false"
        for prop, value in (("salesforceaccountid", row.get("AccountId")), ("salesforceownerid", row.get("OwnerId"))):
            if self.ctx.hubspot.property(self.object_type, prop) is not None and props.get(prop) != value \
                    and (value is not None or props.get(prop) is not None):
                plan.hs_extra[prop] = value
