"""Run one playbook action, idempotently by its action id: at-least-once delivery, once in effect.

- create_task: the task id derives from the action (a second run finds it exists);
- draft_public_notice: an OPERATIONAL note on the incident with a derived id, for the public
  information officers to edit and publish;
- notify and webhook: skipped once the action log says done; a crash between sending and logging
  sends again with the same notification ids / delivery id, which receivers deduplicate;
- escalate_if_unacknowledged: a one-time timer named after the action (scheduling it twice keeps one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.access import SharingRepository
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict
from chalicelib.domain.incidents import MAX_NOTE_LENGTH, Incident, IncidentRepository, Note, NoteRepository
from chalicelib.domain.response.actions import ActionMessage, summary_at
from chalicelib.domain.response.playbooks import render, resolve_agency
from chalicelib.domain.response.ports import ActionLog, Deliveries, Notifier, TaskRepository, Timers
from chalicelib.domain.response.webhooks import WebhookDelivery
from chalicelib.services.response.manage_tasks import NewTask, TaskDependencies, create_task
from chalicelib.services.response.notify_agencies import Recipient, notifications_for


@dataclass(frozen=True)
class ResponseDependencies:
    incidents: IncidentRepository
    tasks: TaskRepository
    notes: NoteRepository
    sharing: SharingRepository
    task_deps: TaskDependencies
    notifier: Notifier
    timers: Timers
    webhooks: Deliveries
    log: ActionLog
    deep_link_base: str


def run_action(message: ActionMessage, deps: ResponseDependencies, now: datetime) -> str:
    incident = deps.incidents.get(message.incident_id)
    if incident is None:
        return "skipped: the incident is gone"
    kind = message.action["type"]
    if kind in ("notify", "webhook") and deps.log.is_done(message.action_id):
        return "already done"
    outcome = RUNNERS[kind](message, incident, deps, now)
    if kind in ("notify", "webhook"):
        deps.log.mark_done(message.action_id, now)
    return outcome


def _notify(message: ActionMessage, incident: Incident, deps: ResponseDependencies, now: datetime) -> str:
    action = message.action
    agencies = [resolve_agency(agency, incident) for agency in action["agencies"]]
    recipients = [Recipient(agency, role) for agency in dict.fromkeys(agencies) for role in action["roles"]]
    reason = f"playbook {message.playbook}: {render(action.get('message', '{title}'), incident)}"
    sent = notifications_for(
        incident, recipients, reason, message.action_id, deps.deep_link_base, (deps.sharing, deps.tasks), now
    )
    for notification in sent:
        deps.notifier.publish(notification)
    return f"notified {len(sent)} of {len(recipients)} recipients"


def _create_task(
    message: ActionMessage, incident: Incident, deps: ResponseDependencies, now: datetime
) -> str:
    action = message.action
    command = NewTask(
        incident_id=incident.incident_id,
        agency=resolve_agency(action["agency"], incident),
        title=render(action["template"], incident)[:200],
        sla_minutes=int(action["sla_minutes"]),
        depends_on=tuple(message.task_ids[d] for d in action.get("depends_on", [])),
        task_id=message.task_ids[action["id"]],
    )
    try:
        create_task(command, f"playbook:{message.playbook}/{action['id']}", deps.task_deps, now)
    except Conflict:
        return "task already created"
    return f"task {command.task_id} created"


def _draft_notice(
    message: ActionMessage, incident: Incident, deps: ResponseDependencies, now: datetime
) -> str:
    action = message.action
    text = f"[Draft public notice] {render(action['headline'], incident)}: {render(action['template'], incident)}"
    note_id = "note_" + hashlib.sha256(message.action_id.encode()).hexdigest()[:24]
    note = Note(
        note_id,
        incident.incident_id,
        f"playbook:{message.playbook}",
        incident.owner_agency,
        text[:MAX_NOTE_LENGTH],
        AccessLevel.OPERATIONAL,
        now,
    )
    try:
        deps.notes.add(note)
    except Conflict:
        return "draft already written"
    return "draft written"


def _webhook(message: ActionMessage, incident: Incident, deps: ResponseDependencies, now: datetime) -> str:
    action = message.action
    payload = {"incident": summary_at(incident, AccessLevel.SUMMARY), "playbook": message.playbook}
    deps.webhooks.send(
        WebhookDelivery(message.action_id, action["target"], action["url"], action["event"], payload), 0
    )
    return f"webhook to {action['target']} queued"


def _escalate(message: ActionMessage, incident: Incident, deps: ResponseDependencies, now: datetime) -> str:
    action = message.action
    payload = {
        "kind": "escalation",
        "task_id": message.task_ids[action["task"]],
        "incident_id": incident.incident_id,
        "level": 0,
        "levels": action["levels"],
        "after_minutes": action["after_minutes"],
        "action_id": message.action_id,
        "playbook": message.playbook,
    }
    at = now + timedelta(minutes=int(action["after_minutes"]))
    deps.timers.schedule(f"esc-{message.action_id}-0", at, payload)
    return f"escalation timer at {at.isoformat()}"


RUNNERS = {
    "notify": _notify,
    "create_task": _create_task,
    "draft_public_notice": _draft_notice,
    "webhook": _webhook,
    "escalate_if_unacknowledged": _escalate,
}
