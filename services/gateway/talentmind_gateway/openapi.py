"""OpenAPI 3.1 for the gateway, generated from the route table and its pydantic models.

Written here rather than taken from a framework plug-in because the plug-ins for aiohttp either emit OpenAPI 3.0
or want views shaped around them; pydantic already produces JSON Schema 2020-12, which OpenAPI 3.1 embeds as is,
so the whole builder is this one table walk.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from talentmind import __version__
from talentmind.api.models import ClientId, ErrorResponse
from talentmind_gateway.routes import ENDPOINTS, Endpoint

_REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Invalid request (the failing field is named in error.details)",
    401: "Missing, invalid or revoked API key",
    403: "Forbidden",
    404: "Not found (also for objects of another organisation)",
    405: "Method not allowed",
    409: "Conflict with the current state (or an Idempotency-Key reused for another request)",
    413: "Body too large",
    415: "Unsupported Content-Type",
    429: "Rate limit exceeded; see Retry-After",
    503: "The database is unreachable for now; retry after Retry-After seconds",
}
_ALWAYS = (400, 401, 429, 503)


def build_spec(server_url: str | None = None) -> dict[str, Any]:
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorResponse, "serialization")]
    for ep in ENDPOINTS:
        wanted.append((ep.response, "serialization"))
        if ep.body is not None:
            wanted.append((ep.body, "validation"))
        if ep.upload is not None:
            wanted.append((ep.upload, "validation"))
    key_map, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=_REF)
    refs: dict[Any, Any] = dict(key_map)

    paths: dict[str, dict[str, Any]] = {}
    for ep in ENDPOINTS:
        paths.setdefault(ep.path, {})[ep.method.lower()] = _operation(ep, refs)

    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "TalentMind API",
            "version": __version__,
            "description": "Interview analysis, soft-skill scoring and culture fit for your ATS. Every answer carries "
            '`"success": true`; errors carry `{"success": false, "error": {code, message, details}}`. POST requests '
            "accept an `Idempotency-Key` header.",
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "API key"}},
        },
        "security": [{"BearerAuth": []}],
        "tags": [{"name": t} for t in dict.fromkeys(ep.tag for ep in ENDPOINTS)],
    }
    if server_url:
        spec["servers"] = [{"url": server_url}]
    return spec


# Ids the ATS chooses (candidates, vacancies) follow one rule in paths and bodies (``http.path_id``).
_CLIENT_ID_SCHEMA: dict[str, Any] = TypeAdapter(ClientId).json_schema()
_CLIENT_ID_PREFIXES = ("/v1/candidates/{id}", "/v1/vacancies/{id}")


def _path_schema(path: str, name: str) -> dict[str, Any]:
    if name == "id" and path.startswith(_CLIENT_ID_PREFIXES):
        return dict(_CLIENT_ID_SCHEMA)
    return {"type": "string"}


def _operation(ep: Endpoint, refs: dict[Any, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": ep.operation_id, "summary": ep.summary, "tags": [ep.tag]}
    if ep.description:
        op["description"] = ep.description
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": _path_schema(ep.path, name)}
        for name in re.findall(r"{(\w+)}", ep.path)
    ]
    if ep.query is not None:
        schema = ep.query.model_json_schema(ref_template=_REF)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if ep.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "Retries with the same key and body return the first answer.",
            }
        )
    if params:
        op["parameters"] = params
    if ep.body is not None:
        content: dict[str, Any] = {"application/json": {"schema": refs[(ep.body, "validation")]}}
        if ep.upload is not None:
            form = ep.upload.model_json_schema(ref_template=_REF)
            form["properties"]["media"] = {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "The recording (mp4, mp3, m4a, wav, ogg, webm).",
            }
            form["required"] = [*form.get("required", []), "media"]
            content["multipart/form-data"] = {"schema": form}
        op["requestBody"] = {"required": True, "content": content}

    codes = sorted({*_ALWAYS, *ep.errors, *((404,) if "{" in ep.path else ())})
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": refs[(ep.response, "serialization")]}}}
    }
    error_schema = refs[(ErrorResponse, "serialization")]
    for code in codes:
        entry: dict[str, Any] = {
            "description": _ERROR_TEXT[code],
            "content": {"application/json": {"schema": error_schema}},
        }
        if code in (429, 503):
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
        responses[str(code)] = entry
    op["responses"] = responses
    return op
