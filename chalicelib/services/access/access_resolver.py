"""Request-scoped access decisions: one decision per (principal, incident) per request.

Policies, grants and the crew's tasks are loaded at most once per request, and only when an
incident the principal does not own needs them.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.access.decisions import AccessDecision, decide_access
from chalicelib.domain.access.ports import SharingRepository
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.incidents import Incident
from chalicelib.domain.principal import Principal
from chalicelib.domain.response import CrewTask, TaskRepository


class AccessResolver:
    def __init__(
        self, principal: Principal, now: datetime, sharing: SharingRepository, tasks: TaskRepository
    ) -> None:
        self.principal = principal
        self.now = now
        self._sharing = sharing
        self._tasks = tasks
        self._decisions: dict[str, AccessDecision] = {}
        self._policies: list[SharingPolicy] | None = None
        self._grants: list[Grant] | None = None
        self._crew_tasks: list[CrewTask] | None = None

    def decide(self, incident: Incident) -> AccessDecision:
        cached = self._decisions.get(incident.incident_id)
        if cached is None:
            shared = not self.principal.is_public and incident.owner_agency != self.principal.agency
            cached = decide_access(
                self.principal,
                incident,
                self.policies() if shared else [],
                self.grants() if shared else [],
                self.crew_tasks(),
                self.now,
            )
            self._decisions[incident.incident_id] = cached
        return cached

    def policies(self) -> list[SharingPolicy]:
        if self._policies is None:
            self._policies = (
                [] if self.principal.is_public else self._sharing.policies_for_grantee(self.principal.agency)
            )
        return self._policies

    def grants(self) -> list[Grant]:
        if self._grants is None:
            self._grants = (
                [] if self.principal.is_public else self._sharing.grants_for_grantee(self.principal.agency)
            )
        return self._grants

    def crew_tasks(self) -> list[CrewTask]:
        if self._crew_tasks is None:
            crew = self.principal.acting_crew
            self._crew_tasks = self._tasks.open_tasks_of_crew(crew) if crew else []
        return self._crew_tasks
