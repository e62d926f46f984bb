"""Reading requests and writing responses the same way in every view."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from talentmind.api.models import ClientId
from talentmind_gateway import jsonio
from talentmind_gateway.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from talentmind_gateway.validation import parse_model

M = TypeVar("M", bound=BaseModel)


def require_json(request: web.Request) -> None:
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            f"Content-Type must be application/json, got '{request.content_type or 'none'}'",
            details={"expected": ["application/json"]},
        )


async def read_json(request: web.Request) -> Any:
    """The JSON body (Content-Type checked, size limited, syntax checked)."""
    require_json(request)
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise PayloadTooLarge(f"Body larger than {request.app._client_max_size} bytes") from None
    if not raw.strip():
        raise ValidationFailed("body: a JSON object is required", details=[{"field": "body", "message": "empty"}])
    try:
        data = jsonio.loads(raw)
    except jsonio.JsonInputError as exc:
        raise ValidationFailed(str(exc), code=exc.code) from None
    return _check_text(data, "body")


def path_id(request: web.Request, name: str = "id") -> str:
    """A client-chosen id from the path (a candidate's, a vacancy's), held to the same rule as ids in bodies."""
    value = request.match_info[name]
    try:
        return _CLIENT_ID.validate_python(value)
    except PydanticValidationError:
        raise ValidationFailed(
            f"{name}: not a valid id (1-128 letters, digits and _ . : @ -, starting with a letter or digit)",
            details=[{"field": name, "message": "invalid id"}],
        ) from None


_CLIENT_ID: TypeAdapter[str] = TypeAdapter(ClientId)


# Free-form fields (the ATS's own metadata) may carry any JSON string; PostgreSQL cannot store NUL in text, so NUL
# is dropped there instead of refusing data the schema allows. Everywhere else it is refused.
_FREE_FORM = ("metadata",)


def _check_text(value: Any, where: str) -> Any:
    """Refuse (or, in free-form fields, drop) what PostgreSQL cannot store: NUL characters and unpaired
    surrogates (from \\u escapes). Returns the value to use."""
    free = where.split(".")[0] in _FREE_FORM
    if isinstance(value, str):
        if "\x00" in value:
            if not free:
                raise ValidationFailed(f"{where}: NUL characters are not allowed", code="invalid_characters")
            value = value.replace("\x00", "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationFailed(
                f"{where}: invalid Unicode (unpaired surrogate)", code="invalid_characters"
            ) from None
        return value
    if isinstance(value, dict):
        return {
            _check_text(k, where): _check_text(v, f"{where}.{k}" if where != "body" else str(k))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_check_text(v, f"{where}.{i}") for i, v in enumerate(value)]
    return value


async def json_body(request: web.Request, model: type[M]) -> tuple[M, bytes]:
    """The validated body and its fingerprint (for Idempotency-Key comparisons)."""
    data = await read_json(request)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "body: a JSON object is required", details=[{"field": "body", "message": "not an object"}]
        )
    return parse_model(model, data), fingerprint(request, data)


def fingerprint(request: web.Request, data: Any) -> bytes:
    """What identifies a request for idempotency: method, path and the body as canonical JSON."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).digest()


def respond(model: BaseModel, status: int = 200) -> web.Response:
    return web.json_response(model.model_dump(mode="json"), status=status, dumps=jsonio.dumps)
