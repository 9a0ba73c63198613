"""`python -m local.demo`: the embedded stack, simulated sensors and a guided tour, in one command.

It starts everything `python -m local.serve` starts, registers the simulated sensors and cameras, prints
how to query the API yourself, then watches GraphQL and prints incidents as they appear. Ctrl-C stops it;
DEMO_SECONDS=N stops it by itself after N seconds (CI smoke checks).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

from chalicelib.domain.principal import Role
from local.api_client import GraphQLFailed
from local.camera_frames import ASTRONAUT
from local.camera_simulator import CameraSimulator
from local.serve import print_urls, run_stack
from local.simulator import Simulator
from local.stack import LocalStack

POLL_S = 2.0
WATCHED_AGENCIES = ("environment", "sanitation", "utilities", "transport", "emergency", "police")
INCIDENTS_QUERY = (
    "{ incidents(first: 20) { edges { node { id title subCategory severity confidence eventCount } } } }"
)


def print_walkthrough(stack: LocalStack, token: str) -> None:
    body = json.dumps({"query": INCIDENTS_QUERY})
    print()
    print("A dev token (operator of environment, valid 1 h):")
    print(f"  TOKEN={token}")
    print("Incidents of environment, from your shell:")
    print(f'  curl -s {stack.api_url}/graphql -H "Authorization: Bearer $TOKEN" \\')
    print(f"       -H 'Content-Type: application/json' -d '{body}'")
    print(f'In GraphiQL ({stack.api_url}/graphql), header {{"Authorization": "Bearer <TOKEN>"}} and:')
    print(f"  {INCIDENTS_QUERY}")
    print("Sharing: environment shares air pollution with emergency services at SUMMARY (a standing policy):")
    print("  an emergency operator sees those incidents with OPERATIONAL fields null and listed in")
    print("  extensions.redacted; citizens (no token) see the public face of what is not under embargo.")
    print("Cameras: the plaza camera sees a crowd gather (crowdDensity, crowdFormation) and the ring-road")
    print("  camera a car driving the wrong way (carWrongDirection): police incidents beside the sensors'.")
    print("  Faces are blurred in redacted/<same path> of the media bucket; originals stay under uploads/.")
    print("Playbooks (chalicelib/playbooks/) turn incidents into tasks and notifications: each `notify` line")
    print("  below is an SNS message to one role of one agency, summarised at that role's access level.")
    print(
        "\nSimulated sensors report every few seconds; incidents appear below within about 30 s.\n",
        flush=True,
    )


def describe(agency: str, node: dict[str, Any]) -> str:
    return (
        f"{agency:<12} {node['severity']:<13} confidence {node['confidence']:.2f}  "
        f"events {node['eventCount']:<4} {node['title']}"
    )


class IncidentWatch:
    """Prints an incident when it first appears and whenever its severity, confidence or title moves."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.tokens = {
            agency: stack.issuer.mint(agency, [Role.OPERATOR.value]) for agency in WATCHED_AGENCIES
        }
        self.shown: dict[tuple[str, str], tuple[Any, ...]] = {}

    def poll(self) -> None:
        for agency, token in self.tokens.items():
            data = self.stack.api.graphql(INCIDENTS_QUERY, None, token)
            for edge in reversed(data["incidents"]["edges"]):
                node = edge["node"]
                state = (node["severity"], round(node["confidence"], 2), node["title"])
                previous = self.shown.get((agency, node["id"]))
                if previous != state:
                    print(
                        ("new      " if previous is None else "updated  ") + describe(agency, node),
                        flush=True,
                    )
                    self.shown[(agency, node["id"])] = state


def start_cameras(
    stack: LocalStack, stopping: threading.Event
) -> tuple[CameraSimulator | None, threading.Thread]:
    """Register the simulated cameras and start their uploads, when the face model is prepared."""
    if not stack.models or not ASTRONAUT.exists():
        print("cameras  none: run `make models` to see camera incidents", flush=True)
        return None, threading.Thread()
    cameras = CameraSimulator(stack.api, stack.issuer)
    for camera in cameras.register():
        print(f"camera   {camera.device_id:<22} {'camera':<12} {camera.spec.agency}", flush=True)
    thread = threading.Thread(target=cameras.run, args=(stopping,), name="cameras", daemon=True)
    thread.start()
    return cameras, thread


def print_notifications(stack: LocalStack) -> None:
    """What the playbooks' notify actions published on the agencies' SNS topics since the last poll, and
    the webhooks the city systems' stand-in received (signature checked)."""
    for note in stack.notifications.drain() if stack.notifications else []:
        who = f"{note.get('agency')}/{note.get('role')}"
        print(f"notify   {who:<24} {note.get('level', ''):<12} {note.get('subject', '')}", flush=True)
    for hook in stack.city_systems.drain() if stack.city_systems else []:
        incident = hook.get("payload", {}).get("incident", {})
        what = f"{hook.get('event')} {incident.get('subCategory', '')} {incident.get('id', '')}"
        print(
            f"webhook  {hook['target']:<24} {'signed':<12} {what} (attempt {hook.get('attempt')})", flush=True
        )


def run_demo(stack: LocalStack, stopping: threading.Event) -> None:
    print_urls(stack)
    simulator = Simulator(stack.api, stack.issuer)
    for sensor in simulator.register():
        print(f"sensor   {sensor.device_id:<22} {sensor.spec.kind:<12} {sensor.spec.agency}", flush=True)
    cameras, camera_thread = start_cameras(stack, stopping)
    print_walkthrough(stack, stack.issuer.mint("environment", [Role.OPERATOR.value], subject="demo-operator"))
    sensors = threading.Thread(target=simulator.run, args=(stopping,), name="simulator", daemon=True)
    sensors.start()
    watch = IncidentWatch(stack)
    limit_s = float(os.environ.get("DEMO_SECONDS") or "inf")
    started = time.monotonic()
    while not stopping.wait(POLL_S) and time.monotonic() - started < limit_s:
        try:
            watch.poll()
        except GraphQLFailed as error:
            print(f"GraphQL refused the incidents query: {error}", file=sys.stderr, flush=True)
        print_notifications(stack)
    stopping.set()
    sensors.join(10)
    print(
        f"\n{simulator.sent} reading batches sent, {simulator.refused} refused, {len({key[1] for key in watch.shown})} incidents seen.",
        flush=True,
    )
    if cameras is not None:
        camera_thread.join(10)
        print(f"{cameras.sent} camera uploads sent, {cameras.refused} refused.", flush=True)


def main() -> int:
    return run_stack(quiet=True, while_running=run_demo)


if __name__ == "__main__":
    sys.exit(main())
