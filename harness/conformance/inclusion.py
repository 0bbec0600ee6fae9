"""The inclusion list: the HubSpot list that gates which contacts sync to Salesforce, against the profile's filters.

The list is the one the connector names (the twin's connector settings) or, against real sandboxes, the profile's
`inclusion_list.name`, read through HubSpot's lists API with its filters. Each profile filter must be in the list's
AND group; a filter the list adds (a segment quietly left out, say a country) differs, named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed, reason_of

Canonical = tuple[str, str, frozenset[str]]  # (property, known | unknown | in | not_in, values)
OPERATORS = {"IS_KNOWN": "known", "IS_UNKNOWN": "unknown", "IS_EQUAL_TO": "in", "IS_ANY_OF": "in",
             "CONTAINS_ALL": "in", "IS_NOT_EQUAL_TO": "not_in", "IS_NONE_OF": "not_in", "HAS_PROPERTY": "known",
             "NOT_HAS_PROPERTY": "unknown", "EQ": "in", "IN": "in", "NEQ": "not_in", "NOT_IN": "not_in"}
WORDS = {"known": "is known", "unknown": "is unknown", "in": "is any of", "not_in": "is none of"}
LIST_PAGE = "HubSpot: CRM > Lists > {name} > Edit filters"


def _canonical(prop: str, operator: str, values: Any) -> Canonical | None:
    kind = OPERATORS.get(operator)
    if kind is None:
        return None
    if values is None:
        found: frozenset[str] = frozenset()
    elif isinstance(values, list | tuple):
        found = frozenset(str(v).casefold() for v in values)
    else:
        found = frozenset({str(values).casefold()})
    return (prop, kind, found if kind in ("in", "not_in") else frozenset())


def _words(filter_: Canonical, shown: Any = None) -> str:
    prop, kind, values = filter_
    listed = shown if shown is not None else sorted(values)
    return f"{prop} {WORDS[kind]}" + (f" {listed}" if kind in ("in", "not_in") else "")


def _read(observed: Observed, name: str) -> dict[str, Any] | None:
    try:
        found = observed.sandboxes.hubspot.request("GET", f"/crm/v3/lists/object-type-id/0-1/name/{quote(name, safe='')}"
                                                   "?includeFilters=true")
    except Exception as error:
        observed.why["inclusion list"] = f"HubSpot lists API: {reason_of(error)}"
        return None
    return (found or {}).get("list")


def inclusion_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    inclusion = profile.inclusion_list
    owner = places.functional_owner(profile, "contacts")
    if inclusion is None or not inclusion.enabled:
        return
    settings = observed.connector_settings or {}
    running_name = ((settings.get("objects") or {}).get("contacts") or {}).get("inclusion_list")
    name = running_name or inclusion.name
    label = f"contacts inclusion list {name!r}"
    if not name:
        yield not_evaluated("inclusion_list", "contacts inclusion list", "the profile's filters",
                            "neither the profile (`inclusion_list.name`) nor the connector names the list",
                            places.profile_setting(profile, "inclusion_list"), owner)
        return
    if running_name and inclusion.name and running_name != inclusion.name:
        yield conforms("inclusion_list", "contacts inclusion list", f"the connector syncs through {inclusion.name!r}",
                       f"the connector syncs through {running_name!r}", False,
                       f"{places.SALESFORCE_INTEGRATION} > Contacts > Sync settings (inclusion list)", owner)
    found = _read(observed, name)
    if found is None:
        yield not_evaluated("inclusion_list", label, "the profile's filters",
                            observed.why.get("inclusion list", f"no list named {name!r}"),
                            LIST_PAGE.format(name=name), owner)
        return
    branches = (found.get("filterBranch") or {}).get("filterBranches") or []
    if len(branches) > 1:
        yield conforms("inclusion_list", f"{label}: filter groups", "one AND group (the profile's filters)",
                       f"{len(branches)} OR groups", False, LIST_PAGE.format(name=name), owner)
    actual: dict[Canonical, Any] = {}
    for branch in branches:
        for item in branch.get("filters") or []:
            operation = item.get("operation") or {}
            canonical = _canonical(str(item.get("property")), str(operation.get("operator")),
                                   operation.get("values", operation.get("value")))
            if canonical is not None:
                actual[canonical] = operation.get("values", operation.get("value"))
    expected = {}
    for rule in inclusion.filters:
        canonical = _canonical(rule.property, rule.operator, rule.value)
        if canonical is not None:
            expected[canonical] = rule.value
    for canonical, shown in expected.items():
        yield conforms("inclusion_list", f"{label}: {_words(canonical, shown)}", "in the list's filters",
                       "in the list's filters" if canonical in actual else "not in the list's filters",
                       canonical in actual, LIST_PAGE.format(name=name), owner)
    for canonical, shown in actual.items():
        if canonical not in expected:
            yield conforms("inclusion_list", f"{label}: {_words(canonical, shown)}", "no such filter (the profile "
                           "does not state it: it keeps records out of Salesforce)", "in the list's filters", False,
                           LIST_PAGE.format(name=name), owner)
