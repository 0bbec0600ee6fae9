"""Which HubSpot object syncs with which Salesforce objects, and the HubSpot property that holds the id of the
Salesforce record a HubSpot record is linked to (the connector's link property).

HubSpot's connector documents these pairs: contacts with Leads and Contacts, companies with Accounts, deals with
Opportunities, tickets with Cases (https://knowledge.hubspot.com/salesforce/salesforce-integration-faq).
"""

from __future__ import annotations

# Salesforce object -> the HubSpot property carrying its record id on the linked HubSpot record.
LINK_PROPERTY: dict[str, str] = {
    "Lead": "salesforceleadid",
    "Contact": "salesforcecontactid",
    "Account": "salesforceaccountid",
    "Opportunity": "hs_salesforceopportunityid",
    "Case": "salesforcecaseid",
}
# Salesforce object -> the HubSpot object it syncs with.
HUBSPOT_OBJECT: dict[str, str] = {
    "Lead": "contacts", "Contact": "contacts", "Account": "companies", "Opportunity": "deals", "Case": "tickets",
}
# HubSpot object -> its (link property, Salesforce object) pairs; a contact may be linked to a Contact or a Lead,
# and the Contact link wins when both are set (a converted Lead keeps its id on the contact).
LINKS: dict[str, list[tuple[str, str]]] = {
    "contacts": [(LINK_PROPERTY["Contact"], "Contact"), (LINK_PROPERTY["Lead"], "Lead")],
    "companies": [(LINK_PROPERTY["Account"], "Account")],
    "deals": [(LINK_PROPERTY["Opportunity"], "Opportunity")],
    "tickets": [(LINK_PROPERTY["Case"], "Case")],
}
# Link property -> the Salesforce object whose id it holds.
LINKED_SOBJECT: dict[str, str] = {prop: sobject for sobject, prop in LINK_PROPERTY.items()}
