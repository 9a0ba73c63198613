"""Plays EventBridge Scheduler for one-time schedules: moto stores schedules but never runs them.

fire_due(now) looks at every schedule, and for each enabled `at(...)` schedule whose time has come
calls the handler with the target's Input as the event (as the scheduler invokes a function), then
deletes the schedule (ActionAfterCompletion=DELETE; one without it is remembered as fired, so it
never fires twice). A handler that raises is logged and tried again on the next tick, up to
MAX_TRIES; then the schedule is deleted and an error logged. rate()/cron() schedules are left alone.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from local.lambda_context import LocalLambdaContext
from local.sqs_delivery import Handler

MAX_TRIES = 3
TIMEOUT_S = 60.0
AT_FORMAT = "%Y-%m-%dT%H:%M:%S"

logger = logging.getLogger(__name__)


def at_time(expression: str, timezone: str | None) -> datetime | None:
    """The moment of an `at(yyyy-mm-ddThh:mm:ss)` expression in its timezone; None for rate/cron."""
    if not (expression.startswith("at(") and expression.endswith(")")):
        return None
    return datetime.strptime(expression[3:-1], AT_FORMAT).replace(tzinfo=ZoneInfo(timezone or "UTC"))


def function_name(target_arn: str, fallback: str) -> str:
    """arn:aws:lambda:region:account:function:NAME[:qualifier] → NAME."""
    parts = target_arn.split(":")
    return parts[6] if len(parts) > 6 and parts[5] == "function" else fallback


class SchedulerEmulator:
    def __init__(self, scheduler_client: Any, handler: Handler, region: str) -> None:
        self.scheduler = scheduler_client
        self.handler = handler
        self.region = region
        self._failures: dict[tuple[str, str], int] = {}
        self._fired: set[str] = set()  # ARNs of fired schedules that do not delete themselves

    def fire_due(self, now: datetime) -> int:
        """Run every due schedule once; returns how many handler calls succeeded."""
        fired = 0
        for schedule in self._due(now):
            fired += self._fire(schedule)
        return fired

    def _summaries(self) -> list[dict[str, Any]]:
        summaries: list[dict[str, Any]] = []
        for page in self.scheduler.get_paginator("list_schedules").paginate(State="ENABLED"):
            summaries.extend(page.get("Schedules", []))
        return summaries

    def _due(self, now: datetime) -> list[dict[str, Any]]:
        due: list[tuple[datetime, dict[str, Any]]] = []
        for summary in self._summaries():
            if summary.get("Arn") in self._fired:
                continue
            try:
                schedule = self.scheduler.get_schedule(Name=summary["Name"], GroupName=summary["GroupName"])
            except ClientError:  # deleted (cancelled) since it was listed
                continue
            moment = at_time(schedule["ScheduleExpression"], schedule.get("ScheduleExpressionTimezone"))
            if moment is not None and moment <= now:
                due.append((moment, schedule))
        return [schedule for _, schedule in sorted(due, key=lambda item: (item[0], item[1]["Name"]))]

    def _fire(self, schedule: dict[str, Any]) -> int:
        key = (str(schedule["GroupName"]), str(schedule["Name"]))
        target = schedule["Target"]
        context = LocalLambdaContext(function_name(target["Arn"], key[1]), TIMEOUT_S, self.region)
        try:
            self.handler(json.loads(target.get("Input") or "{}"), context)
        except Exception:
            if self._tries_left(key):
                return 0
            self._complete(schedule)
            return 0
        self._failures.pop(key, None)
        self._complete(schedule)
        return 1

    def _tries_left(self, key: tuple[str, str]) -> bool:
        """Count a failed try (called while handling the exception); False once MAX_TRIES have failed."""
        tries = self._failures.get(key, 0) + 1
        if tries < MAX_TRIES:
            self._failures[key] = tries
            logger.exception("schedule %s/%s failed (try %d of %d)", *key, tries, MAX_TRIES)
            return True
        self._failures.pop(key, None)
        logger.error("schedule %s/%s failed %d times: dropped", *key, tries, exc_info=True)
        return False

    def _complete(self, schedule: dict[str, Any]) -> None:
        if schedule.get("ActionAfterCompletion") != "DELETE":
            self._fired.add(str(schedule["Arn"]))
            return
        try:
            self.scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
