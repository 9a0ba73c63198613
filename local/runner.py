"""The local event runner: plays the part of Lambda's event source mappings and EventBridge schedules.

Driven by chalicelib/resources.json: one thread per queue that names a handler (polling the queue in
the embedded AWS, see sqs_delivery.py) and one thread per schedule (calling its handler every
`every_s` seconds with a "Scheduled Event"). Everything stops within about a second of stop().
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from chalicelib.resources import resources
from chalicelib.settings import Settings
from local.lambda_context import LocalLambdaContext
from local.lambda_events import scheduled_event
from local.scheduler_emulator import SchedulerEmulator
from local.sqs_delivery import Handler, QueueBinding, deliver_batch

ERROR_PAUSE_S = 1.0
TIMER_TICK_S = 1.0
SCHEDULE_TIMEOUT_S = 60.0

logger = logging.getLogger(__name__)


def load_handler(path: str) -> Handler:
    """The `lambda_handler` of a handler file given by path: functions/x/handler.py → functions.x.handler."""
    module_name = ".".join(PurePosixPath(path).with_suffix("").parts)
    handler: Handler = importlib.import_module(module_name).lambda_handler
    return handler


@dataclass(frozen=True)
class ScheduleBinding:
    name: str
    every_s: float
    function_name: str
    handler: Handler


def queue_bindings(settings: Settings, sqs: Any, spec: dict[str, Any] | None = None) -> list[QueueBinding]:
    """A binding for every queue of resources.json that has a handler."""
    bindings = []
    for name, queue in (spec or resources())["queues"].items():
        if not queue.get("handler"):
            continue
        url = sqs.get_queue_url(QueueName=settings.name(name))["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        bindings.append(
            QueueBinding(
                name=name,
                url=url,
                arn=arn,
                batch_size=int(queue.get("batch_size", 10)),
                timeout_s=float(queue.get("visibility_timeout_s", 30)),
                function_name=settings.name(name),
                handler=load_handler(queue["handler"]),
            )
        )
    return bindings


def schedule_bindings(settings: Settings, spec: dict[str, Any] | None = None) -> list[ScheduleBinding]:
    """Every schedule of resources.json; `local_every_s` (when given) is its period on the local stack."""
    return [
        ScheduleBinding(
            name,
            float(schedule.get("local_every_s", schedule["every_s"])),
            settings.name(name),
            load_handler(schedule["handler"]),
        )
        for name, schedule in (spec or resources()).get("schedules", {}).items()
    ]


class LocalRunner:
    """Runs queue pollers and schedules on daemon threads until stop()."""

    def __init__(
        self,
        region: str,
        sqs: Any,
        queues: list[QueueBinding],
        schedules: list[ScheduleBinding],
        timers: SchedulerEmulator | None = None,
    ) -> None:
        self.region = region
        self.sqs = sqs
        self.queues = queues
        self.schedules = schedules
        self.timers = timers
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []

    @classmethod
    def from_resources(cls, settings: Settings, sqs: Any, scheduler: Any = None) -> LocalRunner:
        """`scheduler`: an EventBridge Scheduler client; its one-time schedules fire the timers handler."""
        timers_spec = resources().get("timers")
        timers = None
        if scheduler is not None and timers_spec:
            timers = SchedulerEmulator(scheduler, load_handler(timers_spec["handler"]), settings.region)
        return cls(settings.region, sqs, queue_bindings(settings, sqs), schedule_bindings(settings), timers)

    def start(self) -> None:
        for queue in self.queues:
            self._spawn(f"queue-{queue.name}", self._poll, queue)
        for schedule in self.schedules:
            self._spawn(f"schedule-{schedule.name}", self._tick, schedule)
        if self.timers is not None:
            self._spawn("timers", self._fire_timers, self.timers)

    def stop(self, timeout_s: float = 10.0) -> None:
        self.stop_event.set()
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        if self._threads:
            logger.warning("still running after stop: %s", ", ".join(t.name for t in self._threads))

    def _spawn(self, name: str, target: Any, binding: Any) -> None:
        thread = threading.Thread(target=target, args=(binding,), name=f"runner-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _poll(self, binding: QueueBinding) -> None:
        while not self.stop_event.is_set():
            try:
                deliver_batch(self.sqs, binding, self.region)
            except Exception:  # the embedded AWS went away or hiccuped: keep polling, gently
                if self.stop_event.is_set():
                    return
                logger.exception("polling %s failed", binding.name)
                self.stop_event.wait(ERROR_PAUSE_S)

    def _fire_timers(self, timers: SchedulerEmulator) -> None:
        while not self.stop_event.wait(TIMER_TICK_S):
            try:
                timers.fire_due(datetime.now(UTC))
            except Exception:
                logger.exception("firing one-time schedules failed")

    def _tick(self, binding: ScheduleBinding) -> None:
        while not self.stop_event.wait(binding.every_s):
            context = LocalLambdaContext(binding.function_name, SCHEDULE_TIMEOUT_S, self.region)
            try:
                binding.handler(scheduled_event(binding.function_name, self.region), context)
            except Exception:
                logger.exception("scheduled %s failed", binding.name)
