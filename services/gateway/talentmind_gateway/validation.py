"""Turn request input into pydantic models, and pydantic's complaints into a 400 that names the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from talentmind_gateway.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


# The member tags pydantic puts in an error's location for a union field (``mode.literal['qsort','rating']``,
# ``scale.none``): they name a type, not a field, and a client reads the field.
_UNION_TAGS = frozenset({"none", "str", "int", "float", "bool", "list", "dict"})


def _field(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS))]
    return ".".join(parts) or "body"


def validation_details(exc: ValidationError) -> list[dict[str, str]]:
    """One detail per field (a union field fails once per member type: the first member's complaint is kept,
    ``X | None`` puts X first)."""
    details: list[dict[str, str]] = []
    for error in exc.errors(include_url=False):
        message = error["msg"]
        if error["type"] in ("literal_error", "enum") and isinstance(error.get("input"), str | int | float):
            message += f", got {error['input']!r}"  # name the unknown value, not only its position
        field = _field(error["loc"])
        if error["loc"] != tuple(field.split(".")) and any(d["field"] == field for d in details):
            continue
        details.append({"field": field, "message": message})
    return details


def parse_model(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = validation_details(exc)
        first = details[0]
        raise ValidationFailed(f"{first['field']}: {first['message']}", details=details) from None


def parse_query(model: type[M], query: Mapping[str, str]) -> M:
    """Query strings arrive as text; repeated parameters are refused rather than silently picking one."""
    data: dict[str, str] = {}
    for key in query:
        values = query.getall(key) if hasattr(query, "getall") else [query[key]]
        if len(values) > 1:
            raise ValidationFailed(f"{key}: given more than once", details=[{"field": key, "message": "repeated"}])
        data[key] = values[0]
    return parse_model(model, data)
