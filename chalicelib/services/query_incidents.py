"""Read incidents as a principal may see them: own, shared by policy or grant, tasked, or public.

Lists never reveal an incident or a value above the caller's level: agency lists hold only incidents
the caller reads at SUMMARY or above (so their order by last activity reveals nothing new), the
public list is ordered by id, and filters on fields above PUBLIC are refused to the public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.access import AccessDecision
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.incidents import Incident, IncidentStatus, seen_key
from chalicelib.domain.ports import IncidentRepository
from chalicelib.domain.principal import Principal
from chalicelib.services.access_resolver import AccessResolver
from chalicelib.services.cursors import CursorCodec

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class VisibleIncident:
    incident: Incident
    access: AccessDecision


@dataclass(frozen=True)
class IncidentList:
    items: list[VisibleIncident]
    next_cursor: str | None


def get_incident(
    incident_id: str, resolver: AccessResolver, incidents: IncidentRepository
) -> VisibleIncident | None:
    """The incident, or None when it does not exist or the caller may not know it exists."""
    incident = incidents.get(incident_id)
    if incident is None:
        return None
    decision = resolver.decide(incident)
    return VisibleIncident(incident, decision) if decision.visible else None


def list_incidents(
    resolver: AccessResolver,
    incidents: IncidentRepository,
    cursors: CursorCodec,
    status: IncidentStatus | None = None,
    category: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> IncidentList:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must lie between 1 and {MAX_PAGE_SIZE}", "INVALID_PAGE_SIZE")
    principal = resolver.principal
    scope = cursor_scope(principal, status, category)
    position = cursors.decode(after, scope) if after else None
    if principal.is_public:
        if status is not None:
            raise Forbidden("the public may filter by category only", "FORBIDDEN_FILTER")
        items, more = _public_page(resolver, incidents, category, first, position)
    else:
        items, more = _agency_page(resolver, incidents, status, category, first, position)
    last = position_of(principal, items[-1].incident) if items else None
    next_cursor = cursors.encode(last, scope) if more and last else None
    return IncidentList(items, next_cursor)


def cursor_scope(principal: Principal, status: IncidentStatus | None, category: str | None) -> dict[str, Any]:
    """What a cursor is bound to: the caller's agency and the query's filters."""
    return {"agency": principal.agency, "status": status.value if status else None, "category": category}


def position_of(principal: Principal, incident: Incident) -> str:
    """An incident's place in the caller's list order: last activity for agencies, id for the public."""
    return incident.incident_id if principal.is_public else seen_key(incident)


def _public_page(
    resolver: AccessResolver,
    incidents: IncidentRepository,
    category: str | None,
    first: int,
    position: str | None,
) -> tuple[list[VisibleIncident], bool]:
    found: list[VisibleIncident] = []
    cursor = position
    while len(found) < first:
        page = incidents.list_public(first, cursor)
        for incident in page.incidents:
            decision = resolver.decide(incident)
            if decision.visible and (category is None or incident.category == category):
                found.append(VisibleIncident(incident, decision))
        if page.next_cursor is None:
            return found[:first], len(found) > first
        cursor = page.next_cursor
    return found[:first], True


def _agency_page(
    resolver: AccessResolver,
    incidents: IncidentRepository,
    status: IncidentStatus | None,
    category: str | None,
    first: int,
    position: str | None,
) -> tuple[list[VisibleIncident], bool]:
    """Merge the caller's sources newest first: its own agency's incidents, every owner sharing with it by
    policy, and the incidents granted to it or tasked to its crew."""
    principal = resolver.principal
    candidates: dict[str, Incident] = {}
    more = False
    sources = [(principal.agency, category, None)] + [
        (policy.owner_agency, policy.category, policy.sub_category)
        for policy in resolver.policies()
        if category in (None, policy.category) and policy.level >= AccessLevel.SUMMARY
    ]
    for owner, source_category, sub_category in dict.fromkeys(sources):
        page = incidents.list_for_agency(
            owner, status, source_category, first, position, sub_category=sub_category
        )
        more = more or page.next_cursor is not None
        candidates.update((incident.incident_id, incident) for incident in page.incidents)
    granted = [g.incident_id for g in resolver.grants() if g.active(resolver.now)]
    tasked = [task.incident_id for task in resolver.crew_tasks()]
    extra = [incident_id for incident_id in dict.fromkeys(granted + tasked) if incident_id not in candidates]
    for incident in incidents.get_many(extra).values() if extra else []:
        if _passes(incident, status, category, position):
            candidates[incident.incident_id] = incident
    visible = [
        VisibleIncident(incident, decision)
        for incident in sorted(candidates.values(), key=seen_key, reverse=True)
        if (decision := resolver.decide(incident)).level >= AccessLevel.SUMMARY
    ]
    return visible[:first], more or len(visible) > first


def _passes(
    incident: Incident, status: IncidentStatus | None, category: str | None, position: str | None
) -> bool:
    return (
        (status is None or incident.status == status)
        and (category is None or incident.category == category)
        and (position is None or seen_key(incident) < position)
    )
