"""The embedded stack in one process: moto, resources, seed data, the API and the event runner.

    stack = LocalStack(api_port=8000, moto_port=4566)
    stack.start()      # returns once GET /health answers 200
    ...
    stack.stop()       # stops every thread it started; nothing is left running

The environment is set (local/environment.py) before app.py and chalicelib are first imported.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
from typing import Any

from local.api_client import ApiClient
from local.aws import HOST, EmbeddedAws, ensure_free
from local.environment import REGION, apply_environment, stack_environment
from local.issuer import DevIssuer
from local.paths import REPO_ROOT, issuer_url, remove_stack_description, write_stack_description

HEALTH_TIMEOUT_S = 60.0
logger = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _quiet_handler_class() -> type:
    from chalice.local import ChaliceRequestHandler

    class QuietRequestHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

    return QuietRequestHandler


class LocalStack:
    def __init__(self, api_port: int = 8000, moto_port: int = 4566, access_log: bool = True) -> None:
        self.api_port = api_port or free_port()
        self.aws = EmbeddedAws(moto_port)
        self.issuer = DevIssuer(issuer_url(self.api_port))
        self.access_log = access_log
        self.api = ApiClient(f"http://{HOST}:{self.api_port}")
        self._server: Any = None
        self._server_thread: threading.Thread | None = None
        self._runner: Any = None
        self.models: list[str] = []
        self.notifications: Any = None  # local.notification_capture.NotificationCapture, once started
        self.city_systems: Any = None  # local.city_systems.CitySystems: webhook receivers, once started

    @property
    def api_url(self) -> str:
        return self.api.base_url

    def start(self) -> None:
        started = time.monotonic()
        ensure_free(self.api_port, "PORT")
        endpoint = self.aws.start()
        apply_environment(stack_environment(endpoint, self.issuer.jwks_url, self.issuer.issuer))
        from chalicelib.settings import current_settings
        from local.runner import LocalRunner
        from local.seed import publish_models, seed

        settings = current_settings()
        self.aws.create_resources(settings)
        from chalicelib.bootstrap import container
        from local.city_systems import TARGETS, CitySystems

        self.city_systems = CitySystems(lambda target: container().keyring.derive(f"webhook:{target}"))
        self.city_systems.start()
        seed(settings, {target: self.city_systems.url_for(target) for target in TARGETS})
        self.models = publish_models(settings)
        from local.notification_capture import NotificationCapture
        from local.seed import AGENCIES

        sns, sqs = self.aws.client("sns", REGION), self.aws.client("sqs", REGION)
        self.notifications = NotificationCapture(sns, sqs, settings, AGENCIES)
        if not self.models:
            logger.warning("no camera models are prepared: run `make models` for camera analytics")
        self._start_api()
        self._runner = LocalRunner.from_resources(
            settings, self.aws.client("sqs", REGION), self.aws.client("scheduler", REGION)
        )
        self._runner.start()
        if not self.api.wait_until_healthy(HEALTH_TIMEOUT_S):
            raise RuntimeError(
                f"the API at {self.api_url} did not answer GET /health within {HEALTH_TIMEOUT_S:g} s"
            )
        write_stack_description(self.description())
        logger.info("local stack ready in %.1f s", time.monotonic() - started)

    def _start_api(self) -> None:
        from chalice.cli.factory import CLIFactory

        factory = CLIFactory(str(REPO_ROOT))
        config = factory.create_config_obj()
        app_obj = config.chalice_app  # imports app.py, with the environment set above
        self._server = factory.create_local_server(app_obj, config, HOST, self.api_port)
        if not self.access_log:
            self._server.server.RequestHandlerClass = functools.partial(
                _quiet_handler_class(), app_object=app_obj, config=config
            )
        self._server_thread = threading.Thread(
            target=self._server.server.serve_forever, name="api", daemon=True
        )
        self._server_thread.start()

    def description(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "api_url": self.api_url,
            "api_port": self.api_port,
            "graphql_url": f"{self.api_url}/graphql",
            "aws_endpoint_url": self.aws.endpoint_url,
            "moto_port": self.aws.port,
            "region": REGION,
            "issuer": self.issuer.issuer,
            "jwks_url": self.issuer.jwks_url,
        }

    def stop(self) -> None:
        if self._runner is not None:
            self._runner.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server.server_close()
        if self._server_thread is not None:
            self._server_thread.join(5)
        if self.city_systems is not None:
            self.city_systems.stop()
        self.aws.stop()
        remove_stack_description(os.getpid())
