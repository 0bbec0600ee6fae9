"""HubSpot's published OpenAPI specs as a checker of the twin's answers: find the operation a request hit, then check
the status is one the operation documents and the body matches that status's response schema.

The specs (HubSpot/HubSpot-public-api-spec-collection, see SOURCE.md beside them) are read from
`../shared/reference/hubspot-openapi/` relative to the repository root; where that folder is absent the tests skip.
Known differences between the generated specs and what HubSpot's live API sends are patched into the schemas
before validation, each with its public evidence (`ALLOWANCES` in hubspot_openapi_allowances.py).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

SPEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "hubspot-openapi"
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass
class Operation:
    spec: str                      # the spec file it comes from
    method: str
    template: str                  # the path as the spec writes it, e.g. /crm/v3/objects/{objectType}/{objectId}
    responses: dict[str, Any]
    components: dict[str, Any]
    pattern: re.Pattern[str] = field(init=False)
    literal: int = field(init=False)  # characters outside {parameters}: the more, the more specific the template

    def __post_init__(self) -> None:
        parts = re.split(r"(\{[^}]+\})", self.template.rstrip("/"))
        self.pattern = re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "/?$")
        self.literal = sum(len(p) for p in parts if not p.startswith("{"))


@dataclass
class Exchange:
    """One request the tests made and the twin's answer to it."""

    endpoint: str                  # the twin's route (urls.py endpoint name)
    method: str
    path: str
    status: int
    body: Any                      # parsed JSON, or None for an empty body


@dataclass
class Verdict:
    operation: Operation | None
    problems: list[str]


class SpecIndex:
    def __init__(self, folder: Path, patches: Iterable[Any] = ()) -> None:
        patches = list(patches)
        self.aliases = [p.alias for p in patches if getattr(p, "alias", None)]
        self.operations: list[Operation] = []
        for path in sorted(folder.glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            components = copy.deepcopy(document.get("components") or {})
            for patch in patches:
                patch.apply(path.name, components)
            for template, item in (document.get("paths") or {}).items():
                for method in METHODS:
                    if method in item:
                        self.operations.append(Operation(path.name, method, template, item[method].get("responses") or {},
                                                         components))

    def find(self, method: str, path: str) -> Operation | None:
        """The operation a request hit: of the templates matching the path (or an allowed alias of it), the most
        literal one."""
        candidates = [path] + [documented + path[len(served):] for served, documented in self.aliases
                               if path.startswith(served)]
        found = [o for o in self.operations for p in candidates if o.method == method.lower() and o.pattern.match(p)]
        return max(found, key=lambda o: o.literal) if found else None

    def check(self, exchange: Exchange) -> Verdict:
        operation = self.find(exchange.method, exchange.path)
        if operation is None:
            return Verdict(None, [f"no operation in the specs for {exchange.method} {exchange.path}"])
        status = str(exchange.status)
        response = operation.responses.get(status)
        if response is None:
            if exchange.status < 400:
                documented = ", ".join(sorted(k for k in operation.responses if k != "default"))
                return Verdict(operation, [f"status {status} is not documented for {operation.method.upper()} "
                                           f"{operation.template} ({documented})"])
            response = operation.responses.get("default")
        if response is None:
            return Verdict(operation, [f"status {status} is not documented and there is no default response"])
        response = self._resolve(response, operation.components)
        content = response.get("content") or {}
        schema = (content.get("application/json") or content.get("*/*") or {}).get("schema")
        if schema is None:
            return Verdict(operation, [] if exchange.body in (None, "") else [f"status {status} documents no body"])
        return Verdict(operation, validate(schema, operation.components, exchange.body))

    @staticmethod
    def _resolve(node: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = components[kind][name]
        return node


def validate(schema: dict[str, Any], components: dict[str, Any], body: Any) -> list[str]:
    """Every schema violation of the body, one line each with the JSON path where it is."""
    rooted = {**schema, "components": components}  # the operation's "#/components/..." refs resolve against this root
    validator = OAS30ReadValidator(rooted, format_checker=oas30_format_checker)
    problems = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path) or "(body)"
        detail = error.message if len(error.message) < 300 else error.message[:300] + "..."
        best = _deepest(error)
        if best is not error:
            inner = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in best.absolute_path)
            detail += f" | deepest: {inner}: {best.message[:200]}"
        problems.append(f"{where}: {detail}")
    return problems


def _deepest(error: Any) -> Any:
    """For oneOf/anyOf failures, the sub-error that got furthest into the body (the likely real cause)."""
    best = error
    for sub in error.context or ():
        candidate = _deepest(sub)
        if len(list(candidate.absolute_path)) > len(list(best.absolute_path)):
            best = candidate
    return best
