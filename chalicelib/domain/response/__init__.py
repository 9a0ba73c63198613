"""Response: playbooks and what they fire, crews' tasks and their lifecycle, notifications, webhooks.

Other contexts import the names below from the package, never from its modules; each is imported
from its module on first use (chalicelib/domain/exports.py), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.exports import lazy_exports

if TYPE_CHECKING:
    from chalicelib.domain.response.outbox import entry_for, fired_key
    from chalicelib.domain.response.playbook_matching import PlaybookIndex, newly_triggered
    from chalicelib.domain.response.playbooks import Playbook
    from chalicelib.domain.response.ports import MutationLog, Outbox, PlaybookRepository, TaskRepository
    from chalicelib.domain.response.tasks import CrewTask, TaskStatus, TimelineEntry

__all__ = [
    "CrewTask",
    "entry_for",
    "fired_key",
    "MutationLog",
    "newly_triggered",
    "Outbox",
    "Playbook",
    "PlaybookIndex",
    "PlaybookRepository",
    "TaskRepository",
    "TaskStatus",
    "TimelineEntry",
]

_HOMES = {
    "entry_for": "outbox",
    "fired_key": "outbox",
    "PlaybookIndex": "playbook_matching",
    "newly_triggered": "playbook_matching",
    "Playbook": "playbooks",
    "MutationLog": "ports",
    "Outbox": "ports",
    "PlaybookRepository": "ports",
    "TaskRepository": "ports",
    "CrewTask": "tasks",
    "TaskStatus": "tasks",
    "TimelineEntry": "tasks",
}

if not TYPE_CHECKING:  # the type checker reads the imports above
    __getattr__ = lazy_exports(__name__, _HOMES)
