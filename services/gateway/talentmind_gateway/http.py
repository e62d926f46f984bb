"""Reading requests and writing responses the same way in every view."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel

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
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"body: malformed JSON ({exc})", code="malformed_json") from None
    _check_text(data, "body")
    return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_text(value: Any, where: str) -> None:
    """Refuse what PostgreSQL cannot store: NUL characters and unpaired surrogates (from \\u escapes)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationFailed(f"{where}: NUL characters are not allowed", code="invalid_characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationFailed(
                f"{where}: invalid Unicode (unpaired surrogate)", code="invalid_characters"
            ) from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k, where)
            _check_text(v, f"{where}.{k}" if where != "body" else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_text(v, f"{where}.{i}")


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
    return web.json_response(model.model_dump(mode="json"), status=status)
