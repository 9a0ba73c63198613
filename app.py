"""The Concord API: device ingest, camera uploads, health and GraphQL, on Chalice."""

from __future__ import annotations

from collections.abc import Callable

from chalice.app import Chalice, Request, Response

from chalicelib.api.errors import json_response
from chalicelib.api.health import health_routes
from chalicelib.api.readings import readings_routes
from chalicelib.api.uploads import upload_routes
from chalicelib.bootstrap import container
from chalicelib.observability import logger, publish_metrics, tracer

app = Chalice(app_name="concord")
app.register_blueprint(health_routes)
app.register_blueprint(readings_routes)
app.register_blueprint(upload_routes)


@app.middleware("http")
def observe(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Correlation id on every log line, EMF metrics flushed per request, an X-Ray segment, no bare 500."""
    logger.set_correlation_id(event.context.get("requestId"))
    with tracer.provider.in_subsegment(f"## {event.method} {event.context.get('resourcePath', '')}"):
        try:
            response = get_response(event)
        except Exception:
            logger.exception("unhandled error")
            response = json_response(
                500, {"code": "INTERNAL", "message": "internal error; it has been logged"}
            )
    publish_metrics()
    return response


@app.route("/graphql", methods=["GET", "POST"], content_types=["application/json", "text/plain"])
def graphql() -> Response:
    from chalicelib.gql.view import graphql_response  # Strawberry is imported on first GraphQL use only

    request = app.current_request
    assert request is not None  # Chalice sets it for every routed request
    return graphql_response(request, container())
