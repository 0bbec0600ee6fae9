"""HubSpot API errors in HubSpot's shape: {status, message, correlationId, category[, errors, context]}."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.wrappers import Response

from ..web import TwinHttpError, json_response


class HubSpotError(TwinHttpError):
    status = 400
    category = "VALIDATION_ERROR"

    def __init__(self, message: str, status: int | None = None, category: str | None = None,
                 errors: list[dict[str, Any]] | None = None, context: dict[str, Any] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status:
            self.status = status
        if category:
            self.category = category
        self.errors = errors
        self.context = context
        self.extra = extra or {}
        self.index: int | None = None  # position in a batch input, when the error belongs to one item

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "error", "message": self.message, "correlationId": str(uuid.uuid4()),
                                "category": self.category}
        if self.errors is not None:
            body["errors"] = self.errors
        if self.context is not None:
            body["context"] = self.context
        body.update(self.extra)
        return body

    def as_batch_error(self) -> dict[str, Any]:
        """The per-item error inside a 207 batch response: context lists are strings (StandardError model)."""
        context = dict(self.context or {})
        if self.index is not None:
            context.setdefault("index", [str(self.index)])
        return {"status": "error", "category": self.category, "message": self.message, "context": context,
                "errors": self.errors or []}

    def to_response(self) -> Response:
        return json_response(self.body(), self.status)


class Unauthorized(HubSpotError):
    status = 401
    category = "INVALID_AUTHENTICATION"

    def __init__(self) -> None:
        super().__init__("Authentication credentials not found. This API supports OAuth 2.0 authentication and you can "
                         "find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")


class ObjectNotFound(HubSpotError):
    status = 404
    category = "OBJECT_NOT_FOUND"

    def __init__(self, message: str = "Object not found.", context: dict[str, Any] | None = None) -> None:
        super().__init__(message, context=context)


class RecordNotFound(ObjectNotFound):
    """A record id that names nothing (read, update, delete): HubSpot's wording, two spaces and all."""

    def __init__(self, object_id: str) -> None:
        super().__init__("Object not found.  objectId are usually numeric.", context={"id": [str(object_id)]})


def invalid_associations(context: dict[str, list[str]]) -> HubSpotError:
    """HubSpot's 400 for an association to a record or a type that does not exist; the context names which."""
    return HubSpotError("One or more associations are invalid", category="VALIDATION_ERROR", context=context)


class Conflict(HubSpotError):
    status = 409
    category = "CONFLICT"


class RateLimited(HubSpotError):
    """429: HubSpot's body adds errorType RATE_LIMIT, policyName (TEN_SECONDLY_ROLLING, SECONDLY, DAILY), requestId."""

    status = 429
    category = "RATE_LIMITS"

    def __init__(self, policy: str, message: str) -> None:
        super().__init__(message, extra={"errorType": "RATE_LIMIT", "policyName": policy,
                                         "requestId": str(uuid.uuid4())})
        self.policy = policy


def invalid_properties(problems: list[dict[str, Any]]) -> HubSpotError:
    """HubSpot's 400 for bad property values: the message embeds the JSON list of problems."""
    import json

    return HubSpotError(f"Property values were not valid: {json.dumps(problems)}", errors=[
        {"message": p["message"], "code": p["error"], "context": {"propertyName": [p["name"]]}} for p in problems])
