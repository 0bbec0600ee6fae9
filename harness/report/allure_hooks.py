"""pytest plugin: what allure-pytest-bdd cannot know about a UAT scenario, added to its Allure result.

- labels: epic / feature / story from the feature file, severity from the tags (`@blocker @critical @normal
  @minor`), owner from the profile's source-of-truth map, `failure_kind` (our categories) on a failure;
- links to the Salesforce objects and HubSpot properties a scenario touches (`@object_<name>`, `@field_<prop>`);
- per step: time-to-sync of each expectation the waiter checked, and the deepdiff a failed expectation carries;
- step parameters limited to the values the Gherkin step parsed (fixtures' reprs are noise, and long);
- the evidence collected for `results.jsonl` (read by the sign-off report's defect log).

Reporting never breaks a run: a hook that cannot label (no Allure, no open test case) does nothing.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import allure
import pytest
from allure_pytest_bdd.steps import get_step_uuid

from harness.report import evidence
from harness.report.allure_html import FAILURE_KIND_LABEL
from harness.signoff.categories import CATEGORIES, classify
from harness.signoff.criteria import severity_of
from harness.signoff.owners import functional_owner
from harness.signoff.readable import readable_message

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

SEVERITIES = {"blocker": allure.severity_level.BLOCKER, "critical": allure.severity_level.CRITICAL,
              "normal": allure.severity_level.NORMAL, "minor": allure.severity_level.MINOR,
              "trivial": allure.severity_level.TRIVIAL}
# Tag object names -> (Salesforce sObjects, HubSpot object type ids) the links point at.
OBJECT_LINKS = {
    "contact": (["Contact"], ["0-1"]), "lead": (["Lead"], ["0-1"]), "account": (["Account"], []),
    "company": ([], ["0-2"]), "opportunity": (["Opportunity"], []), "deal": ([], ["0-3"]),
    "case": (["Case"], []), "ticket": ([], ["0-5"]), "task": (["Task"], []), "event": (["Event"], []),
    "campaign": (["Campaign"], []), "user": (["User"], []), "territory": (["Territory2"], []),
}
HUBSPOT_TYPES = {"0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-5": "tickets"}
_waiter_seen: dict[int, int] = {}  # id(waiter) -> timings already attributed to a step


def _tags(feature: Any, scenario: Any) -> list[str]:
    return sorted(set(getattr(scenario, "tags", set()) or set()) | set(getattr(feature, "tags", set()) or set()))


def _safely(action: Any, *args: Any, **kwargs: Any) -> None:
    # No open Allure test case (Allure off, or a setup failure before the scenario began): nothing to label.
    with contextlib.suppress(AttributeError, TypeError, KeyError):
        action(*args, **kwargs)


def _active(request: pytest.FixtureRequest, name: str) -> Any:
    """A fixture's value only if the scenario already uses it: reporting never starts a twin or a connection."""
    if name in request.fixturenames:
        try:
            return request.getfixturevalue(name)
        except Exception:  # noqa: BLE001 - a broken fixture is the scenario's failure to report, not ours
            return None
    return None


def _epic(feature: Any, tags: list[str], profile: Profile) -> str:
    for tag in tags:
        if tag.startswith("epic_"):
            return tag[len("epic_"):].replace("_", " ").capitalize()
    parts = Path(getattr(feature, "rel_filename", "") or "").parts
    if len(parts) > 2:  # features/<family>/<file>.feature
        return parts[-2].replace("_", " ").capitalize()
    return getattr(profile, "name", None) or "HubSpot <-> Salesforce integration"


def _example(request: pytest.FixtureRequest) -> dict[str, str] | None:
    """A Scenario Outline row's values (pytest-bdd parametrizes each row with `_pytest_bdd_example`)."""
    params = getattr(getattr(request.node, "callspec", None), "params", None) or {}
    example = params.get("_pytest_bdd_example")
    return {str(k): str(v) for k, v in example.items()} if isinstance(example, dict) and example else None


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd has opened the test case
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    example = _example(request)
    evidence.start_scenario(example)
    tags = _tags(feature, scenario)
    profile = _active(request, "uat_profile")
    if profile is None:
        try:
            profile = request.getfixturevalue("uat_profile")
        except pytest.FixtureLookupError:
            profile = None
    rule = getattr(scenario, "rule", None)
    _safely(allure.dynamic.epic, _epic(feature, tags, profile))
    _safely(allure.dynamic.feature, feature.name)
    _safely(allure.dynamic.story, rule.name if rule is not None and rule.name else scenario.name)
    if example:  # an outline row: its name says which row (which country failed), as in the sign-off
        _safely(allure.dynamic.title, f"{scenario.name} ({', '.join(f'{k}: {v}' for k, v in example.items())})")
    _safely(allure.dynamic.severity, SEVERITIES[severity_of(tags)])
    if profile is not None:
        _safely(allure.dynamic.label, "owner", functional_owner(profile, tags))


def _object_links(request: pytest.FixtureRequest, tags: list[str]) -> None:
    sandboxes = _active(request, "sandboxes")
    if sandboxes is None:
        return
    instance = getattr(getattr(getattr(sandboxes, "salesforce", None), "client", None), "sf_instance", None)
    portal = getattr(sandboxes, "portal", None) or {}
    ui, portal_id = portal.get("uiDomain") or "app.hubspot.com", portal.get("portalId")
    links: dict[str, tuple[str, str]] = {}  # url -> (type, name): a Lead and a contact share HubSpot's contacts
    hubspot_types: list[str] = []
    for name in (t[len("object_"):] for t in tags if t.startswith("object_")):
        sobjects, types = OBJECT_LINKS.get(name, ([name.capitalize()], []))
        hubspot_types += [t for t in types if t not in hubspot_types]
        for sobject in sobjects if instance else []:
            links[f"https://{instance}/lightning/setup/ObjectManager/{sobject}/FieldsAndRelationships/view"] = (
                "salesforce object", f"Salesforce {sobject}")
        for type_id in types if portal_id else []:
            links[f"https://{ui}/property-settings/{portal_id}/properties?type={type_id}"] = (
                "hubspot object", f"HubSpot {HUBSPOT_TYPES.get(type_id, type_id)} properties")
    for field in (t[len("field_"):] for t in tags if t.startswith("field_")) if portal_id else []:
        type_id = hubspot_types[0] if hubspot_types else "0-1"
        links[f"https://{ui}/property-settings/{portal_id}/properties?type={type_id}&search={field}"] = (
            "hubspot property", f"HubSpot property {field}")
    for url, (link_type, name) in links.items():
        _safely(allure.dynamic.link, url, link_type=link_type, name=name)


def _attach_sync_timings(request: pytest.FixtureRequest) -> None:
    waiter = _active(request, "waiter")
    entries = getattr(getattr(waiter, "timings", None), "entries", None)
    if entries is None:
        return
    seen = _waiter_seen.get(id(waiter), 0)
    new = [dict(e) for e in entries[seen:]]
    _waiter_seen[id(waiter)] = len(entries)
    if not new:
        return
    evidence.note_time_to_sync(new)
    lines = [f"{e.get('seconds', 0):>8.3f} s  {e.get('polls', '?'):>3} polls  {'ok' if e.get('ok') else 'TIMED OUT'}  "
             f"{e.get('expectation', '')}" for e in new]
    slowest = max(e.get("seconds", 0) for e in new)
    _safely(allure.attach, "\n".join(lines), name=f"time to sync: {slowest:.3f} s",
            attachment_type=allure.attachment_type.TEXT)


@pytest.hookimpl(tryfirst=True)  # before allure-pytest-bdd closes the step, so attachments land inside it
def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any,
                          step_func_args: dict[str, Any]) -> None:
    _attach_sync_timings(request)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any,
                          step_func_args: dict[str, Any], exception: BaseException) -> None:
    _attach_sync_timings(request)
    # The library's failures carry what they observed: a deepdiff (`difference`, `last_difference`) or a table.
    carried = (getattr(exception, "difference", None) or getattr(exception, "last_difference", None)
               or getattr(exception, "evidence", None))
    what = str(exception).splitlines()[0][:100] if str(exception) else type(exception).__name__
    if isinstance(carried, (dict, list)) and carried:
        _safely(evidence.attach_difference, what, carried)
    elif isinstance(carried, str) and carried.strip():
        _safely(evidence.attach_text, f"evidence: {what}", carried)


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd recorded every step argument
def pytest_bdd_before_step_call(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                                step_func: Any, step_func_args: dict[str, Any]) -> None:
    keep = {name for name, value in step_func_args.items() if isinstance(value, (str, int, float, bool))}
    lifecycle = _allure_lifecycle(request.config)
    if lifecycle is None:
        return
    with lifecycle.update_step(uuid=get_step_uuid(step)) as step_result:
        if step_result is not None:
            step_result.parameters = [p for p in step_result.parameters if p.name in keep]


def _allure_lifecycle(config: pytest.Config) -> Any:
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin).__name__ == "PytestBDDListener":
            return getattr(plugin, "lifecycle", None)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    tags = _tags(feature, scenario)
    _object_links(request, tags)
    records = dict(_active(request, "scenario_records") or {})  # what the steps produced (harness/run/plugin.py)
    if records:
        _safely(evidence.attach_json, "records this scenario acted on", records)
    collected = evidence.finish_scenario()
    if records:
        collected["records"] = records
    # Plain JSON only: pytest-xdist ships user properties between processes, and steps keep rich objects.
    request.node.user_properties.append(("uat_evidence", json.loads(json.dumps(collected, default=str))))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # outermost: allure-pytest-bdd has set the status by then
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or report.outcome != "failed" or "uat_feature" not in dict(item.user_properties):
        return
    crash = getattr(report.longrepr, "reprcrash", None)
    message = crash.message if crash is not None else str(report.longrepr)
    _safely(allure.dynamic.label, FAILURE_KIND_LABEL, CATEGORIES[classify(message)])
    _safely(_readable_status, item)


def _readable_status(item: pytest.Item) -> None:
    """The failure's message as the sign-off shows it: without the exception's class path (`harness.uat.failures.
    Picklists: ...`), Python reprs or whole numbers with `.0`, on the scenario and on each failed step."""
    listener = next((p for p in item.config.pluginmanager.get_plugins() if type(p).__name__ == "PytestBDDListener"),
                    None)
    uuid = getattr(listener, "nodeid_to_uuid", {}).get(item.nodeid)
    if listener is None or uuid is None:
        return
    with listener.lifecycle.update_test_case(uuid=uuid) as result:
        pending = [result] if result is not None else []
        while pending:
            node = pending.pop()
            details = getattr(node, "statusDetails", None)
            if details is not None and details.message:
                details.message = readable_message(details.message)
            pending.extend(getattr(node, "steps", None) or [])
