"""An escalation timer fired: if the task is still unacknowledged, notify this level's roles of the
task's agency and arm the next level; once the task is acknowledged (or closed) nothing happens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.response.tasks import TaskStatus
from chalicelib.services.response.notify_agencies import Recipient, notifications_for
from chalicelib.services.response.run_action import ResponseDependencies


def escalate(payload: dict[str, Any], deps: ResponseDependencies, now: datetime) -> str:
    task = deps.tasks.get(str(payload["task_id"]))
    if task is None:
        return "no such task (yet): nothing to escalate"
    if task.status is not TaskStatus.OPEN:
        return f"task is {task.status}: no escalation"
    incident = deps.incidents.get(task.incident_id)
    if incident is None:
        return "the incident is gone"
    level = int(payload["level"])
    levels: list[list[str]] = payload["levels"]
    minutes = int(payload["after_minutes"]) * (level + 1)
    reason = f"escalation {level + 1}/{len(levels)}: task {task.task_id} ({task.title}) unacknowledged for {minutes} min"
    recipients = [Recipient(task.agency, role) for role in levels[level]]
    key = f"{payload['action_id']}|level{level}"
    sent = notifications_for(
        incident, recipients, reason, key, deps.deep_link_base, (deps.sharing, deps.tasks), now
    )
    for notification in sent:
        deps.notifier.publish(notification)
    if level + 1 < len(levels):
        following = {**payload, "level": level + 1}
        at = now + timedelta(minutes=int(payload["after_minutes"]))
        deps.timers.schedule(f"esc-{payload['action_id']}-{level + 1}", at, following)
    return f"escalated to level {level + 1}: {len(sent)} notified"
