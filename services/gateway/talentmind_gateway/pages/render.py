"""Rendering a report page: the Jinja2 environment (autoescape on, so whatever people said shows as text), the
Russian and English strings, and the headers every page carries."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from talentmind import culture
from talentmind.scoring.report import risk_phrase

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
LANGUAGES = ("ru", "en")

# No script at all, styles only from the gateway's own stylesheet, nothing from another host, no framing; the
# page leaks neither its token (Referrer-Policy) nor its contents to shared caches (Cache-Control: private).
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-store",
    "X-Frame-Options": "DENY",
}


@cache
def strings(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((HERE / "strings" / f"{language}.json").read_text(encoding="utf-8"))
    return data


def page_language(requested: str | None, default: str | None) -> str:
    """``?lang=`` when it is one we have, else the organisation's language, else English."""
    for candidate in (requested, default):
        if candidate and candidate.lower()[:2] in LANGUAGES:
            return candidate.lower()[:2]
    return "en"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return (
        f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
        if whole >= 3600
        else f"{whole // 60}:{whole % 60:02d}"
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = _clock
    env.filters["percent"] = _percent
    return env


def render(template: str, language: str, status: int = 200, **context: Any) -> web.Response:
    text = strings(language)
    html = (
        environment()
        .get_template(template)
        .render(
            lang=language,
            t=text,
            dimension_name=lambda d: culture.describe([d], language)[0],
            red_flag_name=lambda kind: risk_phrase(kind, language),
            **context,
        )
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def forbidden(requested: str | None, configured: bool) -> web.Response:
    """The 403 page: in the language asked for, else in Russian and in English (a refused token names no
    organisation to take a language from)."""
    languages = [page_language(requested, None)] if requested else list(LANGUAGES)
    return render(
        "message.html",
        languages[0],
        403,
        blocks=[strings(code) for code in languages],
        title_key="forbidden_title",
        text_key="forbidden_text",
        note_key=None if configured else "not_configured",
    )


def not_found(language: str) -> web.Response:
    return render(
        "message.html",
        language,
        404,
        blocks=[strings(language)],
        title_key="not_found_title",
        text_key="not_found_text",
        note_key=None,
    )
