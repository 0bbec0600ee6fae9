"""Single-change mutants of an org fixture, generated class by class (mutation testing, applied to configuration).

Each mutant is the `healthy` org with exactly one realistic misconfiguration, the kind nobody planted: a mapping's
sync rule changed, a mapping pointed at another field of the same type, a picklist value missing on one side or
added on the other, an owner's e-mail changed, a delete setting flipped, a validation rule or a required field added
on an object HubSpot creates, a flow writing a field the other system owns. A mutant also says which clause family
must notice it and the words that name the mutated item, so a kill is counted only when the run names the right
thing, not when something else happened to fail.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

RULES = ("Two-way", "Prefer Salesforce unless blank", "Always use Salesforce", "Don't sync")
SWAPPABLE_TYPES = {"string", "textarea", "email", "phone", "url", "picklist", "double", "currency", "int", "date",
                   "datetime", "boolean"}
# Objects the connector creates in Salesforce from HubSpot records (connector.yaml `create_in_salesforce_as`).
HUBSPOT_CREATES = ("Lead",)
CREATABLE_TYPES = {"string", "textarea", "picklist", "email", "phone", "url", "double", "currency", "int", "date"}

Fixture = dict[str, dict[str, Any]]  # "salesforce" | "hubspot" | "connector" -> the parsed YAML document


@dataclass(frozen=True)
class Mutant:
    id: str
    kind: str  # the mutation class
    description: str  # one line, for the survivors' list
    families: tuple[str, ...]  # conformance clause families that must report it
    names: tuple[str, ...]  # words naming the mutated item: a killing clause's item contains one of them
    apply: Callable[[Fixture], None] = field(repr=False, compare=False)
    # Why the mutant may make no observable difference (an equivalent mutant): if it survives, it is listed as
    # equivalent with this reason instead of counting against the score.
    equivalent: str = ""

    def applied_to(self, fixture: Fixture) -> Fixture:
        mutated = copy.deepcopy(fixture)
        self.apply(mutated)
        return mutated


def _rows(fixture: Fixture) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for hubspot_object, rows in (fixture["connector"].get("mappings") or {}).items():
        for index, row in enumerate(rows):
            yield hubspot_object, index, row


def _sobjects(fixture: Fixture, hubspot_object: str, row: dict[str, Any]) -> list[str]:
    defaults = {"contacts": ["Lead", "Contact"], "companies": ["Account"], "deals": ["Opportunity"],
                "tickets": ["Case"]}
    return list(row.get("salesforce_objects") or defaults[hubspot_object])


def _sf_field(fixture: Fixture, sobject: str, name: str) -> dict[str, Any] | None:
    return ((fixture["salesforce"]["objects"].get(sobject) or {}).get("fields") or {}).get(name)


def sync_rule_mutants(fixture: Fixture) -> Iterator[Mutant]:
    for hubspot_object, index, row in _rows(fixture):
        for rule in RULES:
            if rule == row["rule"]:
                continue

            def apply(f: Fixture, o: str = hubspot_object, i: int = index, r: str = rule) -> None:
                f["connector"]["mappings"][o][i]["rule"] = r

            yield Mutant(f"sync_rule:{hubspot_object}.{row['hubspot']}->{row['salesforce']}:{rule}", "sync_rule",
                         f"{hubspot_object} {row['hubspot']} <-> {row['salesforce']} runs as {rule!r} instead of "
                         f"{row['rule']!r}", ("sync_rule",), (f"{row['hubspot']} <->",), apply)


def removed_mapping_mutants(fixture: Fixture) -> Iterator[Mutant]:
    for hubspot_object, index, row in _rows(fixture):
        def apply(f: Fixture, o: str = hubspot_object, i: int = index) -> None:
            del f["connector"]["mappings"][o][i]

        yield Mutant(f"mapping_removed:{hubspot_object}.{row['hubspot']}->{row['salesforce']}", "mapping_removed",
                     f"{hubspot_object} {row['hubspot']} <-> {row['salesforce']} is not mapped in the connector",
                     ("mapping",), (f"{row['hubspot']} <->",), apply)


def swapped_target_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """Each mapping pointed at another field of the same type on the same object (one per mapping)."""
    for hubspot_object, index, row in _rows(fixture):
        sobjects = _sobjects(fixture, hubspot_object, row)
        current = _sf_field(fixture, sobjects[0], row["salesforce"])
        if not current or current.get("type") not in SWAPPABLE_TYPES:
            continue
        mapped = {r["salesforce"] for _, _, r in _rows(fixture)}
        candidates = sorted(name for name, spec in (fixture["salesforce"]["objects"][sobjects[0]].get("fields") or {})
                            .items() if spec.get("type") == current.get("type") and name not in mapped
                            and not spec.get("formula") and all(_sf_field(fixture, s, name) for s in sobjects))
        if not candidates:
            continue

        def apply(f: Fixture, o: str = hubspot_object, i: int = index, target: str = candidates[0]) -> None:
            f["connector"]["mappings"][o][i]["salesforce"] = target

        yield Mutant(f"target_swap:{hubspot_object}.{row['hubspot']}->{candidates[0]}", "target_swap",
                     f"{hubspot_object} {row['hubspot']} mapped to {candidates[0]} instead of {row['salesforce']}",
                     ("mapping",), (f"{row['hubspot']} <->",), apply)


def _picklist_pairs(fixture: Fixture) -> Iterator[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    """(HubSpot object, property definition, Salesforce object, field definition) of every picklist mapping."""
    seen = set()
    for hubspot_object, _, row in _rows(fixture):
        if row["rule"] == "Don't sync":
            continue
        prop = ((fixture["hubspot"].get("properties") or {}).get(hubspot_object) or {}).get(row["hubspot"])
        for sobject in _sobjects(fixture, hubspot_object, row):
            spec = _sf_field(fixture, sobject, row["salesforce"])
            if (prop and spec and spec.get("type") == "picklist" and spec.get("values") and prop.get("options")
                    and (sobject, row["salesforce"]) not in seen):
                seen.add((sobject, row["salesforce"]))
                yield hubspot_object, prop, sobject, spec


def _option_value(option: Any) -> str:
    return str(option.get("value", option.get("label"))) if isinstance(option, dict) else str(option)


def _value(value: Any) -> str:
    return str(value.get("value", value.get("label"))) if isinstance(value, dict) else str(value)


def picklist_mutants(fixture: Fixture) -> Iterator[Mutant]:
    for hubspot_object, prop, sobject, spec in _picklist_pairs(fixture):
        field_name = next(n for n, s in fixture["salesforce"]["objects"][sobject]["fields"].items() if s is spec)
        prop_name = next(n for n, p in fixture["hubspot"]["properties"][hubspot_object].items() if p is prop)
        for position, value in enumerate(spec["values"]):
            def drop_sf(f: Fixture, o: str = sobject, n: str = field_name, p: int = position) -> None:
                del f["salesforce"]["objects"][o]["fields"][n]["values"][p]

            yield Mutant(f"picklist_sf_removed:{sobject}.{field_name}={_value(value)}", "picklist_removed",
                         f"Salesforce {sobject}.{field_name} lacks the value {_value(value)!r}", ("picklist",),
                         (repr(_value(value)), _value(value)), drop_sf)
        for position, option in enumerate(prop["options"]):
            def drop_hs(f: Fixture, o: str = hubspot_object, n: str = prop_name, p: int = position) -> None:
                del f["hubspot"]["properties"][o][n]["options"][p]

            yield Mutant(f"picklist_hs_removed:{hubspot_object}.{prop_name}={_option_value(option)}",
                         "picklist_removed", f"HubSpot {hubspot_object}.{prop_name} lacks the option "
                         f"{_option_value(option)!r}", ("picklist",),
                         (repr(_option_value(option)), _option_value(option)), drop_hs)

        def add_sf(f: Fixture, o: str = sobject, n: str = field_name) -> None:
            f["salesforce"]["objects"][o]["fields"][n]["values"].append("Mutant Extra")

        def add_hs(f: Fixture, o: str = hubspot_object, n: str = prop_name) -> None:
            options = f["hubspot"]["properties"][o][n]["options"]
            options.append({"label": "Mutant Extra", "value": "mutant_extra"} if options and isinstance(options[0], dict)
                           else "mutant_extra")

        yield Mutant(f"picklist_sf_added:{sobject}.{field_name}", "picklist_added",
                     f"Salesforce {sobject}.{field_name} has an extra value 'Mutant Extra'", ("picklist",),
                     ("Mutant Extra",), add_sf)
        yield Mutant(f"picklist_hs_added:{hubspot_object}.{prop_name}", "picklist_added",
                     f"HubSpot {hubspot_object}.{prop_name} has an extra option 'mutant_extra'", ("picklist",),
                     ("mutant_extra", "Mutant Extra"), add_hs)


def owner_mutants(fixture: Fixture, listed: set[str]) -> Iterator[Mutant]:
    """`listed`: the owners' e-mails the profile names (an unlisted HubSpot-only user owns nothing that syncs)."""
    sf_emails = {str(u.get("Email", "")).casefold() for u in (fixture["salesforce"].get("records") or {}).get("User") or []}
    for position, owner in enumerate(fixture["hubspot"].get("owners") or []):
        email = owner["email"]

        def apply(f: Fixture, p: int = position, e: str = email) -> None:
            f["hubspot"]["owners"][p]["email"] = "changed." + e

        unseen = email.casefold() not in {e.casefold() for e in listed} and email.casefold() not in sf_emails
        yield Mutant(f"owner_hs_email:{email}", "owner_email", f"HubSpot owner {email} has another e-mail",
                     ("owner",), (email, "changed." + email), apply,
                     "a HubSpot-only user the profile does not list and who has no Salesforce login: nothing of "
                     "theirs syncs, so the connector behaves the same" if unseen else "")
    for position, user in enumerate((fixture["salesforce"].get("records") or {}).get("User") or []):
        email = user.get("Email")
        if not email or user.get("_alias") in {fixture["salesforce"]["organization"].get("integration_user"),
                                               fixture["salesforce"]["organization"].get("api_user")}:
            continue

        def apply(f: Fixture, p: int = position, e: str = email) -> None:
            f["salesforce"]["records"]["User"][p]["Email"] = "changed." + e

        yield Mutant(f"owner_sf_email:{email}", "owner_email", f"Salesforce user {email} has another e-mail",
                     ("owner",), (email, "changed." + email), apply)


def delete_policy_mutants(fixture: Fixture) -> Iterator[Mutant]:
    flips = {"do_nothing": {"contacts": "delete_contact", "companies": "delete_company"},
             "delete_contact": {"contacts": "do_nothing"}, "delete_company": {"companies": "do_nothing"}}
    for hubspot_object, settings in (fixture["connector"].get("objects") or {}).items():
        current = (settings or {}).get("on_salesforce_delete", "do_nothing")
        flipped = flips.get(current, {}).get(hubspot_object)
        if not flipped:
            continue

        def apply(f: Fixture, o: str = hubspot_object, v: str = flipped) -> None:
            f["connector"]["objects"][o]["on_salesforce_delete"] = v

        yield Mutant(f"delete_policy:{hubspot_object}:{flipped}", "delete_policy",
                     f"{hubspot_object}: a Salesforce delete does {flipped!r} in HubSpot", ("delete_policy",),
                     (hubspot_object,), apply)


def creation_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """A validation rule, or a required field, that the records HubSpot creates cannot meet."""
    mapped = {r["salesforce"] for _, _, r in _rows(fixture)}
    for sobject in HUBSPOT_CREATES:
        fields = fixture["salesforce"]["objects"][sobject]["fields"]
        unmapped = sorted(n for n, s in fields.items() if n not in mapped and s.get("type") in CREATABLE_TYPES
                          and not s.get("required") and not s.get("formula") and s.get("createable", True)
                          and not n.startswith("Converted"))  # system fields set by conversion, never on create
        for name in unmapped:
            def rule(f: Fixture, o: str = sobject, n: str = name) -> None:
                f["salesforce"].setdefault("automation", {}).setdefault("validation_rules", []).append(
                    {"name": f"Require_{n}", "object": o, "condition": f"ISBLANK({n})",
                     "message": f"{n} is required.", "field": n})

            def required(f: Fixture, o: str = sobject, n: str = name) -> None:
                f["salesforce"]["objects"][o]["fields"][n]["required"] = True

            yield Mutant(f"validation_rule:{sobject}.{name}", "validation_rule",
                         f"an active validation rule on {sobject} requires {name}, which no mapping writes",
                         ("required",), (f"Require_{name}", name), rule)
            yield Mutant(f"required_field:{sobject}.{name}", "required_field",
                         f"{sobject}.{name} is required and no mapping writes it", ("required",), (name,), required)


def automation_mutants(fixture: Fixture, hubspot_owned: set[tuple[str, str]]) -> Iterator[Mutant]:
    """An active Salesforce flow writing a mapped field whose system of record is HubSpot (the profile's map)."""
    for hubspot_object, _, row in _rows(fixture):
        if (hubspot_object, row["hubspot"]) in hubspot_owned:
            for sobject in _sobjects(fixture, hubspot_object, row):
                spec = _sf_field(fixture, sobject, row["salesforce"])
                if not spec or spec.get("type") not in {"string", "textarea"}:
                    continue

                def apply(f: Fixture, o: str = sobject, n: str = row["salesforce"]) -> None:
                    f["salesforce"].setdefault("automation", {}).setdefault("flows", []).append(
                        {"api_name": f"Mutant_Set_{n}", "label": f"Mutant - set {n}", "object": o,
                         "trigger": "before_save", "when": "create_or_update", "condition": "TRUE",
                         "set_fields": {n: "Set by a flow"}})

                yield Mutant(f"automation:{sobject}.{row['salesforce']}", "automation",
                             f"an active flow on {sobject} writes {row['salesforce']}, which HubSpot owns",
                             ("automation",), (f"Mutant_Set_{row['salesforce']}", row["salesforce"]), apply)


def field_security_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """The integration user loses edit on a field HubSpot writes, or read on any field that syncs."""
    user = fixture["salesforce"]["organization"].get("integration_user")
    seen = set()
    for hubspot_object, _, row in _rows(fixture):
        if row["rule"] == "Don't sync" or not user:
            continue
        for sobject in _sobjects(fixture, hubspot_object, row):
            spec = _sf_field(fixture, sobject, row["salesforce"])
            if not spec or spec.get("required") or (sobject, row["salesforce"]) in seen:
                continue  # required fields are always readable and editable: they have no field permissions
            seen.add((sobject, row["salesforce"]))
            levels = ["none"] + (["read"] if row["rule"] in {"Two-way", "Prefer Salesforce unless blank"} else [])
            for level in levels:
                def apply(f: Fixture, o: str = sobject, n: str = row["salesforce"], v: str = level) -> None:
                    access = f["salesforce"].setdefault("access", {}).setdefault(user, {})
                    access.setdefault("fields", {}).setdefault(o, {})[n] = v

                what = "cannot see" if level == "none" else "can only read"
                yield Mutant(f"field_security:{sobject}.{row['salesforce']}:{level}", "field_security",
                             f"the integration user {what} {sobject}.{row['salesforce']}", ("field_security",),
                             (f"{sobject}.{row['salesforce']}",), apply)


def extra_mapping_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """A second HubSpot property mapped onto a field the profile already governs through another mapping."""
    mapped_props = {(o, r["hubspot"]) for o, _, r in _rows(fixture)}
    for hubspot_object, _, row in _rows(fixture):
        prop = ((fixture["hubspot"].get("properties") or {}).get(hubspot_object) or {}).get(row["hubspot"]) or {}
        spare = sorted(name for name, p in ((fixture["hubspot"].get("properties") or {}).get(hubspot_object) or {})
                       .items() if (hubspot_object, name) not in mapped_props and p.get("type") == prop.get("type")
                       and p.get("field_type") == prop.get("field_type") and not name.startswith("hs_"))
        if not spare or row["rule"] == "Don't sync":
            continue

        def apply(f: Fixture, o: str = hubspot_object, r: dict = row, extra: str = spare[0]) -> None:
            f["connector"]["mappings"][o].append({**r, "hubspot": extra})

        yield Mutant(f"extra_mapping:{hubspot_object}.{spare[0]}->{row['salesforce']}", "extra_mapping",
                     f"{hubspot_object} {spare[0]} is also mapped onto {row['salesforce']}", ("mapping",),
                     (f"{spare[0]} <->",), apply)


def hubspot_workflow_mutants(fixture: Fixture, salesforce_owned: set[tuple[str, str]]) -> Iterator[Mutant]:
    """An enabled HubSpot workflow setting a property whose system of record is Salesforce (the profile's map)."""
    enrolment = {"contacts": "email", "companies": "name", "deals": "dealname", "tickets": "subject"}
    for hubspot_object, prop in sorted(salesforce_owned):
        if prop.startswith("hs_"):
            continue  # HubSpot's own calculated properties: no workflow may set them
        definition = ((fixture["hubspot"].get("properties") or {}).get(hubspot_object) or {}).get(prop) or {}
        options = definition.get("options") or []
        value = _option_value(options[0]) if options else "Set by a workflow"

        def apply(f: Fixture, o: str = hubspot_object, p: str = prop, v: str = value) -> None:
            f["hubspot"].setdefault("workflows", []).append(
                {"id": f"59{len(f['hubspot'].get('workflows') or [])}", "name": f"Mutant - set {p}", "object": o,
                 "enabled": True, "enrollment": [[{"property": enrolment[o],
                                                   "operator": "HAS_PROPERTY"}]], "actions": [{"set": p, "value": v}]})

        yield Mutant(f"hubspot_workflow:{hubspot_object}.{prop}", "automation",
                     f"an enabled HubSpot workflow sets {hubspot_object}.{prop}, which Salesforce owns",
                     ("automation",), (f"Mutant - set {prop}", prop), apply)


def deactivated_owner_mutants(fixture: Fixture) -> Iterator[Mutant]:
    organization = fixture["salesforce"]["organization"]
    for position, user in enumerate((fixture["salesforce"].get("records") or {}).get("User") or []):
        if not user.get("Email") or user.get("_alias") in {organization.get("integration_user"),
                                                           organization.get("api_user")}:
            continue

        def apply(f: Fixture, p: int = position) -> None:
            f["salesforce"]["records"]["User"][p]["IsActive"] = False

        yield Mutant(f"owner_inactive:{user['Email']}", "owner_inactive",
                     f"Salesforce user {user['Email']} is deactivated", ("owner",), (user["Email"],), apply)


def deal_stage_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """Each Salesforce stage the connector sends to the next HubSpot stage of the pipeline instead."""
    for number, pipeline in enumerate(((fixture["connector"].get("objects") or {}).get("deals") or {}).get("pipelines")
                                      or []):
        stages = pipeline.get("stages") or {}
        targets = list(dict.fromkeys(stages.values()))
        for stage, target in stages.items():
            other = targets[(targets.index(target) + 1) % len(targets)]
            if other == target:
                continue

            def apply(f: Fixture, i: int = number, s: str = stage, t: str = other) -> None:
                f["connector"]["objects"]["deals"]["pipelines"][i]["stages"][s] = t

            yield Mutant(f"deal_stage:{stage}->{other}", "deal_stage",
                         f"the connector sends the Opportunity stage {stage!r} to {other!r} instead of {target!r}",
                         ("picklist",), (f"deal stage {stage!r}",), apply)


def lead_status_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """A Lead Status value the profile's taxonomy lists is missing from the org, or one it does not list is added."""
    statuses = (fixture["salesforce"].get("records") or {}).get("LeadStatus") or []
    for position, status in enumerate(statuses):
        if status.get("IsDefault") or status.get("IsConverted"):
            continue  # an org always keeps a default and a converted status

        def drop(f: Fixture, p: int = position, value: str = status["ApiName"]) -> None:
            # An org keeps the LeadStatus rows and Lead.Status's values together: deactivating one removes both.
            del f["salesforce"]["records"]["LeadStatus"][p]
            values = f["salesforce"]["objects"]["Lead"]["fields"]["Status"]["values"]
            values[:] = [v for v in values if _value(v) != value]

        yield Mutant(f"lead_status_removed:{status['ApiName']}", "lead_status",
                     f"the org has no Lead Status {status['ApiName']!r}", ("picklist",), (repr(status["ApiName"]),),
                     drop)

    def add(f: Fixture) -> None:
        f["salesforce"]["objects"]["Lead"]["fields"]["Status"]["values"].append("Nurture")
        f["salesforce"]["records"]["LeadStatus"].append(
            {"ApiName": "Nurture", "MasterLabel": "Nurture", "IsConverted": False, "IsDefault": False,
             "SortOrder": len(statuses) + 1})

    if statuses:
        yield Mutant("lead_status_added:Nurture", "lead_status", "the org has a Lead Status 'Nurture' the profile "
                     "does not list", ("picklist",), ("'Nurture'",), add)


def inclusion_list_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """The connector's inclusion list narrowed: a filter changed, added or dropped, or another list named."""
    contacts = (fixture["connector"].get("objects") or {}).get("contacts") or {}
    lists = fixture["hubspot"].get("lists") or []
    position = next((i for i, entry in enumerate(lists) if entry.get("name") == contacts.get("inclusion_list")), None)
    if position is None:
        return
    groups = lists[position].get("filters") or []
    for g, group in enumerate(groups):
        for i, rule in enumerate(group):
            def drop(f: Fixture, g: int = g, i: int = i) -> None:
                del f["hubspot"]["lists"][position]["filters"][g][i]

            yield Mutant(f"inclusion_filter_removed:{rule['property']}", "inclusion_list",
                         f"the inclusion list lost its filter on {rule['property']}", ("inclusion_list",),
                         (rule["property"],), drop)
            if "value" in rule:
                def change(f: Fixture, g: int = g, i: int = i) -> None:
                    f["hubspot"]["lists"][position]["filters"][g][i]["value"] = "lead"

                yield Mutant(f"inclusion_filter_value:{rule['property']}", "inclusion_list",
                             f"the inclusion list's {rule['property']} filter compares with 'lead'",
                             ("inclusion_list",), (rule["property"],), change)

    def narrow(f: Fixture) -> None:
        f["hubspot"]["lists"][position]["filters"][0].append({"property": "country", "operator": "HAS_PROPERTY"})

    def other_list(f: Fixture) -> None:
        others = [entry["name"] for entry in f["hubspot"]["lists"] if entry.get("name") != contacts["inclusion_list"]]
        f["connector"]["objects"]["contacts"]["inclusion_list"] = others[0]

    yield Mutant("inclusion_filter_added:country", "inclusion_list", "the inclusion list also requires a country",
                 ("inclusion_list",), ("country",), narrow)
    if len(lists) > 1:
        yield Mutant("inclusion_list_swapped", "inclusion_list", "the connector syncs through another list",
                     ("inclusion_list",), ("inclusion list",), other_list)


def territory_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """Territory settings: a territory's rule or its owner changed, or owner reassignment switched off."""
    territories = (fixture["salesforce"].get("territories") or {}).get("territories") or []
    aliases = [alias for t in territories for alias in (t.get("users") or {})]
    for position, territory in enumerate(territories):
        users = list((territory.get("users") or {}).items())
        if users:
            other = next((a for a in aliases if a != users[0][0]), None)
            if other:
                def owner(f: Fixture, p: int = position, old: str = users[0][0], new: str = other) -> None:
                    members = f["salesforce"]["territories"]["territories"][p]["users"]
                    members[new] = members.pop(old)

                yield Mutant(f"territory_owner:{territory['developer_name']}", "territory",
                             f"territory {territory['name']} is owned by {other} instead of {users[0][0]}",
                             ("owner",), (territory["name"], territory["developer_name"]), owner)

    if (fixture["salesforce"].get("territories") or {}).get("assignment", {}).get("reassign_owner"):
        def no_reassign(f: Fixture) -> None:
            f["salesforce"]["territories"]["assignment"]["reassign_owner"] = False

        yield Mutant("territory_reassign_off", "territory", "territory assignment no longer reassigns record owners",
                     ("owner",), ("territory",), no_reassign)


# (path in connector.yaml, the other value, what it means, words a failure naming it would use)
CONNECTOR_SWITCHES = [
    (("objects", "contacts", "create_in_salesforce_as"), "Contact", "HubSpot creates Contacts, not Leads, in Salesforce",
     ("create_in_salesforce_as", "as a Contact")),
    (("objects", "contacts", "on_hubspot_create_or_update"), "do_nothing", "HubSpot changes no longer reach Salesforce",
     ("on_hubspot_create_or_update",)),
    (("objects", "contacts", "on_salesforce_create_or_update"), "do_nothing",
     "Salesforce changes no longer reach HubSpot contacts", ("on_salesforce_create_or_update",)),
    (("objects", "companies", "hubspot_auto_create_companies"), True,
     "HubSpot creates a company for every contact (duplicate companies on conversion)", ("auto_create", "duplicate company")),
    (("objects", "companies", "sync_associations"), False, "company associations no longer sync", ("association",)),
    (("objects", "deals", "on_hubspot_create"), "create_opportunity", "a HubSpot deal creates an Opportunity",
     ("on_hubspot_create", "create_opportunity")),
    (("objects", "deals", "stage_rule"), "Two-way", "the deal stage syncs Two-way", ("stage_rule",)),
    (("lifecycle", "never_backwards"), False, "the connector may move a lifecycle stage backwards", ("backwards",)),
    (("lifecycle", "automatic_transitions"), False, "opportunities no longer move contacts to opportunity/customer",
     ("automatic_transitions",)),
    (("owners", "sync"), False, "owners no longer sync", ("owner",)),
    (("conflict_rule",), "prefer_salesforce", "Two-way conflicts always go to Salesforce", ("conflict_rule",)),
    (("objects", "activities", "enabled"), False, "no activity syncs any more", ("activities.enabled",)),
    (("objects", "activities", "hubspot_to_salesforce", "meetings", "sync"), False,
     "HubSpot meetings no longer reach Salesforce", ("hubspot_to_salesforce.meetings",)),
    (("objects", "activities", "hubspot_to_salesforce", "calls", "task_type"), "Other",
     "HubSpot calls become Salesforce Tasks of type Other, not Call", ("hubspot_to_salesforce.calls",)),
    (("objects", "activities", "salesforce_to_hubspot", "tasks"), False, "Salesforce tasks no longer reach HubSpot",
     ("salesforce_to_hubspot.tasks",)),
    (("objects", "activities", "salesforce_to_hubspot", "emails"), True, "Salesforce e-mails now reach HubSpot",
     ("salesforce_to_hubspot.emails",)),
    (("lifecycle", "company_to_contacts"), False, "a company's lifecycle stage no longer reaches its contacts",
     ("company_to_contacts",)),
]


def connector_switch_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """A connector setting of the integration's settings pages flipped (not a mapping)."""
    for path, value, meaning, names in CONNECTOR_SWITCHES:
        node = fixture["connector"]
        for key in path[:-1]:
            node = (node or {}).get(key) or {}
        if node.get(path[-1], None) == value:
            continue

        def apply(f: Fixture, path: tuple[str, ...] = path, value: object = value) -> None:
            node = f["connector"]
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = value

        yield Mutant(f"connector_switch:{'.'.join(path)}={value}", "connector_switch", meaning,
                     ("connector_setting", "delete_policy", "mapping", "sync_rule", "inclusion_list", "owner",
                      "picklist"), names, apply)


def governing_automation_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """Automation the governance relies on, switched off: a stamping flow deactivated, a write-once validation rule
    or a duplicate rule removed or loosened."""
    automation = fixture["salesforce"].get("automation") or {}
    for position, flow in enumerate(automation.get("flows") or []):
        if flow.get("active", True) is False:
            continue
        fields = " ".join(flow.get("set_fields") or {})

        def off(f: Fixture, p: int = position) -> None:
            f["salesforce"]["automation"]["flows"][p]["active"] = False

        yield Mutant(f"flow_off:{flow['api_name']}", "governing_automation", f"the flow {flow['label']} is inactive",
                     ("required_automation", "automation"), (flow["api_name"], *fields.split()), off)
    for position, rule in enumerate(automation.get("validation_rules") or []):
        families = ("required_automation", "automation", "required")
        names = (rule["name"], rule.get("field") or rule["name"])

        def drop(f: Fixture, p: int = position) -> None:
            del f["salesforce"]["automation"]["validation_rules"][p]

        yield Mutant(f"validation_rule_removed:{rule['object']}.{rule['name']}", "governing_automation",
                     f"the validation rule {rule['object']}.{rule['name']} is gone", families, names, drop)
        if rule.get("active", True) is False:
            continue

        def deactivate(f: Fixture, p: int = position) -> None:
            f["salesforce"]["automation"]["validation_rules"][p]["active"] = False

        yield Mutant(f"validation_rule_inactive:{rule['object']}.{rule['name']}", "governing_automation",
                     f"the validation rule {rule['object']}.{rule['name']} is deactivated", families, names,
                     deactivate)
    for position, rule in enumerate(automation.get("duplicate_rules") or []):
        families = ("required_automation", "automation", "required")
        names = (rule["name"], "DUPLICATES_DETECTED", "duplicate")
        if rule.get("action_on_create") == "allow":
            def block(f: Fixture, p: int = position) -> None:
                f["salesforce"]["automation"]["duplicate_rules"][p]["action_on_create"] = "block"

            yield Mutant(f"duplicate_rule_blocks:{rule['name']}", "governing_automation",
                         f"the duplicate rule {rule['name']} blocks creates", families, names, block)
        if rule.get("active", True) is not False:
            def off(f: Fixture, p: int = position) -> None:
                f["salesforce"]["automation"]["duplicate_rules"][p]["active"] = False

            yield Mutant(f"duplicate_rule_off:{rule['name']}", "governing_automation",
                         f"the duplicate rule {rule['name']} is deactivated", families, names, off)
    for sobject in ("Lead", "Contact"):
        name = f"{sobject}_Name_Duplicate_Rule"

        def add(f: Fixture, o: str = sobject, n: str = name) -> None:
            rules = f["salesforce"].setdefault("automation", {}).setdefault("duplicate_rules", [])
            rules.append({"name": n, "object": o, "match_rule": f"{o}_Name_Match_Rule", "match_on": ["FirstName",
                          "LastName"], "compare_with": [o], "action_on_create": "block", "action_on_edit": "block"})

        yield Mutant(f"duplicate_rule_added:{name}", "governing_automation",
                     f"a duplicate rule on {sobject} names that blocks creates and edits (a dedupe HubSpot does not run)",
                     ("required_automation", "required"), (name, "DUPLICATES_DETECTED"), add)


def field_length_mutants(fixture: Fixture) -> Iterator[Mutant]:
    """A text field shortened on one of the objects a HubSpot property syncs to (Contact.Title shorter than
    Lead.Title): what syncs to the Lead is refused on the Contact it converts to."""
    for hubspot_object, _index, row in _rows(fixture):
        sobjects = _sobjects(fixture, hubspot_object, row)
        if len(sobjects) < 2:
            continue
        for sobject in sobjects:
            described = _sf_field(fixture, sobject, row["salesforce"])
            length = (described or {}).get("length")
            if not described or described.get("type") not in ("string", "textarea") or not isinstance(length, int) \
                    or length <= 30:
                continue

            def apply(f: Fixture, o: str = sobject, n: str = row["salesforce"]) -> None:
                _sf_field(f, o, n)["length"] = 30  # type: ignore[index]

            yield Mutant(f"field_length:{sobject}.{row['salesforce']}", "field_length",
                         f"{sobject}.{row['salesforce']} shortened from {length} to 30 characters", ("field",),
                         (f"{sobject}.{row['salesforce']}",), apply)


GENERATORS: dict[str, Callable[[Fixture], Iterator[Mutant]]] = {
    "field_length": field_length_mutants,
    "governing_automation": governing_automation_mutants,
    "connector_switch": connector_switch_mutants,
    "deal_stage": deal_stage_mutants,
    "lead_status": lead_status_mutants,
    "inclusion_list": inclusion_list_mutants,
    "territory": territory_mutants,
    "field_security": field_security_mutants,
    "extra_mapping": extra_mapping_mutants,
    "owner_inactive": deactivated_owner_mutants,
    "sync_rule": sync_rule_mutants,
    "mapping_removed": removed_mapping_mutants,
    "target_swap": swapped_target_mutants,
    "picklist": picklist_mutants,
    "delete_policy": delete_policy_mutants,
    "creation": creation_mutants,
}


def generate(fixture: Fixture, owned: dict[str, set[tuple[str, str]]], listed_owners: set[str],
             classes: list[str] | None = None) -> list[Mutant]:
    """Every mutant of the fixture, class by class, ids unique. `owned`: system of record -> the (HubSpot object,
    property) pairs the profile's source-of-truth map gives it (automation mutants write the other side's);
    `listed_owners`: the e-mails of the profile's owner list."""
    generators = {**GENERATORS, "automation": lambda f: automation_mutants(f, owned.get("hubspot", set())),
                  "owner_email": lambda f: owner_mutants(f, listed_owners),
                  "hubspot_workflow": lambda f: hubspot_workflow_mutants(f, owned.get("salesforce", set()))}
    out: dict[str, Mutant] = {}
    for name, generator in generators.items():
        if classes and name not in classes:
            continue
        for mutant in generator(fixture):
            out.setdefault(mutant.id, mutant)
    return list(out.values())


def sample(mutants: list[Mutant], size: int) -> list[Mutant]:
    """A fixed, spread sample: the classes in turn, each walked in a low-discrepancy order (golden-ratio steps), so
    every class is represented and a class's picks are spread over its whole range."""
    groups: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        groups.setdefault(mutant.kind, []).append(mutant)
    orders = [[group[i] for i in sorted(range(len(group)), key=lambda i: (i * 0.6180339887) % 1)]
              for group in groups.values()]
    picked: list[Mutant] = []
    for round_ in range(max((len(order) for order in orders), default=0)):
        for order in orders:
            if round_ < len(order) and len(picked) < size:
                picked.append(order[round_])
    return picked
