"""Lead conversion (the partner API's convertLead), one LeadConvert at a time, all-or-nothing per lead.

Follows the documented behaviour (connector-behaviour.md §3.1): new or existing Account/Contact, an optional
Opportunity with the contact as its primary contact role, the converted status must be a LeadStatus with
IsConverted, existing records only get their empty fields filled, the lead ends read-only with ConvertedDate
and Converted*Id. Where Salesforce's admin-configured lead field mapping would apply, the twin maps the
standard fields below plus any custom `__c` field with the same API name on the target object.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .automation.scope import org_today
from .context import SaveContext

if TYPE_CHECKING:
    from .models import SalesforceBackend

ACCOUNT_MAP = {"Company": "Name", "Industry": "Industry", "Website": "Website", "Phone": "Phone",
               "Country": "BillingCountry", "CountryCode": "BillingCountryCode", "State": "BillingState",
               "StateCode": "BillingStateCode", "Region__c": "Region__c", "NumberOfEmployees": "NumberOfEmployees",
               "AnnualRevenue": "AnnualRevenue"}
CONTACT_MAP = {"FirstName": "FirstName", "LastName": "LastName", "Email": "Email", "Phone": "Phone", "Title": "Title",
               "LeadSource": "LeadSource", "Country": "MailingCountry", "CountryCode": "MailingCountryCode",
               "State": "MailingState", "StateCode": "MailingStateCode"}
OPPORTUNITY_MAP = {"LeadSource": "LeadSource"}


def _quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    following = date(day.year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _mapped(backend: SalesforceBackend, lead: dict[str, Any], target_name: str, standard: dict[str, str]) -> dict[str, Any]:
    target = backend.sobject(target_name)
    lead_schema = backend.sobject("Lead")
    out = {}
    pairs = dict(standard)
    for f in lead_schema.fields.values():
        if f.name.endswith("__c") and f.formula is None and target.field(f.name) is not None:
            pairs.setdefault(f.name, f.name)
    for source, destination in pairs.items():
        f = target.field(destination)
        if f is None or f.formula is not None or f.system or lead.get(source) in (None, ""):
            continue
        value = lead[source]
        out[f.name] = bool(value) if f.type == "boolean" else value
    return out


def _fill_empty(backend: SalesforceBackend, name: str, record_id: str, values: dict[str, Any], ctx: SaveContext) -> None:
    """Existing records keep their data: only empty fields take the lead's values."""
    sobject = backend.sobject(name)
    current = backend.row(sobject, record_id)
    changes = {k: v for k, v in values.items() if current.get(k) in (None, "") and k != "OwnerId"}
    if changes:
        backend.saver.update(sobject, record_id, changes, ctx)


def convert_lead(backend: SalesforceBackend, request: dict[str, Any], ctx: SaveContext) -> dict[str, Any]:
    lead_schema = backend.sobject("Lead")
    lead_id = backend.normalise_id(lead_schema, str(request.get("leadId") or ""), "leadId")
    status = request.get("convertedStatus")
    with backend.store.transaction():
        lead = backend.row(lead_schema, lead_id)
        if lead is None or not backend.access.can_read(ctx.user_id, lead_schema, lead):
            raise err.InvalidCrossReference("invalid cross reference id", ["leadId"])
        if lead.get("IsConverted"):
            raise err.SalesforceError("This lead was already converted.", ["leadId"], error_code="CANNOT_UPDATE_CONVERTED_LEAD")
        converted = backend.store.db.execute(
            'SELECT "ApiName" FROM "sf_leadstatus" WHERE "IsDeleted" = 0 AND "IsConverted" = 1 AND '
            '("ApiName" = ? OR "MasterLabel" = ?)', (status, status)).fetchone()
        if not status or converted is None:
            raise err.SalesforceError(f"invalid convertedStatus: {status}", ["convertedStatus"], error_code="INVALID_STATUS")
        # The converting lead must not count as its own duplicate when the contact is created, and alert-only
        # duplicate rules do not stop a conversion (block rules still do).
        inner = SaveContext(user_id=ctx.user_id, allow_duplicates=True, via_connector=ctx.via_connector,
                        extra={**ctx.extra, "exclude_ids": {lead_id}})
        owner = request.get("ownerId") or lead.get("OwnerId")
        account_id = request.get("accountId")
        if account_id:
            account_id = backend.normalise_id(backend.sobject("Account"), str(account_id), "accountId")
            if backend.row(backend.sobject("Account"), account_id) is None:
                raise err.InvalidCrossReference("invalid cross reference id", ["accountId"])
            _fill_empty(backend, "Account", account_id, _mapped(backend, lead, "Account", ACCOUNT_MAP), inner)
        else:
            account_id = backend.saver.insert(backend.sobject("Account"), {
                **_mapped(backend, lead, "Account", ACCOUNT_MAP), "OwnerId": owner}, inner)
        contact_id = request.get("contactId")
        if contact_id:
            contact_id = backend.normalise_id(backend.sobject("Contact"), str(contact_id), "contactId")
            contact = backend.row(backend.sobject("Contact"), contact_id)
            if contact is None or contact.get("AccountId") != account_id:
                raise err.InvalidCrossReference("The contact must belong to the account specified by accountId",
                                                ["contactId"])
            values = _mapped(backend, lead, "Contact", CONTACT_MAP)
            if _true(request.get("overwriteLeadSource")) and lead.get("LeadSource"):
                backend.saver.update(backend.sobject("Contact"), contact_id, {"LeadSource": lead["LeadSource"]}, inner)
            _fill_empty(backend, "Contact", contact_id, values, inner)
        else:
            contact_id = backend.saver.insert(backend.sobject("Contact"), {
                **_mapped(backend, lead, "Contact", CONTACT_MAP), "AccountId": account_id, "OwnerId": owner}, inner)
        opportunity_id = None
        if not _true(request.get("doNotCreateOpportunity")) and backend.schema.sobject("Opportunity") is not None:
            opportunity = backend.sobject("Opportunity")
            stage = opportunity.field("StageName")
            first_stage = (stage.default or (stage.values[0] if stage.values else "Prospecting")) if stage else None
            name = request.get("opportunityName") or f"{lead.get('Company') or lead.get('LastName')}-"
            opportunity_id = backend.saver.insert(opportunity, {
                **_mapped(backend, lead, "Opportunity", OPPORTUNITY_MAP), "Name": name, "AccountId": account_id,
                "StageName": first_stage, "CloseDate": _quarter_end(org_today(backend)).isoformat(), "OwnerId": owner}, inner)
            roles = backend.schema.sobject("OpportunityContactRole")
            if roles is not None:
                backend.saver.insert(roles, {"OpportunityId": opportunity_id, "ContactId": contact_id, "IsPrimary": True},
                                     inner, trusted=True)
        lead_changes = {"Status": converted["ApiName"], "IsConverted": True,
                        "ConvertedDate": org_today(backend).isoformat(), "ConvertedAccountId": account_id,
                        "ConvertedContactId": contact_id}
        if lead_schema.field("ConvertedOpportunityId") is not None:
            lead_changes["ConvertedOpportunityId"] = opportunity_id
        backend.saver.update(lead_schema, lead_id, lead_changes, ctx, trusted=True)
    return {"accountId": account_id, "contactId": contact_id, "leadId": lead_id, "opportunityId": opportunity_id,
            "success": True, "errors": []}


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")
