"""From a qualified incident to coordinated action, with in-memory adapters: the playbook fires in the
incident's own write (outbox), the relay queues its actions, each action runs once in effect, tasks
are sequenced, notifications respect each receiver's level, escalation timers fire and stop."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.memory.queues import MemoryActionQueue
from chalicelib.bootstrap import build_memory_container
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.tasks import TaskStatus
from chalicelib.playbooks import shipped_playbooks
from chalicelib.services.incidents.correlate_event import correlate_event
from chalicelib.services.response.escalate_task import escalate
from chalicelib.services.response.manage_tasks import change_status
from chalicelib.services.response.relay_outbox import relay_outbox
from chalicelib.services.response.run_action import run_action

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def city():
    container = build_memory_container(
        routing={"flood": "utilities", "odour": "sanitation", "carWrongDirection": "police"}
    )
    for playbook in shipped_playbooks():
        container.playbooks.repository.save(playbook, None)
    response = container.response
    return container, response


def event(sub_category: str, severity: Severity, source: str = "gauge-1", minutes: int = 0) -> DetectionEvent:
    return DetectionEvent(
        f"evt-{sub_category}-{source}-{minutes}", source, sub_category, severity, 0.9, 200.0, 51.5072, -0.1276,
        NOW + timedelta(minutes=minutes), "threshold", f"{sub_category} reading", {},
    )  # fmt: skip


def fire(container, *events) -> list:
    outcomes = [
        correlate_event(e, "utilities", container.incidents, container.routing, container.playbooks.index())
        for e in events
    ]
    queue = MemoryActionQueue()
    relay_outbox(container.outbox, queue)
    return outcomes, queue.messages


def test_given_a_high_flood_then_the_playbook_fires_once_in_the_incidents_own_write(city):
    container, _ = city
    low, high, again = (
        event("flood", Severity.LOW),
        event("flood", Severity.HIGH, minutes=1),
        event("flood", Severity.CRITICAL, minutes=2),
    )

    outcomes, messages = fire(container, low, high, again)

    assert [o.fired for o in outcomes] == [(), ("flood-level",), ()]
    incident = container.incidents.get(outcomes[0].incident_id)
    assert incident.fired_playbooks == ("flood-level@1",)
    assert [m.action["id"] for m in messages] == [
        "notify-responders",
        "deploy-barriers",
        "stand-by-evacuation",
    ]
    assert container.outbox.pending() == []  # relayed


def test_given_the_flood_actions_run_twice_then_tasks_are_sequenced_and_created_once(city):
    container, response = city
    outcomes, messages = fire(container, event("flood", Severity.HIGH))
    for message in messages + messages:  # at-least-once delivery: everything twice
        run_action(message, response, NOW)

    incident = container.incidents.get(outcomes[0].incident_id)
    tasks = container.tasks.get_many(incident.task_ids)
    barriers, standby = sorted(tasks.values(), key=lambda t: t.agency, reverse=True)
    assert (barriers.agency, barriers.title, barriers.due_at) == (
        "utilities",
        "Deploy flood barriers",
        NOW + timedelta(minutes=30),
    )
    assert standby.depends_on == (barriers.task_id,)
    assert len(incident.task_ids) == 2
    emergency = Principal("em-op", "emergency", frozenset({Role.OPERATOR}))
    from chalicelib.services.response.manage_tasks import TaskDependencies

    deps = TaskDependencies(container.tasks, container.incidents, container.notes, container.media)
    with pytest.raises(Exception) as blocked:
        change_status(standby.task_id, TaskStatus.EN_ROUTE, 1, None, emergency, deps, NOW)
    assert getattr(blocked.value, "code", "") == "TASK_BLOCKED"


def test_given_notify_then_each_receiver_gets_its_own_level_and_never_more(city):
    container, response = city
    _, messages = fire(container, event("flood", Severity.HIGH))
    notify = next(m for m in messages if m.action["type"] == "notify")

    run_action(notify, response, NOW)
    run_action(notify, response, NOW)  # redelivered: the action log says done

    sent = response.notifier.published
    assert sorted((n.agency, n.role, n.level) for n in sent) == [
        ("emergency", "operator", "PUBLIC"),
        ("emergency", "supervisor", "PUBLIC"),
        ("utilities", "operator", "OPERATIONAL"),
        ("utilities", "supervisor", "RESTRICTED"),
    ]
    public = next(n for n in sent if n.agency == "emergency")
    assert "title" not in public.summary and "location" not in public.summary
    assert public.summary["subCategory"] == "flood"
    owner = next(n for n in sent if n.agency == "utilities" and n.role == "operator")
    assert owner.summary["location"] == {"lat": 51.5072, "lon": -0.1276}
    assert owner.deep_link.endswith(f"/incidents/{owner.incident_id}")
    assert len({n.notification_id for n in sent}) == 4


def test_given_an_unacknowledged_task_then_escalation_climbs_the_levels_and_stops_once_acknowledged(city):
    container, response = city
    _, messages = fire(container, event("odour", Severity.HIGH, source="h2s-1"))
    for message in messages:
        run_action(message, response, NOW)
    [timer] = response.timers.due(NOW + timedelta(minutes=15))

    escalate(timer.payload, response, timer.at)

    supervisors = response.notifier.to_agency("sanitation", "supervisor")
    assert len(supervisors) == 1 and "escalation 1/2" in supervisors[0].reason
    [second] = response.timers.due(NOW + timedelta(minutes=30))
    assert second.payload["level"] == 1
    task = container.tasks.get(timer.payload["task_id"])
    crew = Principal("san-op", "sanitation", frozenset({Role.OPERATOR}))
    from chalicelib.services.response.manage_tasks import TaskDependencies

    deps = TaskDependencies(container.tasks, container.incidents, container.notes, container.media)
    change_status(task.task_id, TaskStatus.ACKNOWLEDGED, task.version, None, crew, deps, NOW)
    assert escalate(second.payload, response, second.at).startswith("task is acknowledged")
    assert response.notifier.to_agency("sanitation", "admin") == []


def test_given_a_wrong_way_vehicle_then_a_signed_webhook_delivery_is_queued_once(city):
    container, response = city
    wrong_way = replace(event("carWrongDirection", Severity.HIGH, source="cam-1"), details={"zone": "lane"})
    _, messages = fire(container, wrong_way)
    webhook = next(m for m in messages if m.action["type"] == "webhook")

    run_action(webhook, response, NOW)
    run_action(webhook, response, NOW)

    [(delivery, delay)] = response.webhooks.sent
    assert (delivery.delivery_id, delivery.target, delay) == (webhook.action_id, "traffic-signals", 0)
    assert delivery.payload["incident"]["subCategory"] == "carWrongDirection"
    assert "location" not in delivery.payload["incident"]  # city systems get SUMMARY, not more


def test_given_an_air_pollution_incident_from_two_sources_then_a_notice_draft_is_written_for_the_owner(city):
    container, response = city
    container.routing.owners["airPollution"] = "environment"  # type: ignore[attr-defined]
    a = replace(event("airPollution", Severity.HIGH, source="aq-1"))
    b = replace(event("airPollution", Severity.HIGH, source="aq-2", minutes=1))
    outcomes, messages = fire(container, a, b)
    assert [o.fired for o in outcomes] == [(), ("air-pollution",)]  # min_sources 2
    for message in messages:
        run_action(message, response, NOW)
    notes = container.notes.notes_of(outcomes[0].incident_id)
    assert [n.text.split(":")[0] for n in notes] == [
        "[Draft public notice] Poor air quality near "
        + container.incidents.get(outcomes[0].incident_id).h3_cell
    ]
