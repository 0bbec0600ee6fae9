"""Filter criteria shared by list membership, workflow enrollment and (as SQL) CRM search.

One grammar everywhere: a list of groups ORed together, each group a list of filters ANDed, each filter in CRM
search terms (`propertyName`/`operator`/`value`/`values`/`highValue`). Lists and workflows render the same
criteria in the Lists v3 `filterBranch` shape (OR branch of AND branches of PROPERTY filters), which is what
`/crm/v3/lists` and `/automation/v4/flows` return, and a filterBranch posted to the Lists API is read back here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

OPERATORS = ("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY",
             "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN")
NUMERIC_TYPES = {"number", "datetime", "date"}
# Characters that split a value into search tokens. '@', '.', '-' and '_' stay inside a token, so a whole e-mail
# address is one token and `*@example.com` matches it (HubSpot's documented wildcard use).
_TOKEN_SPLIT = re.compile(r"[\s,;:!?()\[\]{}\"'/\\|+<>=]+")


class CriteriaError(ValueError):
    """A filter that HubSpot would refuse (unknown operator, missing value)."""


def to_number(value: Any, kind: str) -> float | None:
    """A property value as a number for ordering: numbers as such, dates and datetimes as epoch milliseconds."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        if kind not in ("datetime", "date"):
            return None
    try:
        if len(text) == 10:
            moment = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        return float(int(moment.timestamp() * 1000))
    except ValueError:
        return None


def tokens(value: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(value.casefold()) if t]


def token_matches(value: str | None, pattern: str) -> bool:
    """CONTAINS_TOKEN: some token of the value equals the pattern, where '*' in the pattern matches anything."""
    if not value:
        return False
    wanted = pattern.casefold().strip()
    if "*" not in wanted:
        return wanted in tokens(value) or (wanted in value.casefold() and " " in wanted)
    regex = re.compile("^" + ".*".join(re.escape(part) for part in wanted.split("*")) + "$")
    return any(regex.match(t) for t in tokens(value))


@dataclass(frozen=True)
class Filter:
    property: str
    operator: str
    value: str | None = None
    high_value: str | None = None
    values: tuple[str, ...] = ()

    @classmethod
    def from_search(cls, raw: Mapping[str, Any], where: str = "filter") -> Filter:
        """A filter in CRM-search JSON (`propertyName`) or fixture YAML (`property`) form."""
        if not isinstance(raw, Mapping):
            raise CriteriaError(f"{where}: a filter is a mapping with propertyName and operator")
        name = raw.get("propertyName", raw.get("property"))
        operator = str(raw.get("operator") or "EQ").upper()
        if not name:
            raise CriteriaError(f"{where}: propertyName is required")
        if operator not in OPERATORS:
            raise CriteriaError(f"{where}: operator {operator!r} is not one of {', '.join(OPERATORS)}")
        value = raw.get("value")
        high = raw.get("highValue", raw.get("high_value"))
        values = raw.get("values") or ()
        if operator in ("IN", "NOT_IN"):
            if not isinstance(values, list | tuple) or not values:
                raise CriteriaError(f"{where}: operator {operator} needs a non-empty 'values' list")
        elif operator == "BETWEEN":
            if value is None or high is None:
                raise CriteriaError(f"{where}: operator BETWEEN needs 'value' and 'highValue'")
        elif operator not in ("HAS_PROPERTY", "NOT_HAS_PROPERTY") and value is None:
            raise CriteriaError(f"{where}: operator {operator} needs a 'value'")
        return cls(str(name), operator, None if value is None else _text(value), None if high is None else _text(high),
                   tuple(_text(v) for v in values))

    def as_search(self) -> dict[str, Any]:
        out: dict[str, Any] = {"propertyName": self.property, "operator": self.operator}
        if self.value is not None:
            out["value"] = self.value
        if self.high_value is not None:
            out["highValue"] = self.high_value
        if self.values:
            out["values"] = list(self.values)
        return out

    def matches(self, value: str | None, kind: str) -> bool:
        op = self.operator
        present = value is not None and value != ""
        if op == "HAS_PROPERTY":
            return present
        if op == "NOT_HAS_PROPERTY":
            return not present
        if op in ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN"):
            positive = {"NEQ": "EQ", "NOT_IN": "IN", "NOT_CONTAINS_TOKEN": "CONTAINS_TOKEN"}[op]
            return not Filter(self.property, positive, self.value, self.high_value, self.values).matches(value, kind)
        if not present:
            return False
        if op == "CONTAINS_TOKEN":
            return token_matches(value, self.value or "")
        if op == "EQ":
            return _equal(value, self.value, kind)
        if op == "IN":
            return any(_equal(value, v, kind) for v in self.values)
        if op == "BETWEEN":
            return _compare(value, self.value, kind) >= 0 and _compare(value, self.high_value, kind) <= 0
        result = _compare(value, self.value, kind)
        return {"LT": result < 0, "LTE": result <= 0, "GT": result > 0, "GTE": result >= 0}[op]


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _equal(left: str | None, right: str | None, kind: str) -> bool:
    if left is None or right is None:
        return False
    if kind in NUMERIC_TYPES:
        a, b = to_number(left, kind), to_number(right, kind)
        if a is not None and b is not None:
            return a == b
    if kind == "enumeration" and ";" in left:  # multiple checkboxes: equal to any selected option
        return right.casefold() in (part.casefold() for part in left.split(";"))
    return left.casefold() == right.casefold()


def _compare(left: str | None, right: str | None, kind: str) -> int:
    if kind in NUMERIC_TYPES:
        a, b = to_number(left, kind), to_number(right, kind)
        if a is not None and b is not None:
            return (a > b) - (a < b)
    x, y = (left or "").casefold(), (right or "").casefold()
    return (x > y) - (x < y)


@dataclass(frozen=True)
class Criteria:
    """Groups ORed together; filters inside a group ANDed. No groups at all matches everything."""

    groups: tuple[tuple[Filter, ...], ...] = field(default_factory=tuple)

    @classmethod
    def from_fixture(cls, raw: Any, where: str) -> Criteria:
        """YAML: a list of groups (each a list of filters), or one flat list of filters meaning a single group."""
        if raw in (None, []):
            return cls(())
        if not isinstance(raw, list):
            raise CriteriaError(f"{where}: criteria are a list of groups, each a list of filters")
        if all(isinstance(item, Mapping) for item in raw):
            raw = [raw]
        groups = []
        for g, group in enumerate(raw):
            if not isinstance(group, list) or not group:
                raise CriteriaError(f"{where}[{g}]: each group is a non-empty list of filters")
            groups.append(tuple(Filter.from_search(f, f"{where}[{g}][{i}]") for i, f in enumerate(group)))
        return cls(tuple(groups))

    def properties(self) -> set[str]:
        return {f.property for group in self.groups for f in group}

    def matches(self, properties: Mapping[str, str | None], kind_of: Mapping[str, str]) -> bool:
        if not self.groups:
            return True
        return any(all(f.matches(properties.get(f.property), kind_of.get(f.property, "string")) for f in group)
                   for group in self.groups)

    def as_fixture(self) -> list[list[dict[str, Any]]]:
        return [[f.as_search() for f in group] for group in self.groups]

    # -- the Lists v3 / flows v4 wire shape ------------------------------------------------------------
    def to_filter_branch(self, kind_of: Mapping[str, str]) -> dict[str, Any]:
        return {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
            {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [],
             "filters": [_to_list_filter(f, kind_of.get(f.property, "string")) for f in group]}
            for group in self.groups]}

    @classmethod
    def from_filter_branch(cls, branch: Any) -> Criteria:
        """Read a posted Lists filterBranch: an OR root of AND branches of PROPERTY filters (the subset the twin runs)."""
        if not isinstance(branch, Mapping):
            raise CriteriaError("filterBranch must be an object")
        if branch.get("filterBranchType") == "AND":
            branch = {"filterBranchType": "OR", "filterBranches": [branch], "filters": []}
        if branch.get("filterBranchType") != "OR":
            raise CriteriaError("filterBranch: the root branch must have filterBranchType OR")
        if branch.get("filters"):
            raise CriteriaError("filterBranch: put filters in AND branches under the OR root")
        groups = []
        for child in branch.get("filterBranches") or []:
            if not isinstance(child, Mapping) or child.get("filterBranchType") != "AND":
                raise CriteriaError("filterBranch: each branch under the OR root must have filterBranchType AND")
            if child.get("filterBranches"):
                raise CriteriaError("filterBranch: nested branches inside an AND branch are not supported by the twin")
            groups.append(tuple(_from_list_filter(f) for f in child.get("filters") or []))
        return cls(tuple(g for g in groups if g))


_NUMBER_OPS = {"EQ": "IS_EQUAL_TO", "NEQ": "IS_NOT_EQUAL_TO", "GT": "IS_GREATER_THAN", "GTE": "IS_GREATER_THAN_OR_EQUAL_TO",
               "LT": "IS_LESS_THAN", "LTE": "IS_LESS_THAN_OR_EQUAL_TO"}
_STRING_OPS = {"EQ": "IS_EQUAL_TO", "NEQ": "IS_NOT_EQUAL_TO", "CONTAINS_TOKEN": "CONTAINS",
               "NOT_CONTAINS_TOKEN": "DOES_NOT_CONTAIN"}


def _to_list_filter(f: Filter, kind: str) -> dict[str, Any]:
    op = f.operator
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        operation: dict[str, Any] = {"operationType": "ALL_PROPERTY",
                                     "operator": "IS_KNOWN" if op == "HAS_PROPERTY" else "IS_UNKNOWN"}
    elif kind == "enumeration" or op in ("IN", "NOT_IN"):
        values = list(f.values) if f.values else [f.value]
        operation = {"operationType": "ENUMERATION" if kind == "enumeration" else "MULTISTRING",
                     "operator": "IS_ANY_OF" if op in ("EQ", "IN") else "IS_NONE_OF", "values": values}
        if kind != "enumeration":
            operation["operator"] = "IS_EQUAL_TO" if op in ("EQ", "IN") else "IS_NOT_EQUAL_TO"
    elif kind == "bool":
        operation = {"operationType": "BOOL", "operator": _STRING_OPS.get(op, "IS_EQUAL_TO"),
                     "value": (f.value or "").lower() == "true"}
    elif op == "BETWEEN":
        operation = {"operationType": "NUMBER_RANGED", "operator": "IS_BETWEEN", "lowerBound": f.value,
                     "upperBound": f.high_value}
    elif kind in NUMERIC_TYPES or op in _NUMBER_OPS and op not in ("EQ", "NEQ"):
        operation = {"operationType": "NUMBER", "operator": _NUMBER_OPS[op], "value": f.value}
    else:
        operation = {"operationType": "STRING", "operator": _STRING_OPS[op], "value": f.value}
    operation["includeObjectsWithNoValueSet"] = op in ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN", "NOT_HAS_PROPERTY")
    return {"filterType": "PROPERTY", "property": f.property, "operation": operation}


def _from_list_filter(raw: Any) -> Filter:
    if not isinstance(raw, Mapping) or raw.get("filterType") != "PROPERTY":
        raise CriteriaError("filterBranch: only filters of filterType PROPERTY are supported by the twin")
    name = raw.get("property")
    operation = raw.get("operation") or {}
    kind, operator = operation.get("operationType"), operation.get("operator")
    if not name or not kind or not operator:
        raise CriteriaError("filterBranch: a PROPERTY filter needs property, operation.operationType and operation.operator")
    if kind == "ALL_PROPERTY" and operator in ("IS_KNOWN", "IS_UNKNOWN"):
        return Filter(name, "HAS_PROPERTY" if operator == "IS_KNOWN" else "NOT_HAS_PROPERTY")
    if kind in ("ENUMERATION", "MULTISTRING") and operator in ("IS_ANY_OF", "IS_NONE_OF", "IS_EQUAL_TO", "IS_NOT_EQUAL_TO"):
        values = tuple(_text(v) for v in operation.get("values") or ())
        return Filter(name, "IN" if operator in ("IS_ANY_OF", "IS_EQUAL_TO") else "NOT_IN", values=values)
    if kind == "NUMBER_RANGED" and operator == "IS_BETWEEN":
        return Filter(name, "BETWEEN", _text(operation.get("lowerBound")), _text(operation.get("upperBound")))
    for table, kinds in ((_NUMBER_OPS, ("NUMBER",)), (_STRING_OPS, ("STRING", "BOOL"))):
        if kind in kinds:
            for search_op, list_op in table.items():
                if list_op == operator:
                    return Filter(name, search_op, _text(operation.get("value")))
    raise CriteriaError(f"filterBranch: operation {kind} {operator} on {name!r} is not supported by the twin")


def kinds_of(definitions: Iterable[Any]) -> dict[str, str]:
    """property name -> property type, from PropertyDefinition objects."""
    return {d.name: d.type for d in definitions}
