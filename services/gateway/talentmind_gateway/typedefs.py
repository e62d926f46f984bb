"""Typed keys for values the gateway keeps on the app and on requests."""

from __future__ import annotations

from aiohttp import web
from talentmind.db.organizations import Organization

ORG = web.RequestKey("org", Organization)
