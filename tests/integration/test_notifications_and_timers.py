"""Notifications on SNS (role filters), escalation timers on EventBridge Scheduler, and the local
stack's pieces that play them (SchedulerEmulator, NotificationCapture), on the emulated AWS."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.adapters.aws.sns_notifier import SnsNotifier
from chalicelib.adapters.aws.timer_scheduler import EventBridgeTimerScheduler, schedule_name
from chalicelib.adapters.memory.notifications import MemoryNotifier
from chalicelib.adapters.memory.timers import MemoryTimerScheduler
from chalicelib.domain.response.notifications import Notification, fit_subject
from local.notification_capture import NotificationCapture
from local.resources import ensure_queue, queue_arn
from local.scheduler_emulator import SchedulerEmulator
from tests.integration.conftest import REGION, EmulatedAws

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:concord-test-timers"
ROLE_ARN = "arn:aws:iam::123456789012:role/concord-test-scheduler"


def notification(role: str, number: int = 1, agency: str = "police") -> Notification:
    return Notification(
        notification_id=f"n-{number}",
        incident_id="inc-1",
        agency=agency,
        role=role,
        subject=f"Incident inc-1 needs a {role}",
        summary={"category": "flooding", "severity": "HIGH"},
        level="SUMMARY",
        deep_link="https://console.example/incidents/inc-1",
        reason="playbook flooding-high",
    )


def notifier(aws: EmulatedAws) -> SnsNotifier:
    return SnsNotifier(aws.client("sns"), lambda agency: aws.settings.name(f"alerts-{agency}"))


def subscribe_queue(aws: EmulatedAws, topic_arn: str, name: str, filter_policy: dict[str, Any] | None) -> str:
    sqs = aws.client("sqs")
    url = ensure_queue(sqs, name, {})
    attributes = {"RawMessageDelivery": "false"}
    if filter_policy:
        attributes["FilterPolicy"] = json.dumps(filter_policy)
    aws.client("sns").subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn(sqs, url), Attributes=attributes
    )
    return url


def envelopes(aws: EmulatedAws, url: str) -> list[dict[str, Any]]:
    response = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(message["Body"]) for message in response.get("Messages", [])]


def test_given_a_supervisor_filter_when_notifying_two_roles_then_only_the_supervisor_one_arrives(
    aws: EmulatedAws,
) -> None:
    sns = notifier(aws)
    topic_arn = sns.topic_arn("police")
    supervisors = subscribe_queue(aws, topic_arn, "supervisors", {"role": ["supervisor"]})
    everyone = subscribe_queue(aws, topic_arn, "everyone", None)

    sns.publish(notification("supervisor", 1))
    sns.publish(notification("crew", 2))

    (received,) = envelopes(aws, supervisors)
    assert json.loads(received["Message"])["notification_id"] == "n-1"
    assert received["Subject"] == "Incident inc-1 needs a supervisor"
    assert received["MessageAttributes"]["incident_id"]["Value"] == "inc-1"
    assert received["MessageAttributes"]["notification_id"]["Value"] == "n-1"
    assert sorted(e["MessageAttributes"]["role"]["Value"] for e in envelopes(aws, everyone)) == [
        "crew",
        "supervisor",
    ]
    assert topic_arn.endswith(":concord-test-alerts-police")


def test_given_notifications_when_captured_locally_then_drain_returns_each_once(aws: EmulatedAws) -> None:
    capture = NotificationCapture(aws.client("sns"), aws.client("sqs"), aws.settings, ["police", "transport"])
    NotificationCapture(aws.client("sns"), aws.client("sqs"), aws.settings, ["police"])  # again: idempotent
    sns = notifier(aws)

    sns.publish(notification("supervisor", 1))
    sns.publish(notification("crew", 2, agency="transport"))
    drained = capture.drain()

    assert sorted((n["agency"], n["role"], n["notification_id"]) for n in drained) == [
        ("police", "supervisor", "n-1"),
        ("transport", "crew", "n-2"),
    ]
    assert drained[0]["summary"] == {"category": "flooding", "severity": "HIGH"}
    assert capture.drain() == []


def test_given_a_long_multiline_title_then_fit_subject_makes_a_valid_subject() -> None:
    subject = fit_subject("Flooding on\nHigh Street " + "x" * 200)

    assert len(subject) == 100 and "\n" not in subject and subject.endswith("…")
    with pytest.raises(ValueError, match="subject"):
        replace(notification("crew"), subject="a\nb")
    with pytest.raises(ValueError, match="subject"):
        replace(notification("crew"), subject="x" * 101)
    with pytest.raises(ValueError, match="access level"):
        replace(notification("crew"), level="SECRET")


def test_given_the_memory_notifier_then_it_records_what_was_published() -> None:
    memory = MemoryNotifier()
    memory.publish(notification("crew", 1))
    memory.publish(notification("supervisor", 2))

    assert [n.notification_id for n in memory.to_agency("police", role="supervisor")] == ["n-2"]


def timers(aws: EmulatedAws) -> EventBridgeTimerScheduler:
    return EventBridgeTimerScheduler(aws.client("scheduler"), FUNCTION_ARN, ROLE_ARN)


def test_given_a_timer_when_scheduled_then_a_one_time_utc_schedule_carries_the_payload(
    aws: EmulatedAws,
) -> None:
    scheduler = aws.client("scheduler")
    at = datetime(2026, 11, 22, 11, 30, tzinfo=timezone(timedelta(hours=1)))

    timers(aws).schedule("escalate:inc-1", at, {"incident_id": "inc-1", "step": 2})
    timers(aws).schedule("escalate:inc-1", at + timedelta(hours=1), {"step": 3})  # exists: kept as it was

    stored = scheduler.get_schedule(Name=schedule_name("escalate:inc-1"), GroupName="default")
    assert stored["ScheduleExpression"] == "at(2026-11-22T10:30:00)"
    assert stored["ScheduleExpressionTimezone"] == "UTC"
    assert stored["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert stored["ActionAfterCompletion"] == "DELETE"
    assert stored["Target"]["Arn"] == FUNCTION_ARN and stored["Target"]["RoleArn"] == ROLE_ARN
    assert json.loads(stored["Target"]["Input"]) == {"incident_id": "inc-1", "step": 2}


def test_given_a_timer_when_cancelled_twice_then_it_is_gone_and_no_error_is_raised(aws: EmulatedAws) -> None:
    timers(aws).schedule("escalate:inc-2", T0, {})

    timers(aws).cancel("escalate:inc-2")
    timers(aws).cancel("escalate:inc-2")

    assert aws.client("scheduler").list_schedules()["Schedules"] == []


def test_given_names_with_other_characters_then_schedule_names_are_valid_distinct_and_stable() -> None:
    names = ["escalate:inc/1", "escalate-inc-1", "escalate:inc:1", "x" * 200]
    cleaned = [schedule_name(name) for name in names]

    assert all(0 < len(name) <= 64 and name.replace("-", "").replace("_", "").isalnum() for name in cleaned)
    assert len(set(cleaned)) == len(names)
    assert cleaned == [schedule_name(name) for name in names]
    assert schedule_name("escalate-inc-1") == "escalate-inc-1"


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.events: list[dict[str, Any]] = []
        self.function_names: list[str] = []

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        self.events.append(event)
        self.function_names.append(context.function_name)
        if len(self.events) <= self.failures:
            raise RuntimeError("incident table unavailable")


def test_given_a_due_and_a_later_timer_when_ticking_then_each_fires_exactly_once_when_due(
    aws: EmulatedAws,
) -> None:
    timers(aws).schedule("escalate:inc-1", T0, {"incident_id": "inc-1"})
    timers(aws).schedule("escalate:inc-2", T0 + timedelta(minutes=10), {"incident_id": "inc-2"})
    handler = Recorder()
    emulator = SchedulerEmulator(aws.client("scheduler"), handler, REGION)

    fired = [emulator.fire_due(T0 + timedelta(seconds=1)), emulator.fire_due(T0 + timedelta(seconds=2))]
    later = emulator.fire_due(T0 + timedelta(minutes=10))

    assert fired == [1, 0] and later == 1
    assert handler.events == [{"incident_id": "inc-1"}, {"incident_id": "inc-2"}]
    assert handler.function_names == ["concord-test-timers"] * 2
    assert aws.client("scheduler").list_schedules()["Schedules"] == []


def test_given_a_handler_that_keeps_failing_then_the_timer_is_tried_three_times_and_dropped(
    aws: EmulatedAws,
) -> None:
    timers(aws).schedule("escalate:inc-3", T0, {"incident_id": "inc-3"})
    handler = Recorder(failures=10)
    emulator = SchedulerEmulator(aws.client("scheduler"), handler, REGION)

    results = [emulator.fire_due(T0 + timedelta(seconds=tick)) for tick in range(5)]

    assert results == [0] * 5 and len(handler.events) == 3
    assert aws.client("scheduler").list_schedules()["Schedules"] == []


def test_given_a_handler_that_fails_once_then_the_next_tick_fires_it(aws: EmulatedAws) -> None:
    timers(aws).schedule("escalate:inc-4", T0, {"incident_id": "inc-4"})
    handler = Recorder(failures=1)
    emulator = SchedulerEmulator(aws.client("scheduler"), handler, REGION)

    results = [emulator.fire_due(T0 + timedelta(seconds=tick)) for tick in range(3)]

    assert results == [0, 1, 0] and len(handler.events) == 2


def test_given_memory_timers_when_due_then_they_come_earliest_first_and_only_once() -> None:
    memory = MemoryTimerScheduler()
    memory.schedule("b", T0 + timedelta(minutes=1), {"n": 2})
    memory.schedule("a", T0, {"n": 1})
    memory.schedule("a", T0 + timedelta(hours=1), {"n": 9})  # exists: kept

    due = memory.due(T0 + timedelta(minutes=1))

    assert [(t.name, t.payload) for t in due] == [("a", {"n": 1}), ("b", {"n": 2})]
    assert memory.due(T0 + timedelta(hours=2)) == []
