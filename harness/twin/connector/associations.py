"""Associations as the connector sees them: a HubSpot record's primary company stands for a Salesforce AccountId.

A company is identified on the Salesforce side by the account it is linked to; a company with no link yet reads
as an UNLINKED marker, which can never be written to Salesforce (it waits until the company has its account).
"""

from __future__ import annotations

from ..hubspot.exceptions import HubSpotError
from .context import Context

UNLINKED = "hubspot-company:"
COMPANY = "@company"


def account_of_primary_company(ctx: Context, object_type: str, hs_id: str) -> str | None:
    company_id = ctx.hubspot.backend.primary_company(object_type, hs_id)
    if company_id is None:
        return None
    link = ctx.links.one_by_hs("companies", company_id)
    return link.sf_id if link is not None else UNLINKED + company_id


def company_of_account(ctx: Context, account_id: str) -> str | None:
    link = ctx.links.one_by_sf(account_id)
    return link.hs_id if link is not None and link.hs_object == "companies" else None


def set_primary_company(ctx: Context, object_type: str, hs_id: str, company_id: str | None) -> bool:
    """Make `company_id` the record's primary company (None: drop the current primary association)."""
    backend = ctx.hubspot.backend
    current = backend.primary_company(object_type, hs_id)
    if current == company_id:
        return True
    try:
        if company_id is None:
            if current is not None:
                backend.associations.remove(object_type, hs_id, "companies", current)
            return True
        primary = next(k for k in backend.associations.catalog.between(object_type, "companies") if k.primary)
        backend.associations.associate(object_type, hs_id, "companies", company_id, [(primary.category, primary.type_id)])
    except (HubSpotError, StopIteration):
        return False
    return True


def associate(ctx: Context, from_type: str, from_id: str, to_type: str, to_id: str) -> bool:
    backend = ctx.hubspot.backend
    if to_id in backend.associated_ids(from_type, from_id, to_type):
        return True
    try:
        backend.associations.associate_default(from_type, from_id, to_type, to_id)
    except HubSpotError:
        return False
    return True
