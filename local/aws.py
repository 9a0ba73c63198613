"""The embedded AWS: moto in server mode on 127.0.0.1, with Concord's resources created in it.

moto keeps its state in this process; boto3 clients (here, in the API and in the handlers) reach it
over HTTP through AWS_ENDPOINT_URL. moto runs no Lambda code: local/runner.py does that.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from chalicelib.settings import Settings

HOST = "127.0.0.1"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


def ensure_free(port: int, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((HOST, port))
        except OSError:
            raise OSError(f"port {port} on {HOST} is in use (set {variable} to another port, or 0)") from None


class EmbeddedAws:
    """moto's server on a thread; `port=0` picks a free port."""

    def __init__(self, port: int = 0) -> None:
        self._server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
        self.port = port
        self._started = False

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> str:
        if self.port:
            ensure_free(
                self.port, "MOTO_PORT"
            )  # moto binds on its own thread: a busy port would hang start()
        self._server.start()
        self._started = True
        self.port = self._server.get_host_and_port()[1]
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per AWS call is noise
        return self.endpoint_url

    def stop(self) -> None:
        if self._started:
            self._server.stop()
            self._started = False

    def session(self, region: str) -> Any:
        return boto3.session.Session(
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=region,
        )

    def client(self, service: str, region: str) -> Any:
        return self.session(region).client(service, endpoint_url=self.endpoint_url)

    def create_resources(self, settings: Settings) -> None:
        """Every table, queue (with its DLQ), bucket (with its notifications) and secret of resources.json."""
        from local.resources import create_resources

        clients = {
            service: self.client(service, settings.region)
            for service in ("dynamodb", "sqs", "s3", "sns", "secretsmanager")
        }
        create_resources(clients, settings)
