"""Simulated sensors around the city centre: registered through GraphQL, then signed readings over HTTP.

    python -m local.simulator        # against the running stack (make serve); Ctrl-C stops it

SIMULATOR_SECONDS bounds a run (default one hour). What the sensors measure is in sensor_script.py.
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.instants import format_instant
from chalicelib.domain.principal import Role
from chalicelib.domain.sensing.metrics import METRICS
from local.api_client import ApiClient, HttpResult, running_api
from local.issuer import DevIssuer, current_issuer_url
from local.sensor_script import SENSORS, SensorSpec, value_of

TICK_S = 3.0
EXPECTED_INTERVAL_S = 15
DEFAULT_DURATION_S = 3600.0
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegisteredSensor:
    spec: SensorSpec
    device_id: str
    secret: str


class Simulator:
    def __init__(
        self,
        api: ApiClient,
        issuer: DevIssuer,
        sensors: tuple[SensorSpec, ...] = SENSORS,
        run_id: str | None = None,
    ) -> None:
        self.api = api
        self.issuer = issuer
        self.sensors = sensors
        self.run_id = run_id or secrets.token_hex(2)  # device ids stay unique when a stack is reused
        self.registered: list[RegisteredSensor] = []
        self.rng = random.Random()
        self.sent = 0
        self.refused = 0

    def register(self) -> list[RegisteredSensor]:
        for spec in self.sensors:
            device_id = f"sim-{self.run_id}-{spec.name}"
            admin = self.issuer.mint(
                spec.agency, [Role.ADMIN.value], subject=f"simulator-admin-{spec.agency}"
            )
            device: dict[str, Any] = {
                "deviceId": device_id,
                "kind": spec.kind,
                "lat": spec.lat,
                "lon": spec.lon,
                "expectedIntervalS": EXPECTED_INTERVAL_S,
                "noiseZone": spec.noise_zone,
            }
            if spec.alarm_levels_cm:
                device["alarmLevelsCm"] = dict(spec.alarm_levels_cm)
            self.registered.append(RegisteredSensor(spec, device_id, self.api.register_device(admin, device)))
        return self.registered

    def readings_of(self, sensor: RegisteredSensor, elapsed_s: float, now: datetime) -> list[dict[str, Any]]:
        return [
            {
                "metric": metric,
                "value": value_of(sensor.spec, metric, elapsed_s, self.rng),
                "unit": METRICS[metric].unit,
                "observed_at": format_instant(now),
            }
            for metric in sensor.spec.metrics
        ]

    def tick(self, elapsed_s: float) -> list[HttpResult]:
        """One round: every sensor sends one signed batch."""
        now = datetime.now(UTC)
        results = []
        for sensor in self.registered:
            result = self.api.send_readings(
                sensor.device_id, sensor.secret, self.readings_of(sensor, elapsed_s, now)
            )
            if result.status == 202:
                self.sent += 1
            else:
                self.refused += 1
                logger.warning("%s: HTTP %s %s", sensor.device_id, result.status, result.body)
            results.append(result)
        return results

    def run(
        self, stop: threading.Event, duration_s: float = DEFAULT_DURATION_S, tick_s: float = TICK_S
    ) -> None:
        """Send readings every `tick_s` until `stop` is set or `duration_s` has passed."""
        run_ticks(self.tick, stop, duration_s, tick_s, "sending readings failed")


def run_ticks(
    tick: Callable[[float], object], stop: threading.Event, duration_s: float, tick_s: float, failure: str
) -> None:
    """Call `tick(elapsed seconds)` every `tick_s` until `stop` is set or `duration_s` has passed; a
    failing tick (the stack went away) is logged as `failure` and the next one tried."""
    started = time.monotonic()
    while not stop.is_set() and (elapsed := time.monotonic() - started) < duration_s:
        try:
            tick(elapsed)
        except Exception:
            logger.exception(failure)
        stop.wait(tick_s)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    api = running_api()
    if not api.is_healthy():
        print(
            f"The local stack is not running at {api.base_url}: start it with `make serve`.", file=sys.stderr
        )
        return 2
    simulator = Simulator(api, DevIssuer(current_issuer_url()))
    for sensor in simulator.register():
        print(f"registered {sensor.device_id} ({sensor.spec.kind}, {sensor.spec.agency})", flush=True)
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    simulator.run(stop, float(os.environ.get("SIMULATOR_SECONDS") or DEFAULT_DURATION_S))
    print(f"sent {simulator.sent} batches, {simulator.refused} refused", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
