"""Realistic calls to every HubSpot endpoint the twin serves, as an integration makes them: the success answers
(200, 201, 202, 204, 207 partial batches) and the common errors (404, 400, 409). The conformance test records each
exchange and checks it against HubSpot's OpenAPI specs.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests

ASSOC = "/crm/v4/associations/contacts/companies"
V3 = "/crm/v3/associations/contacts/companies/batch"
LISTS = "/crm/v3/lists"


class Driver:
    def __init__(self, session: requests.Session, base: str) -> None:
        self.session = session
        self.base = base.rstrip("/")
        self.tag = uuid.uuid4().hex[:8]

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = self.session.request(method, self.base + path, json=body, params=params or None)
        return response.json() if response.content and response.headers.get("Content-Type", "").startswith(
            "application/json") else None

    def email(self, name: str) -> str:
        return f"{name}.{self.tag}@example.com"

    # -- the whole tour -------------------------------------------------------------------------------
    def run(self) -> None:
        self.account()
        ids = self.objects()
        self.batches()
        self.associations(ids)
        self.properties()
        self.pipelines()
        self.owners()
        self.lists(ids)
        self.flows()
        self.exports()

    def account(self) -> None:
        self.call("GET", "/account-info/v3/details")
        self.call("GET", "/account-info/v3/api-usage/daily/private-apps")

    def objects(self) -> dict[str, str]:
        contact = self.call("POST", "/crm/v3/objects/contacts", {"properties": {
            "email": self.email("ada"), "firstname": "Ada", "lastname": "Lovelace", "lifecyclestage": "lead"}})
        company = self.call("POST", "/crm/v3/objects/companies", {"properties": {"name": f"Acme {self.tag}",
                                                                                 "domain": f"{self.tag}.example.com"}})
        deal = self.call("POST", "/crm/v3/objects/deals", {"properties": {"dealname": f"Deal {self.tag}", "amount": "1200"},
                                                          "associations": [{"to": {"id": company["id"]}, "types": [
                                                              {"associationCategory": "HUBSPOT_DEFINED",
                                                               "associationTypeId": 5}]}]})
        self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email("ada")}})  # 409 conflict
        self.call("GET", f"/crm/v3/objects/contacts/{contact['id']}", properties="email,firstname,phone",
                  propertiesWithHistory="firstname", associations="companies")
        self.call("GET", f"/crm/v3/objects/deals/{deal['id']}", associations="companies")
        self.call("GET", f"/crm/v3/objects/contacts/{self.email('ada')}", idProperty="email")
        self.call("GET", "/crm/v3/objects/contacts/999999001")  # 404
        self.call("PATCH", f"/crm/v3/objects/contacts/{contact['id']}", {"properties": {"firstname": "Augusta"}})
        self.call("PATCH", f"/crm/v3/objects/contacts/{contact['id']}", {"properties": {"lifecyclestage": "nonsense"}})
        self.call("GET", "/crm/v3/objects/contacts", limit=2, properties="email,firstname")
        self.call("GET", "/crm/v3/objects/companies", limit=1, propertiesWithHistory="name")
        self.call("POST", "/crm/v3/objects/contacts/search", {
            "filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": self.email("ada")}]}],
            "properties": ["email", "firstname"], "limit": 10})
        self.call("POST", "/crm/v3/objects/contacts/search", {"query": "Augusta", "sorts": ["createdate"], "limit": 1})
        twin = self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email("ada2"), "phone": "555"}})
        self.call("POST", "/crm/v3/objects/contacts/merge", {"primaryObjectId": contact["id"], "objectIdToMerge": twin["id"]})
        gone = self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email("forget")}})
        self.call("POST", "/crm/v3/objects/contacts/gdpr-delete", {"objectId": gone["id"]})
        spare = self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email("spare")}})
        self.call("DELETE", f"/crm/v3/objects/contacts/{spare['id']}")
        self.call("GET", f"/crm/v3/objects/contacts/{spare['id']}", archived="true")
        ticket = self.call("POST", "/crm/v3/objects/tickets", {"properties": {"subject": f"Ticket {self.tag}",
                                                                             "hs_ticket_priority": "HIGH", "hs_pipeline": "0",
                                                                             "hs_pipeline_stage": "1"}})
        self.call("GET", f"/crm/v3/objects/tickets/{ticket['id']}", properties="subject,hs_pipeline_stage")
        for name in ("grace", "hedy"):
            self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email(name)}})
        first = self.call("GET", "/crm/v3/objects/contacts", limit=1)
        self.call("GET", "/crm/v3/objects/contacts", limit=1, after=first["paging"]["next"]["after"])
        page = self.call("POST", "/crm/v3/objects/contacts/search", {"filterGroups": [{"filters": [
            {"propertyName": "email", "operator": "HAS_PROPERTY"}]}], "sorts": [{"propertyName": "createdate",
                                                                               "direction": "DESCENDING"}], "limit": 1})
        self.call("POST", "/crm/v3/objects/contacts/search", {"filterGroups": [{"filters": [
            {"propertyName": "email", "operator": "HAS_PROPERTY"}]}], "limit": 1, "after": page["paging"]["next"]["after"]})
        self.call("POST", "/crm/v3/objects/deals/search", {"filterGroups": [{"filters": [
            {"propertyName": "amount", "operator": "GTE", "value": "1000"}]}], "properties": ["dealname", "amount"]})
        self.call("POST", "/crm/v3/objects/contacts/search", {"filterGroups": [{"filters": [
            {"propertyName": "no_such_property", "operator": "EQ", "value": "x"}]}]})  # 400
        survivor = self.call("GET", f"/crm/v3/objects/contacts/{contact['id']}")
        return {"contact": survivor["id"], "company": company["id"], "deal": deal["id"]}

    def batches(self) -> None:
        emails = [self.email(f"b{n}") for n in range(3)]
        made = self.call("POST", "/crm/v3/objects/contacts/batch/create", {"inputs": [
            {"properties": {"email": e, "firstname": "Batch"}} for e in emails]})
        ids = [r["id"] for r in made["results"]]
        self.call("POST", "/crm/v3/objects/contacts/batch/create", {"inputs": [  # 207: one conflict
            {"properties": {"email": self.email("b9")}}, {"properties": {"email": emails[0]}}]})
        self.call("POST", "/crm/v3/objects/contacts/batch/read", {"inputs": [{"id": i} for i in ids],
                                                                   "properties": ["email", "firstname", "phone"]})
        self.call("POST", "/crm/v3/objects/contacts/batch/read", {"inputs": [{"id": ids[0]}, {"id": "999999002"}],
                                                                   "properties": ["email"]})
        self.call("POST", "/crm/v3/objects/contacts/batch/read", {"inputs": [{"id": emails[1]}], "idProperty": "email",
                                                                   "properties": ["email"], "propertiesWithHistory": ["email"]})
        self.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": [
            {"id": i, "properties": {"lastname": "Updated"}} for i in ids]})
        self.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": [
            {"id": ids[0], "properties": {"lastname": "Again"}}, {"id": "999999003", "properties": {"lastname": "X"}}]})
        self.call("POST", "/crm/v3/objects/contacts/batch/upsert", {"inputs": [
            {"idProperty": "email", "id": emails[2], "properties": {"firstname": "Upserted"}},
            {"idProperty": "email", "id": self.email("new-upsert"), "properties": {"firstname": "New"}}]})
        self.call("POST", "/crm/v3/objects/contacts/batch/upsert", {"inputs": [  # 207: one bad value
            {"idProperty": "email", "id": emails[2], "properties": {"lifecyclestage": "not-a-stage"}},
            {"idProperty": "email", "id": emails[1], "properties": {"firstname": "Fine"}}]})
        self.call("POST", "/crm/v3/objects/contacts/batch/create", {"inputs": [{"properties": {}} for _ in range(101)]})
        self.call("POST", "/crm/v3/objects/contacts/batch/archive", {"inputs": [{"id": ids[1]}]})

    def associations(self, ids: dict[str, str]) -> None:
        contact, company = ids["contact"], ids["company"]
        other = self.call("POST", "/crm/v3/objects/companies", {"properties": {"name": f"Other {self.tag}"}})["id"]
        self.call("PUT", f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}",
                  [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}])
        self.call("PUT", f"/crm/v4/objects/contacts/{contact}/associations/companies/999999004",
                  [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}])  # 400
        self.call("PUT", f"/crm/v4/objects/contact/{contact}/associations/default/company/{other}")
        self.call("GET", f"/crm/v4/objects/contacts/{contact}/associations/companies", limit=500)
        self.call("GET", f"/crm/v4/objects/deals/{ids['deal']}/associations/companies")
        self.call("POST", f"{ASSOC}/batch/create", {"inputs": [{"from": {"id": contact}, "to": {"id": other}, "types": [
            {"associationCategory": "USER_DEFINED", "associationTypeId": 101}]}]})
        self.call("POST", f"{ASSOC}/batch/associate/default", {"inputs": [{"from": {"id": contact}, "to": {"id": company}}]})
        lonely = self.call("POST", "/crm/v3/objects/contacts", {"properties": {"email": self.email("lonely")}})["id"]
        self.call("POST", f"{ASSOC}/batch/read", {"inputs": [{"id": contact}]})
        self.call("POST", f"{ASSOC}/batch/read", {"inputs": [{"id": contact}, {"id": lonely}]})  # 207
        self.call("POST", f"{ASSOC}/batch/labels/archive", {"inputs": [{"from": {"id": contact}, "to": {"id": other},
                                                                        "types": [{"associationCategory": "USER_DEFINED",
                                                                                   "associationTypeId": 101}]}]})
        self.call("POST", f"{ASSOC}/batch/archive", {"inputs": [{"from": {"id": contact}, "to": [{"id": other}]}]})
        self.call("DELETE", f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}")
        self.call("GET", f"{ASSOC}/labels")
        made = self.call("POST", f"{ASSOC}/labels", {"label": f"Reviewer {self.tag}", "name": f"reviewer_{self.tag}"})
        type_id = next(r["typeId"] for r in made["results"] if r.get("label") == f"Reviewer {self.tag}")
        self.call("PUT", f"{ASSOC}/labels", {"associationTypeId": type_id, "label": f"Approver {self.tag}"})
        self.call("DELETE", f"{ASSOC}/labels/{type_id}")
        self.call("POST", f"{V3}/create", {"inputs": [{"from": {"id": contact}, "to": {"id": company},
                                                       "type": "contact_to_company"}]})
        self.call("POST", f"{V3}/read", {"inputs": [{"id": contact}]})
        self.call("POST", f"{V3}/read", {"inputs": [{"id": contact}, {"id": lonely}]})  # 207
        self.call("POST", f"{V3}/archive", {"inputs": [{"from": {"id": contact}, "to": {"id": company},
                                                        "type": "contact_to_company"}]})

    def properties(self) -> None:
        base = "/crm/v3/properties/contacts"
        self.call("GET", base)
        self.call("GET", "/crm/v3/properties/deals")
        self.call("GET", "/crm/v3/properties/companies/name")
        self.call("GET", f"{base}/lifecyclestage")
        self.call("GET", f"{base}/no_such_property")  # 404
        group = f"uat_{self.tag}"
        self.call("POST", f"{base}/groups", {"name": group, "label": "UAT checks", "displayOrder": 5})
        self.call("GET", f"{base}/groups")
        self.call("GET", f"{base}/groups/{group}")
        self.call("PATCH", f"{base}/groups/{group}", {"label": "UAT checks (renamed)"})
        name = f"uat_score_{self.tag}"
        self.call("POST", base, {"name": name, "label": "UAT score", "type": "number", "fieldType": "number",
                                 "groupName": group})
        self.call("POST", base, {"name": name, "label": "UAT score", "type": "number", "fieldType": "number",
                                 "groupName": group})  # 409
        self.call("PATCH", f"{base}/{name}", {"label": "UAT score (v2)", "description": "set by the conformance test"})
        self.call("POST", f"{base}/batch/read", {"inputs": [{"name": "email"}, {"name": name}], "archived": False,
                                                 "propertiesWithHistory": []})
        self.call("POST", f"{base}/batch/create", {"inputs": [
            {"name": f"uat_tier_{self.tag}", "label": "UAT tier", "type": "enumeration", "fieldType": "select",
             "groupName": group, "options": [{"label": "Gold", "value": "gold", "displayOrder": 0, "hidden": False}]}]})
        self.call("POST", f"{base}/batch/archive", {"inputs": [{"name": f"uat_tier_{self.tag}"}]})
        self.call("DELETE", f"{base}/{name}")
        self.call("DELETE", f"{base}/groups/{group}")

    def pipelines(self) -> None:
        base = "/crm/v3/pipelines/deals"
        self.call("GET", base)
        self.call("GET", f"{base}/default")
        self.call("GET", "/crm/v3/pipelines/tickets/0/stages")
        made = self.call("POST", base, {"label": f"Partner {self.tag}", "displayOrder": 3, "stages": [
            {"label": "Qualify", "displayOrder": 0, "metadata": {"probability": "0.2"}},
            {"label": "Won", "displayOrder": 1, "metadata": {"probability": "1.0", "isClosed": "true"}}]})
        pid = made["id"]
        self.call("PATCH", f"{base}/{pid}", {"label": f"Partner {self.tag} (renamed)"})
        self.call("PUT", f"{base}/{pid}", {"label": f"Partner {self.tag}", "displayOrder": 3, "stages": [
            {"label": "Qualify", "displayOrder": 0, "metadata": {"probability": "0.2"}},
            {"label": "Won", "displayOrder": 1, "metadata": {"probability": "1.0", "isClosed": "true"}}]})
        self.call("GET", f"{base}/{pid}/audit")
        stage = self.call("POST", f"{base}/{pid}/stages", {"label": "Negotiate", "displayOrder": 2,
                                                          "metadata": {"probability": "0.7"}})
        self.call("GET", f"{base}/{pid}/stages")
        self.call("GET", f"{base}/{pid}/stages/{stage['id']}")
        self.call("PATCH", f"{base}/{pid}/stages/{stage['id']}", {"label": "Negotiation"})
        self.call("PUT", f"{base}/{pid}/stages/{stage['id']}", {"label": "Negotiation", "displayOrder": 2,
                                                                 "metadata": {"probability": "0.75"}})
        self.call("DELETE", f"{base}/{pid}/stages/{stage['id']}")
        self.call("DELETE", f"{base}/{pid}")
        self.call("GET", f"{base}/no-such-pipeline")  # 404

    def owners(self) -> None:
        page = self.call("GET", "/crm/v3/owners/", limit=2)
        self.call("GET", f"/crm/v3/owners/{page['results'][0]['id']}")
        self.call("GET", f"/crm/v3/owners/{page['results'][0]['userId']}", idProperty="userId")
        self.call("GET", "/crm/v3/owners/", limit=1, after=page["paging"]["next"]["after"])
        self.call("GET", "/crm/v3/owners/424242")  # 404
        self.call("GET", "/crm/v3/owners/", email=page["results"][0]["email"])

    def lists(self, ids: dict[str, str]) -> None:
        contact = ids["contact"]
        made = self.call("POST", f"{LISTS}/", {"name": f"UAT {self.tag}", "objectTypeId": "0-1",
                                               "processingType": "MANUAL"})["list"]
        list_id = made["listId"]
        dynamic = self.call("POST", f"{LISTS}/", {"name": f"UAT dynamic {self.tag}", "objectTypeId": "0-1",
                                                  "processingType": "DYNAMIC", "filterBranch": {
                                                      "filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
                                                      "filterBranches": [{"filterBranchType": "AND",
                                                                          "filterBranchOperator": "AND",
                                                                          "filterBranches": [], "filters": [
                                                                              {"filterType": "PROPERTY", "property": "email",
                                                                               "operation": {"operationType": "ALL_PROPERTY",
                                                                                             "operator": "IS_KNOWN"}}]}]}})
        self.call("GET", f"{LISTS}/{list_id}")
        self.call("GET", f"{LISTS}/{dynamic['list']['listId']}", includeFilters="true")
        self.call("GET", f"{LISTS}/", listIds=[list_id, "102"])
        self.call("POST", f"{LISTS}/search", {"query": "UAT", "count": 5, "offset": 0})
        self.call("POST", f"{LISTS}/search", {"query": "", "processingTypes": ["DYNAMIC"], "count": 1})
        self.call("GET", f"{LISTS}/object-type-id/0-1/name/UAT {self.tag}")
        self.call("PUT", f"{LISTS}/{list_id}/memberships/add", [contact])
        self.call("PUT", f"{LISTS}/{list_id}/memberships/add-and-remove", {"recordIdsToAdd": [], "recordIdsToRemove": []})
        self.call("PUT", f"{LISTS}/102/memberships/add-from/{list_id}")
        self.call("GET", f"{LISTS}/{list_id}/memberships", limit=10)
        self.call("GET", f"{LISTS}/{list_id}/memberships/join-order", limit=10)
        self.call("GET", f"{LISTS}/records/0-1/{contact}/memberships")
        self.call("PUT", f"{LISTS}/{list_id}/memberships/remove", [contact])
        self.call("DELETE", f"{LISTS}/102/memberships")
        self.call("PUT", f"{LISTS}/{list_id}/update-list-name", listName=f"UAT renamed {self.tag}")
        self.call("PUT", f"{LISTS}/{dynamic['list']['listId']}/update-list-filters", {"filterBranch": {
            "filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
                {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [], "filters": [
                    {"filterType": "PROPERTY", "property": "firstname",
                     "operation": {"operationType": "ALL_PROPERTY", "operator": "IS_KNOWN"}}]}]}})
        self.call("DELETE", f"{LISTS}/{list_id}")
        self.call("PUT", f"{LISTS}/{list_id}/restore")
        self.call("GET", f"{LISTS}/999999")  # 404

    def flows(self) -> None:
        page = self.call("GET", "/automation/v4/flows", limit=1)
        self.call("GET", "/automation/v4/flows", limit=1, after=page["paging"]["next"]["after"])
        flow = self.call("GET", f"/automation/v4/flows/{page['results'][0]['id']}")
        self.call("POST", "/automation/v4/flows/batch/read", {"inputs": [{"flowId": flow["id"], "type": "FLOW_ID"}]})
        self.call("POST", "/automation/v4/flows/batch/read", {"inputs": [{"flowId": flow["id"], "type": "FLOW_ID"},
                                                                        {"flowId": "999", "type": "FLOW_ID"}]})
        self.call("PUT", f"/automation/v4/flows/{flow['id']}", {"revisionId": flow["revisionId"], "isEnabled": False,
                                                                 "type": flow["type"]})
        self.call("GET", "/automation/v4/flows/424242")  # 404

    def exports(self) -> None:
        task = self.call("POST", "/crm/v3/exports/export/async", {
            "exportType": "VIEW", "format": "CSV", "exportName": f"conformance {self.tag}", "language": "EN",
            "objectType": "CONTACT", "objectProperties": ["email", "firstname"]})
        status = self.call("GET", f"/crm/v3/exports/export/async/tasks/{task['id']}/status")
        self.session.get(status["result"])  # the file host: pre-signed, CSV
        self.call("GET", f"/crm/v3/exports/export/{task['id']}")
        self.call("POST", "/crm/v3/exports/export/async", {"exportType": "VIEW", "format": "CSV"})  # 400
