"""The API's own description: ``/v1/openapi.json`` and a human page at ``/docs`` (Swagger UI, served locally from
the swagger-ui-bundle package, so the page works with no internet access)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from talentmind_gateway.typedefs import OPENAPI

SWAGGER_UI_DIR = Path(swagger_ui_path)

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>TalentMind API</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                 persistAuthorization: true});
  </script>
</body>
</html>
"""


async def openapi_view(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI])


async def docs_view(_: web.Request) -> web.Response:
    return web.Response(text=_PAGE, content_type="text/html")
