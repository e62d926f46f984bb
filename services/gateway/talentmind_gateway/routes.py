"""The gateway's route table: paths to views, nothing else."""

from __future__ import annotations

from aiohttp import web

from talentmind_gateway.views import interviews


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/v1/interviews", interviews.list_view)
    app.router.add_get("/v1/interviews/{id}", interviews.get_view)
