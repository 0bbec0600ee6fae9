"""The org's declarative automation, run inside every save: flows, validation rules, duplicate rules, formulas.

Definitions come from the fixture's `automation:` block (`definitions.py`); they run for every writer alike
(REST, collections, Bulk, SOAP, the connector), which is what makes an org fixture able to fight the connector
the way a real org's automation does.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .. import exceptions as err
from .. import values as conv
from ..context import SaveContext
from ..formula import FormulaError, compile_formula
from ..schema import OrgSchema, SchemaError, SObjectSchema
from .definitions import Assignment, CatalogueEntry, DuplicateRule, Flow, ValidationRule, read_definitions
from .scope import formula_context

if TYPE_CHECKING:
    from ..models import SalesforceBackend

DUPLICATE_MESSAGE = "You're creating a duplicate record. We recommend you use an existing record instead."


class Automation:
    def __init__(self, schema: OrgSchema) -> None:
        self.validation_rules, self.duplicate_rules, self.flows, self.catalogue = read_definitions(schema)
        self._rules: dict[str, list[ValidationRule]] = defaultdict(list)
        self._duplicates: dict[str, list[DuplicateRule]] = defaultdict(list)
        self._flows: dict[tuple[str, str], list[Flow]] = defaultdict(list)
        for rule in self.validation_rules:
            if rule.active:
                self._rules[rule.object].append(rule)
        for duplicate in self.duplicate_rules:
            if duplicate.active:
                self._duplicates[duplicate.object].append(duplicate)
        for flow in self.flows:
            if flow.active:
                self._flows[(flow.object, flow.trigger)].append(flow)
        self._formulas: dict[str, list[tuple[Any, Any]]] = {}
        for sobject in schema.objects.values():
            compiled = []
            for f in sobject.fields.values():
                if f.formula:
                    try:
                        compiled.append((f, compile_formula(f.formula)))
                    except FormulaError as error:
                        raise SchemaError(f"{schema.source}: objects.{sobject.name}.fields.{f.name}.formula: {error}") from None
            self._formulas[sobject.name] = compiled
        self._alias_ids: dict[str, str] = {}

    def _user_ids(self, backend: SalesforceBackend, aliases: list[str]) -> set[str]:
        out = set()
        for alias in aliases:
            if alias not in self._alias_ids:
                self._alias_ids[alias] = backend.user_id_by_alias(alias)
            out.add(self._alias_ids[alias])
        return out

    # -- formula fields -------------------------------------------------------------------------------
    def compute_formulas(self, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any]) -> None:
        """Formula fields are evaluated at save time and stored, so SOQL can filter and sort on them (a choice:
        Salesforce computes them at read time; cross-object formulas here refresh when their own record saves)."""
        compiled = self._formulas.get(sobject.name)
        if not compiled:
            return
        ctx = formula_context(backend, sobject, record, None, "")
        for f, formula in compiled:
            try:
                record[f.name] = conv.from_formula(f, formula(ctx))
            except (FormulaError, TypeError, ValueError, ArithmeticError):
                record[f.name] = None  # Salesforce shows #Error! and stores nothing

    def has_after_save(self, object_name: str) -> bool:
        return bool(self._flows.get((object_name, "after_save")))

    # -- flows ----------------------------------------------------------------------------------------
    def _runs(self, flow: Flow, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
              previous: dict[str, Any] | None, user_id: str) -> bool:
        if (previous is None and flow.when == "update") or (previous is not None and flow.when == "create"):
            return False
        if flow.check is None:
            return True
        if not flow.check(formula_context(backend, sobject, record, previous, user_id)):
            return False
        if flow.run == "when_condition_becomes_true" and previous is not None:
            return not flow.check(formula_context(backend, sobject, previous, None, user_id))
        return True

    def _assign(self, backend: SalesforceBackend, sobject: SObjectSchema, target: SObjectSchema,
                assignments: list[Assignment], record: dict[str, Any], previous: dict[str, Any] | None,
                user_id: str) -> dict[str, Any]:
        ctx = formula_context(backend, sobject, record, previous, user_id)
        out = {}
        for item in assignments:
            f = target.field(item.field)
            if item.formula is not None:
                out[f.name] = conv.from_formula(f, item.formula(ctx))
            else:
                out[f.name] = conv.to_storage(target, f, backend.resolve_alias(item.literal))
        return out

    def before_save(self, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
                    previous: dict[str, Any] | None, ctx: SaveContext) -> None:
        for flow in self._flows.get((sobject.name, "before_save"), ()):
            if self._runs(flow, backend, sobject, record, previous, ctx.user_id):
                record.update(self._assign(backend, sobject, sobject, flow.set_fields, record, previous, ctx.user_id))

    def after_save(self, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
                   previous: dict[str, Any] | None, ctx: SaveContext) -> None:
        for flow in self._flows.get((sobject.name, "after_save"), ()):
            if not self._runs(flow, backend, sobject, record, previous, ctx.user_id):
                continue
            if flow.set_fields:
                changes = self._assign(backend, sobject, sobject, flow.set_fields, record, previous, ctx.user_id)
                backend.saver.write_system(sobject, record["Id"], changes, ctx.user_id)
                record.update(changes)
            if flow.create_task:
                task = backend.sobject("Task")
                data = self._assign(backend, sobject, task, flow.create_task, record, previous, ctx.user_id)
                # Flows run in system context: the task is created whatever the acting user's permissions.
                backend.saver.insert(task, data, SaveContext(user_id=ctx.user_id), trusted=True)

    # -- validation rules -----------------------------------------------------------------------------
    def validate(self, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
                 previous: dict[str, Any] | None, ctx: SaveContext) -> None:
        rules = self._rules.get(sobject.name)
        if not rules:
            return
        scope = formula_context(backend, sobject, record, previous, ctx.user_id)
        for rule in rules:
            if rule.bypass_users and ctx.user_id in self._user_ids(backend, rule.bypass_users):
                continue
            try:
                failed = bool(rule.check(scope))
            except (FormulaError, TypeError, ValueError, ArithmeticError):
                failed = False
            if failed:
                raise err.CustomValidation(rule.message, [rule.field] if rule.field else [])

    # -- duplicate rules ------------------------------------------------------------------------------
    def check_duplicates(self, backend: SalesforceBackend, sobject: SObjectSchema, record: dict[str, Any],
                         previous: dict[str, Any] | None, ctx: SaveContext) -> None:
        for rule in self._duplicates.get(sobject.name, ()):
            if rule.bypass_users and ctx.user_id in self._user_ids(backend, rule.bypass_users):
                continue
            action = rule.action_on_create if previous is None else rule.action_on_edit
            if action == "allow" and ctx.allow_duplicates:
                continue
            if previous is not None and all(record.get(f) == previous.get(f) for f in rule.match_on):
                continue  # an edit that leaves the matched fields alone is not re-checked
            wanted = [record.get(f) for f in rule.match_on]
            if any(v in (None, "") for v in wanted):
                continue
            matches = []
            for other_name in rule.compare_with:
                other = backend.sobject(other_name)
                clauses = " AND ".join(f'"{f}" = ? COLLATE NOCASE' for f in rule.match_on)
                converted = ' AND COALESCE("IsConverted", 0) = 0' if other.field("IsConverted") else ""
                rows = backend.store.db.execute(
                    f'SELECT "Id" FROM "{other.table}" WHERE "IsDeleted" = 0 AND "Id" != ? AND {clauses}{converted} '
                    'ORDER BY "CreatedDate" LIMIT 100', [record["Id"], *wanted]).fetchall()
                excluded = ctx.extra.get("exclude_ids") or ()
                ids = [r["Id"] for r in rows if r["Id"] not in excluded]
                if ids:
                    matches.append((other, ids))
            if matches:
                raise err.DuplicatesDetected(DUPLICATE_MESSAGE, self._result(backend, rule, action, matches))

    def duplicate_configuration(self, object_name: str) -> dict[str, Any]:
        """The object's duplicate management as the UI API describes it (`GET /ui-api/duplicates/{object}`):
        only active rules are listed, with what each does on a create and an edit."""
        active = self._duplicates.get(object_name, [])
        fields = sorted({f for rule in active for f in rule.match_on})
        return {
            "apiName": object_name, "dedupeEnabled": bool(active), "dedupeFields": fields,
            "duplicateRules": [{
                "actionOnInsert": rule.action_on_create.capitalize(), "actionOnUpdate": rule.action_on_edit.capitalize(),
                "active": True, "duplicateRuleFilters": [],
                "matchRules": [{"matchEngine": "ExactMatchEngine", "matchFields": list(rule.match_on),
                                "name": rule.match_rule, "objectApiName": other} for other in rule.compare_with],
                "name": rule.name, "operationsOnInsert": ["Alert", "Report"] if rule.action_on_create == "allow" else [],
                "operationsOnUpdate": ["Alert", "Report"] if rule.action_on_edit == "allow" else []}
                for rule in active],
            "predupeEnabled": bool(active),
        }

    @staticmethod
    def _result(backend: SalesforceBackend, rule: DuplicateRule, action: str,
                matches: list[tuple[SObjectSchema, list[str]]]) -> dict[str, Any]:
        version = backend.api_version
        return {
            "allowSave": action == "allow", "duplicateRule": rule.name, "duplicateRuleEntityType": rule.object,
            "errorMessage": DUPLICATE_MESSAGE,
            "matchResults": [{
                "entityType": other.name, "errors": [], "matchEngine": "ExactMatchEngine",
                "matchRecords": [{"additionalInformation": [], "fieldDiffs": [], "matchConfidence": 100.0,
                                  "record": {"attributes": {"type": other.name,
                                                            "url": f"/services/data/v{version}/sobjects/{other.name}/{i}"},
                                             "Id": i}} for i in ids],
                "rule": rule.match_rule, "size": len(ids), "success": True} for other, ids in matches],
        }


__all__ = ["Automation", "CatalogueEntry", "DuplicateRule", "Flow", "ValidationRule"]
