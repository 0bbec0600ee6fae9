"""Salesforce REST errors, each rendering the platform's shape: a JSON list of {message, errorCode, fields}."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from ..web import TwinHttpError, json_response


class SalesforceError(TwinHttpError):
    status = 400
    error_code = "UNKNOWN_EXCEPTION"

    # Query errors carry no "fields" key; DML errors always do (an empty list for page-level errors).
    include_fields = True

    def __init__(self, message: str, fields: list[str] | None = None, error_code: str | None = None,
                 status: int | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or []
        if error_code:
            self.error_code = error_code
        if status:
            self.status = status
        self.extra = extra or {}

    def as_error(self) -> dict[str, Any]:
        """The per-record error shape used inside collection and composite results."""
        body = {"statusCode": self.error_code, "message": self.message, "fields": self.fields}
        body.update(self.extra)
        return body

    def to_response(self) -> Response:
        body: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.fields or (self.status == 400 and self.include_fields):
            body["fields"] = self.fields
        body.update(self.extra)
        return json_response([body], self.status)


class InvalidSession(SalesforceError):
    status = 401
    error_code = "INVALID_SESSION_ID"

    def __init__(self) -> None:
        super().__init__("Session expired or invalid")


class NotFound(SalesforceError):
    status = 404
    error_code = "NOT_FOUND"

    def __init__(self, message: str = "The requested resource does not exist") -> None:
        super().__init__(message)


class EntityIsDeleted(SalesforceError):
    status = 404
    error_code = "ENTITY_IS_DELETED"

    def __init__(self) -> None:
        super().__init__("entity is deleted")


class InvalidType(SalesforceError):
    status = 404
    error_code = "NOT_FOUND"

    def __init__(self, name: str) -> None:
        super().__init__(f"The requested resource does not exist: sObject type '{name}' is not supported.")


class MalformedId(SalesforceError):
    error_code = "MALFORMED_ID"

    def __init__(self, object_name: str, value: str, field_name: str = "Id") -> None:
        super().__init__(f"{object_name} ID: id value of incorrect type: {value}", [field_name])


class InvalidField(SalesforceError):
    error_code = "INVALID_FIELD"


class MalformedQuery(SalesforceError):
    error_code = "MALFORMED_QUERY"


class InvalidTypeInQuery(SalesforceError):
    error_code = "INVALID_TYPE"


class RequiredFieldMissing(SalesforceError):
    error_code = "REQUIRED_FIELD_MISSING"

    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"Required fields are missing: [{', '.join(fields)}]", fields)


class StringTooLong(SalesforceError):
    error_code = "STRING_TOO_LONG"

    def __init__(self, label: str, value: str, length: int, field_name: str) -> None:
        super().__init__(f"{label}: data value too large: {value[:100]} (max length={length})", [field_name])


class RestrictedPicklist(SalesforceError):
    error_code = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"

    def __init__(self, label: str, value: Any, field_name: str) -> None:
        super().__init__(f"{label}: bad value for restricted picklist field: {value}", [field_name])


class NotWriteable(SalesforceError):
    error_code = "INVALID_FIELD_FOR_INSERT_UPDATE"

    def __init__(self, fields: list[str], operation: str = "create/update") -> None:
        super().__init__(f"Unable to {operation} fields: {', '.join(fields)}. Please check the security settings of "
                         "this field and verify that it is read/write for your profile or permission set.", fields)


class InvalidFieldValue(SalesforceError):
    error_code = "INVALID_TYPE_ON_FIELD_IN_RECORD"


class DuplicateValue(SalesforceError):
    error_code = "DUPLICATE_VALUE"


class RequestLimitExceeded(SalesforceError):
    status = 403
    error_code = "REQUEST_LIMIT_EXCEEDED"

    def __init__(self, message: str = "TotalRequests Limit exceeded.") -> None:
        super().__init__(message)


class ServiceUnavailable(SalesforceError):
    status = 503
    error_code = "SERVER_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("Server temporarily unavailable. Please try again later.")


class JsonParserError(SalesforceError):
    error_code = "JSON_PARSER_ERROR"


class MethodNotAllowedError(SalesforceError):
    status = 405
    error_code = "METHOD_NOT_ALLOWED"

    def __init__(self, method: str) -> None:
        super().__init__(f"HTTP Method '{method}' not allowed. Allowed are GET,PATCH,DELETE")


class MultipleChoices(SalesforceError):
    """Several records share the external id: HTTP 300 with the candidates' URLs, as Salesforce answers."""

    status = 300
    error_code = "MULTIPLE_CHOICES"

    def __init__(self, urls: list[str]) -> None:
        super().__init__("More than one record found for external id field")
        self.urls = urls

    def to_response(self) -> Response:
        return json_response(self.urls, 300)


class InsufficientAccess(SalesforceError):
    error_code = "INSUFFICIENT_ACCESS_OR_READONLY"

    def __init__(self, message: str = "insufficient access rights on object id") -> None:
        super().__init__(message)


class EntityNotAccessible(SalesforceError):
    """The object itself is hidden from the user's profile: Salesforce says the type does not exist."""

    status = 400
    error_code = "INVALID_TYPE"

    def __init__(self, name: str, operation: str = "read") -> None:
        if operation == "read":
            super().__init__(f"sObject type '{name}' is not supported. If you are attempting to use a custom object, be "
                             "sure to append the '__c' after the entity name. Please reference your WSDL or the describe "
                             "call for the appropriate names.")
        else:
            super().__init__(f"insufficient access rights on entity: {name}", error_code="INSUFFICIENT_ACCESS_OR_READONLY")


class CustomValidation(SalesforceError):
    error_code = "FIELD_CUSTOM_VALIDATION_EXCEPTION"


class DuplicatesDetected(SalesforceError):
    error_code = "DUPLICATES_DETECTED"

    def __init__(self, message: str, duplicate_result: dict[str, Any]) -> None:
        super().__init__(message, extra={"duplicateResult": duplicate_result})

    def to_response(self) -> Response:
        # Salesforce puts duplicateResult first, then errorCode and message, and no fields list.
        return json_response([{"duplicateResult": self.extra["duplicateResult"], "errorCode": self.error_code,
                               "message": self.message}], self.status)


class ConvertedLead(SalesforceError):
    error_code = "CANNOT_UPDATE_CONVERTED_LEAD"

    def __init__(self) -> None:
        super().__init__("cannot reference converted lead")


class InvalidCrossReference(SalesforceError):
    error_code = "INVALID_CROSS_REFERENCE_KEY"

    def __init__(self, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message, fields)


class ExceededIdLimit(SalesforceError):
    error_code = "EXCEEDED_ID_LIMIT"

    def __init__(self, message: str = "record limit reached. cannot submit more than 200 records into this call") -> None:
        super().__init__(message)
