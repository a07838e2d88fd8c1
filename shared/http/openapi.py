"""Each service's OpenAPI document: one error model, and every 4xx listed where it happens.

FastAPI documents only the 422 of its own validation (with its own body). The
rules here add, per operation, what the shared plumbing can answer: 401/403 where
a key is needed (and 503: the key registry is a database), 404 where a path names
a resource, 413/422 where a body or parameters are read; a route adds any other
status itself (`responses=`).
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.http.errors import ErrorBody
from shared.http.examples import OPERATIONAL, Examples, OperationExamples

COMPONENT_REF = "#/components/schemas/{model}"
ERROR_REF = {"$ref": COMPONENT_REF.format(model="ErrorBody")}
# An operation's `openapi_extra` may carry schemas its documented body refers to
# under this key; they are moved to the document's components.
DEFINITIONS = "x-component-schemas"
MAX_BODY_MB = 5  # the documented request body limit (413), enforced by shared/http middleware

DESCRIPTIONS = {
    "400": "A body that cannot be parsed (malformed multipart, undecodable bytes)",
    "401": "No bearer key, or an unknown or revoked one (`WWW-Authenticate: Bearer`)",
    "403": "The key lacks the scope, or acts for another LA",
    "404": "No such resource, or not one this key may see",
    "409": "Conflicts with what is stored (e.g. an event id reused with another body)",
    "413": f"Request body over {MAX_BODY_MB} MB: nothing was read or stored",
    "422": "Invalid request, with a reason per field: nothing was changed",
    "503": "The database is unreachable (restarting, say): nothing was changed; "
    "send the request again after `Retry-After` seconds",
}
_DROP = ("HTTPValidationError", "ValidationError")


def statuses_for(path: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses the shared plumbing can answer for this operation."""
    codes = []
    if operation.get("security"):
        codes += ["401", "403", "503"]  # the key is checked against the database
    if "{" in path:
        codes.append("404")
    if "requestBody" in operation:
        codes += ["400", "413", "422"]
    elif operation.get("parameters"):
        codes.append("422")
    return codes


def _error_response(code: str, response: dict[str, Any]) -> dict[str, Any]:
    description = response.get("description") or DESCRIPTIONS.get(code, "Error")
    if description in ("Validation Error", "Successful Response"):
        description = DESCRIPTIONS.get(code, description)
    content = response.get("content") or {}
    if not content or "HTTPValidationError" in str(content):
        content = {"application/json": {"schema": ERROR_REF}}
    return {**response, "description": description, "content": content}


def _complete(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for code in statuses_for(path, operation):
        responses.setdefault(code, {})
    for code in list(responses):
        if code[0] in "45":
            responses[code] = _error_response(code, responses[code])


def _add_error_model(schemas: dict[str, Any]) -> None:
    model = ErrorBody.model_json_schema(ref_template=COMPONENT_REF)
    schemas.update(model.pop("$defs", {}))
    schemas["ErrorBody"] = model
    for name in _DROP:
        schemas.pop(name, None)


def build(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    _add_error_model(components)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for name, definition in operation.pop(DEFINITIONS, {}).items():
                components.setdefault(name, definition)
            _complete(path, operation)
    _add_examples(schema, {**OPERATIONAL, **getattr(app.state, "openapi_examples", {})})
    return schema


def _add_examples(schema: dict[str, Any], examples: Examples) -> None:
    """Each operation's example request body and success response, where none is set."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            given = examples.get(f"{method.upper()} {path}", OperationExamples())
            if "request" in given:
                _set_example(operation.get("requestBody", {}), given["request"])
            success = sorted(c for c in operation.get("responses", {}) if c.startswith("2"))
            if "response" in given and success:
                _set_example(operation["responses"][success[0]], given["response"])


def _set_example(part: dict[str, Any], value: Any) -> None:
    for media in part.get("content", {}).values():
        if "example" not in media and "examples" not in media:
            media["example"] = value


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented override
