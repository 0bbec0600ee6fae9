"""The HubSpot half of the parity suite, through the Python client the harness uses (hubspot-api-client).

The same steps, order and inputs (inputs.json) as hubspot_sdk.mjs. A model's view is what the SDK serialises it
to (wire names, dates as ISO strings); an error's view is its HTTP status and parsed body.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hubspot

INPUTS = json.loads((Path(__file__).with_name("inputs.json")).read_text(encoding="utf-8"))["hubspot"]


def client(url: str, token: str, ca_bundle: str) -> hubspot.Client:
    """As DESIGN.md §2 says a client connects."""
    return hubspot.Client.create(access_token=token, host=url, ssl_ca_cert=ca_bundle)


def run(hs: hubspot.Client) -> dict[str, dict[str, Any]]:
    transcript: dict[str, dict[str, Any]] = {}
    ids: dict[str, Any] = {}
    contacts = hs.crm.contacts
    assoc = hs.crm.associations.v4
    serialise = contacts.basic_api.api_client.sanitize_for_serialization  # the SDK's own model -> wire JSON

    def plain(value: Any) -> Any:
        return None if value is None else json.loads(json.dumps(serialise(value), default=str))

    def step(name: str, action: Callable[[], Any]) -> None:
        try:
            transcript[name] = {"ok": True, "value": plain(action())}
        except Exception as error:  # the SDKs' ApiException: status and body are what a caller reads
            status = getattr(error, "status", None)
            if status is None:
                transcript[name] = {"ok": False, "error": {"status": None, "body": f"{type(error).__name__}: {error}"}}
                return
            body: Any = getattr(error, "body", None)
            with contextlib.suppress(TypeError, ValueError):  # a body that is not JSON stays text
                body = json.loads(body)
            transcript[name] = {"ok": False, "error": {"status": status, "body": body}}

    def remember(key: str, result: Any) -> Any:
        ids[key] = result.id
        return result

    # objects CRUD
    props = INPUTS["contact_properties"]
    step("contact_create", lambda: remember("contact", contacts.basic_api.create(
        {"properties": INPUTS["contact"], "associations": []})))
    step("contact_read", lambda: contacts.basic_api.get_by_id(ids["contact"], properties=props))
    step("contact_update", lambda: contacts.basic_api.update(ids["contact"], {"properties": INPUTS["contact_update"]}))
    step("contact_read_updated", lambda: contacts.basic_api.get_by_id(ids["contact"], properties=[*props, "jobtitle"]))
    step("contact_update_by_email", lambda: contacts.basic_api.update(
        INPUTS["contact"]["email"], {"properties": INPUTS["update_by_email"]}, id_property="email"))
    step("contact_create_duplicate", lambda: contacts.basic_api.create(
        {"properties": INPUTS["contact"], "associations": []}))
    step("company_create", lambda: remember("company", hs.crm.companies.basic_api.create(
        {"properties": INPUTS["company"], "associations": []})))

    def archive_one() -> None:
        created = remember("archived", contacts.basic_api.create(
            {"properties": INPUTS["archived_contact"], "associations": []}))
        return contacts.basic_api.archive(created.id)

    step("contact_archive", archive_one)
    step("contact_read_archived", lambda: contacts.basic_api.get_by_id(ids["archived"]))
    step("contact_read_archived_flag", lambda: contacts.basic_api.get_by_id(ids["archived"], properties=["email"],
                                                                             archived=True))

    # batch
    def batch_create() -> Any:
        result = contacts.batch_api.create({"inputs": [{"properties": c, "associations": []}
                                                       for c in INPUTS["batch_contacts"]]})
        by_email = {r.properties["email"]: r.id for r in result.results}
        ids["batch"] = [by_email[c["email"]] for c in INPUTS["batch_contacts"]]
        return result

    step("batch_create", batch_create)
    step("batch_read", lambda: contacts.batch_api.read({
        "inputs": [{"id": i} for i in [*ids["batch"], INPUTS["missing_id"]]], "properties": props,
        "propertiesWithHistory": []}))
    step("batch_update", lambda: contacts.batch_api.update({
        "inputs": [{"id": i, "properties": INPUTS["batch_update"]} for i in ids["batch"]]}))

    step("batch_upsert", lambda: contacts.batch_api.upsert({"inputs": [
        {"id": u["email"], "idProperty": "email", "properties": u["properties"]} for u in INPUTS["batch_upsert"]]}))

    def list_first_page() -> Any:
        page = contacts.basic_api.get_page(limit=INPUTS["page_limit"], properties=["email"])
        ids["list_after"] = page.paging.next.after if page.paging and page.paging.next else None
        return page

    step("list_first_page", list_first_page)
    step("list_next_page", lambda: contacts.basic_api.get_page(limit=INPUTS["page_limit"], after=ids["list_after"],
                                                               properties=["email"]))

    # search
    search = {**INPUTS["search"], "filterGroups": [{"filters": [
        {"propertyName": "lastname", "operator": "EQ", "value": INPUTS["batch_update"]["lastname"]}]}]}

    def first_page() -> Any:
        page = contacts.search_api.do_search({**search, "after": "0"})
        ids["after"] = page.paging.next.after if page.paging and page.paging.next else None
        return page

    step("search_first_page", first_page)
    step("search_next_page", lambda: contacts.search_api.do_search({**search, "after": ids["after"]}))

    # associations v4
    spec = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": INPUTS["association_label_type_id"]}]
    step("assoc_create_labelled", lambda: assoc.basic_api.create("contacts", ids["contact"], "companies",
                                                                 ids["company"], spec))
    step("assoc_create_default", lambda: assoc.basic_api.create_default("contacts", ids["batch"][0], "companies",
                                                                        ids["company"]))
    step("assoc_get_page", lambda: assoc.basic_api.get_page("contacts", ids["contact"], "companies"))
    step("contact_read_with_associations", lambda: contacts.basic_api.get_by_id(
        ids["contact"], properties=["email"], associations=["companies"]))
    step("assoc_labels", lambda: assoc.schema.definitions_api.get_all("contacts", "companies"))
    step("assoc_batch_create", lambda: assoc.batch_api.create("contacts", "companies", {"inputs": [
        {"from": {"id": i}, "to": {"id": ids["company"]}, "types": spec} for i in ids["batch"][1:]]}))
    step("assoc_batch_read", lambda: assoc.batch_api.get_page("companies", "contacts", {
        "inputs": [{"id": ids["company"]}]}))
    step("assoc_archive", lambda: assoc.basic_api.archive("contacts", ids["batch"][0], "companies", ids["company"]))
    step("assoc_after_archive", lambda: assoc.basic_api.get_page("companies", ids["company"], "contacts"))

    # merge and batch archive
    def merge_setup() -> list[Any]:
        keep, fold = (contacts.basic_api.create({"properties": c, "associations": []})
                      for c in INPUTS["merge_contacts"])
        ids["keep"], ids["fold"] = keep.id, fold.id
        return [keep, fold]

    step("merge_setup", merge_setup)
    step("merge", lambda: contacts.basic_api.merge({"primaryObjectId": ids["keep"], "objectIdToMerge": ids["fold"]}))
    step("merged_read", lambda: contacts.basic_api.get_by_id(ids["fold"], properties=props))
    step("batch_archive", lambda: contacts.batch_api.archive({"inputs": [{"id": i} for i in ids["batch"][1:]]}))
    step("batch_read_after_archive", lambda: contacts.batch_api.read({
        "inputs": [{"id": i} for i in ids["batch"]], "properties": ["email"], "propertiesWithHistory": []}))
    return transcript
