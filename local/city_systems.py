"""A stand-in for the city systems playbooks call (the traffic-signal controller): an HTTP receiver on
127.0.0.1 that checks each webhook's signature with the secret Concord derives for its target, keeps
one delivery per X-Concord-Webhook-Id (exactly once in effect), and lets the demo print them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chalicelib.domain.response.webhooks import verify_webhook
from local.aws import HOST

TARGETS = ("traffic-signals",)


class CitySystems:
    def __init__(self, secret_for: Callable[[str], bytes]) -> None:
        self.secret_for = secret_for
        self.deliveries: dict[str, dict[str, Any]] = {}  # by webhook id
        self.attempts = 0
        self._unread: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="city-systems", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def url_for(self, target: str) -> str:
        return f"{self.base_url}/{target}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def drain(self) -> list[dict[str, Any]]:
        with self._lock:
            unread, self._unread = self._unread, []
        return unread

    def receive(self, target: str, headers: Any, body: bytes) -> int:
        with self._lock:
            self.attempts += 1
        if target not in TARGETS:
            return 404
        if not verify_webhook(
            self.secret_for(target), headers.get("X-Concord-Signature", ""), body, time.time()
        ):
            return 401
        delivery_id = headers.get("X-Concord-Webhook-Id", "")
        with self._lock:
            if delivery_id not in self.deliveries:  # a retry of a delivery already taken changes nothing
                received = {
                    "target": target,
                    "attempt": headers.get("X-Concord-Webhook-Attempt"),
                    **json.loads(body),
                }
                self.deliveries[delivery_id] = received
                self._unread.append(received)
        return 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        systems = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = systems.receive(self.path.strip("/"), self.headers, body)
                self.send_response(status)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
