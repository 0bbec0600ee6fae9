"""The fixture's `automation:` block, read and checked once (formulas compiled, fields and objects resolved).

Every mistake names the file and the key path, e.g. `salesforce.yaml: automation.flows[2].trigger: 'after'
is not one of before_save, after_save`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..formula import FormulaError, compile_formula
from ..formula.engine import Compiled, field_paths
from ..schema import OrgSchema, SchemaError, SObjectSchema


@dataclass
class ValidationRule:
    name: str
    object: str
    condition: str
    check: Compiled
    message: str
    field: str | None
    active: bool = True
    bypass_users: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class DuplicateRule:
    name: str
    object: str
    match_rule: str
    match_on: list[str]
    compare_with: list[str]
    action_on_create: str
    action_on_edit: str
    active: bool = True
    bypass_users: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    field: str
    literal: Any = None
    formula: Compiled | None = None
    text: str = ""


@dataclass
class Flow:
    api_name: str
    label: str
    object: str
    trigger: str
    when: str
    condition: str | None
    check: Compiled | None
    run: str
    active: bool
    set_fields: list[Assignment]
    create_task: list[Assignment]
    description: str = ""
    order: int = 0


@dataclass
class CatalogueEntry:
    """Apex triggers and workflow rules: listed by the Tooling API, not executed."""

    kind: str
    name: str
    object: str
    data: dict[str, Any]


class _Reader:
    def __init__(self, schema: OrgSchema) -> None:
        self.schema = schema
        self.where = f"{schema.source or 'salesforce.yaml'}: automation"

    def fail(self, path: str, message: str) -> SchemaError:
        return SchemaError(f"{self.where}.{path}: {message}")

    def sobject(self, path: str, name: Any) -> SObjectSchema:
        found = self.schema.sobject(str(name)) if name else None
        if found is None:
            raise self.fail(path, f"object {name!r} is not declared under objects:")
        return found

    def formula(self, path: str, text: Any, sobject: SObjectSchema) -> Compiled:
        if not isinstance(text, str) or not text.strip():
            raise self.fail(path, "expected a formula, e.g. ISPICKVAL(Status, 'Open')")
        try:
            compiled = compile_formula(text)
        except FormulaError as error:
            raise self.fail(path, str(error)) from None

        for parts in field_paths(text):
            if len(parts) == 1 and not parts[0].startswith("$") and sobject.field(parts[0]) is None:
                raise self.fail(path, f"field {parts[0]} does not exist on {sobject.name}")
        return compiled

    def field(self, path: str, sobject: SObjectSchema, name: Any) -> str:
        f = sobject.field(str(name)) if name else None
        if f is None:
            raise self.fail(path, f"field {name!r} does not exist on {sobject.name}")
        return f.name

    def choice(self, path: str, value: Any, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(path, f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def assignments(self, path: str, spec: Any, sobject: SObjectSchema) -> list[Assignment]:
        if spec is None:
            return []
        if not isinstance(spec, dict):
            raise self.fail(path, "expected a mapping of Field: value (a value starting with '=' is a formula)")
        out = []
        for name, value in spec.items():
            field_name = self.field(f"{path}.{name}", sobject, name)
            if isinstance(value, str) and value.startswith("="):
                out.append(Assignment(field_name, formula=self.formula(f"{path}.{name}", value[1:], sobject), text=value))
            else:
                out.append(Assignment(field_name, literal=value, text=str(value)))
        return out

    def items(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        raw = self.schema.automation.get(key) or []
        if not isinstance(raw, list):
            raise self.fail(key, "expected a list")
        out = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{index}]", "expected a mapping")
            out.append((f"{key}[{index}]", item))
        return out


def read_definitions(schema: OrgSchema) -> tuple[list[ValidationRule], list[DuplicateRule], list[Flow],
                                                  list[CatalogueEntry]]:
    reader = _Reader(schema)
    unknown = set(schema.automation) - {"validation_rules", "duplicate_rules", "flows", "apex_triggers", "workflow_rules"}
    if unknown:
        raise reader.fail(sorted(unknown)[0], "unknown key; allowed: validation_rules, duplicate_rules, flows, "
                          "apex_triggers, workflow_rules")
    rules = []
    for path, item in reader.items("validation_rules"):
        sobject = reader.sobject(f"{path}.object", item.get("object"))
        if not item.get("name") or not item.get("message"):
            raise reader.fail(path, "a validation rule needs name, object, condition and message")
        rules.append(ValidationRule(
            name=str(item["name"]), object=sobject.name, condition=str(item.get("condition")),
            check=reader.formula(f"{path}.condition", item.get("condition"), sobject), message=str(item["message"]),
            field=reader.field(f"{path}.field", sobject, item["field"]) if item.get("field") else None,
            active=bool(item.get("active", True)), bypass_users=list(item.get("bypass_users") or []),
            description=str(item.get("description", ""))))
    duplicates = []
    for path, item in reader.items("duplicate_rules"):
        sobject = reader.sobject(f"{path}.object", item.get("object"))
        match_on = item.get("match_on") or []
        if not match_on or not isinstance(match_on, list):
            raise reader.fail(f"{path}.match_on", "list the fields that must match, e.g. [Email]")
        compare = [reader.sobject(f"{path}.compare_with", name).name for name in (item.get("compare_with") or [sobject.name])]
        for other in compare:
            for name in match_on:
                reader.field(f"{path}.match_on", reader.sobject(path, other), name)
        duplicates.append(DuplicateRule(
            name=str(item.get("name") or f"{sobject.name}_Duplicate_Rule"), object=sobject.name,
            match_rule=str(item.get("match_rule") or f"{sobject.name}_Match_Rule"),
            match_on=[reader.field(f"{path}.match_on", sobject, n) for n in match_on], compare_with=compare,
            action_on_create=reader.choice(f"{path}.action_on_create", item.get("action_on_create", "allow"), ("allow", "block")),
            action_on_edit=reader.choice(f"{path}.action_on_edit", item.get("action_on_edit", "allow"), ("allow", "block")),
            active=bool(item.get("active", True)), bypass_users=list(item.get("bypass_users") or [])))
    flows = []
    for order, (path, item) in enumerate(reader.items("flows")):
        sobject = reader.sobject(f"{path}.object", item.get("object"))
        trigger = reader.choice(f"{path}.trigger", item.get("trigger", "after_save"), ("before_save", "after_save"))
        task = item.get("create_task")
        if task and trigger != "after_save":
            raise reader.fail(f"{path}.create_task", "only an after_save flow can create records")
        task_object = schema.sobject("Task")
        if task and task_object is None:
            raise reader.fail(f"{path}.create_task", "the org has no Task object under objects:")
        condition = item.get("condition")
        flows.append(Flow(
            api_name=str(item.get("api_name") or item.get("name") or f"Flow_{order}"),
            label=str(item.get("label") or item.get("api_name") or f"Flow {order}"), object=sobject.name,
            trigger=trigger, when=reader.choice(f"{path}.when", item.get("when", "create_or_update"),
                                                ("create", "update", "create_or_update")),
            condition=condition, check=reader.formula(f"{path}.condition", condition, sobject) if condition else None,
            run=reader.choice(f"{path}.run", item.get("run", "every_time"), ("every_time", "when_condition_becomes_true")),
            active=bool(item.get("active", True)),
            set_fields=reader.assignments(f"{path}.set_fields", item.get("set_fields"), sobject),
            create_task=reader.assignments(f"{path}.create_task", task, task_object) if task else [],
            description=str(item.get("description", "")), order=order))
    catalogue = []
    for key, kind in (("apex_triggers", "ApexTrigger"), ("workflow_rules", "WorkflowRule")):
        for path, item in reader.items(key):
            sobject = reader.sobject(f"{path}.object", item.get("object"))
            if not item.get("name"):
                raise reader.fail(path, "name is required")
            catalogue.append(CatalogueEntry(kind, str(item["name"]), sobject.name, item))
    return rules, duplicates, flows, catalogue
