"""GET /health: 200 once the API can serve requests (scripts wait for it)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.errors import json_response
from chalicelib.bootstrap import container

health_routes = Blueprint(__name__)


@health_routes.route("/health", methods=["GET"])
def health() -> Response:
    container()  # builds the adapters once: a failing configuration shows here, not on the first reading
    return json_response(200, {"status": "ok"})
