"""Incident lifecycle: who may move an incident from which status to which."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role


class LifecycleAction(StrEnum):
    VERIFY = "verify"
    DISMISS = "dismiss"
    RESOLVE = "resolve"
    REOPEN = "reopen"


_OPEN = frozenset({IncidentStatus.OPEN, IncidentStatus.VERIFIED})
TRANSITIONS: dict[LifecycleAction, tuple[frozenset[IncidentStatus], IncidentStatus]] = {
    LifecycleAction.VERIFY: (frozenset({IncidentStatus.OPEN}), IncidentStatus.VERIFIED),
    LifecycleAction.DISMISS: (_OPEN, IncidentStatus.DISMISSED),
    LifecycleAction.RESOLVE: (_OPEN, IncidentStatus.RESOLVED),
    LifecycleAction.REOPEN: (
        frozenset({IncidentStatus.DISMISSED, IncidentStatus.RESOLVED}),
        IncidentStatus.OPEN,
    ),
}
_DESK = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
ACTION_ROLES: dict[LifecycleAction, frozenset[Role]] = {
    LifecycleAction.VERIFY: _DESK,
    LifecycleAction.DISMISS: _DESK,
    LifecycleAction.RESOLVE: _DESK,
    LifecycleAction.REOPEN: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}
FLAGGING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def apply_action(incident: Incident, action: LifecycleAction, principal: Principal) -> Incident:
    """The incident after `action`; only the owning agency's desk roles may act."""
    _require_owner(incident, principal, ACTION_ROLES[action], action.value)
    allowed_from, target = TRANSITIONS[action]
    if incident.status not in allowed_from:
        raise InvalidInput(
            f"cannot {action.value} an incident that is {incident.status.value}", "INVALID_TRANSITION"
        )
    return replace(incident, status=target)


def flag_sensitive(incident: Incident, sensitive: bool, principal: Principal) -> Incident:
    _require_owner(incident, principal, FLAGGING_ROLES, "flag")
    return replace(incident, sensitive=sensitive)


def _require_owner(incident: Incident, principal: Principal, roles: frozenset[Role], verb: str) -> None:
    if principal.agency != incident.owner_agency or not roles & principal.roles:
        names = ", ".join(sorted(role.value for role in roles))
        raise Forbidden(f"only the owning agency's {names} may {verb} this incident", "FORBIDDEN")
