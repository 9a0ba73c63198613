"""Access levels and who gets which on an incident: the heart of inter-agency sharing.

PUBLIC < SUMMARY < OPERATIONAL < RESTRICTED; NONE means the incident does not exist for the caller.
A principal's level on an incident is the highest of what its situation gives it, capped by the
ceiling of its best role:

- the owning agency: the role's ceiling;
- a standing sharing policy of the owner that matches the incident: the policy's level;
- an ad-hoc grant on the incident, not revoked and not expired at read time: the grant's level;
- a field crew with an open task on the incident: OPERATIONAL;
- anyone (the public, and every agency): PUBLIC, unless the incident is under embargo
  (sensitive and not yet resolved), when PUBLIC is withheld.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.incidents import Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role

ROLE_CEILINGS: dict[Role, AccessLevel] = {
    Role.ADMIN: AccessLevel.RESTRICTED,
    Role.SUPERVISOR: AccessLevel.RESTRICTED,
    Role.OPERATOR: AccessLevel.OPERATIONAL,
    Role.ANALYST: AccessLevel.OPERATIONAL,
    Role.FIELD_CREW: AccessLevel.OPERATIONAL,  # only through a task or a grant: crews own no desk view
    Role.PUBLIC_INFORMATION_OFFICER: AccessLevel.SUMMARY,
}
OWNER_DEFAULT: dict[Role, AccessLevel] = {**ROLE_CEILINGS, Role.FIELD_CREW: AccessLevel.SUMMARY}

# Sub-categories whose incidents are embargoed from the public until resolved (besides flagged ones).
SENSITIVE_SUB_CATEGORIES = frozenset(
    {"suspiciousAction", "robbery", "assault", "civilDisorder", "bombThreat", "terrorism", "sensorOffline"}
)


class CrewAssignment(Protocol):
    """What a decision needs of a crew's task (the response context's CrewTask is one)."""

    @property
    def task_id(self) -> str: ...

    @property
    def incident_id(self) -> str: ...

    @property
    def crew_id(self) -> str | None: ...

    @property
    def is_open(self) -> bool: ...


@dataclass(frozen=True)
class AccessDecision:
    level: AccessLevel
    basis: str  # "owner", "policy:<id>", "grant:<id>", "task:<id>", "public" or "none": recorded in audits

    @property
    def visible(self) -> bool:
        return self.level > AccessLevel.NONE


def is_embargoed(incident: Incident) -> bool:
    sensitive = incident.sensitive or incident.sub_category in SENSITIVE_SUB_CATEGORIES
    return sensitive and incident.status != IncidentStatus.RESOLVED


def role_ceiling(principal: Principal) -> AccessLevel:
    return max((ROLE_CEILINGS[role] for role in principal.roles), default=AccessLevel.PUBLIC)


def decide_access(
    principal: Principal,
    incident: Incident,
    policies: list[SharingPolicy],
    grants: list[Grant],
    tasks: Sequence[CrewAssignment],
    now: datetime,
) -> AccessDecision:
    """The caller's level on one incident. `policies`, `grants` and `tasks` may hold unrelated items."""
    candidates = [AccessDecision(AccessLevel.NONE, "none")]
    if not is_embargoed(incident):
        candidates.append(AccessDecision(AccessLevel.PUBLIC, "public"))
    if principal.is_public:
        return max(candidates, key=lambda decision: decision.level)
    ceiling = role_ceiling(principal)
    owns = principal.agency == incident.owner_agency
    if owns:  # an agency's own incidents are read by role: it does not share with itself
        owner = max((OWNER_DEFAULT[role] for role in principal.roles), default=AccessLevel.PUBLIC)
        candidates.append(AccessDecision(owner, "owner"))
        policies, grants = [], []
    candidates += [
        AccessDecision(min(policy.level, ceiling), f"policy:{policy.policy_id}")
        for policy in policies
        if policy.grantee_agency == principal.agency and policy.matches(incident)
    ]
    candidates += [
        AccessDecision(min(grant.level, ceiling), f"grant:{grant.grant_id}")
        for grant in grants
        if grant.incident_id == incident.incident_id
        and grant.grantee_agency == principal.agency
        and grant.active(now)
    ]
    crew = principal.acting_crew
    if crew is not None:
        candidates += [
            AccessDecision(AccessLevel.OPERATIONAL, f"task:{task.task_id}")
            for task in tasks
            if task.incident_id == incident.incident_id and task.crew_id == crew and task.is_open
        ]
    # the highest level wins; on a tie the first basis found (owner before policy before grant) is kept
    best = candidates[0]
    for decision in candidates[1:]:
        if decision.level > best.level:
            best = decision
    return best
