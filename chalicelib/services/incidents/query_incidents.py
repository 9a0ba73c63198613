"""Read incidents as a principal may see them: own, shared by policy or grant, tasked, or public.

Lists never reveal an incident or a value above the caller's level: agency lists hold only incidents
the caller reads at SUMMARY or above (so their order by last activity reveals nothing new), the
public list is ordered by id, and filters on fields above PUBLIC are refused to the public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.access import AccessDecision
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.incidents.incident import Incident, IncidentStatus, seen_key
from chalicelib.domain.incidents.ports import IncidentPage, IncidentRepository
from chalicelib.domain.principal import Principal
from chalicelib.services.access.access_resolver import AccessResolver
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


MAX_FETCHES_PER_SOURCE = 20


class _Source:
    """One newest-first stream of candidate incidents, fetched a page at a time as the merge needs it."""

    def __init__(self, fetch: Callable[[str | None], IncidentPage], position: str | None) -> None:
        self._fetch = fetch
        self._cursor = position
        self._buffer: list[Incident] = []
        self._fetches = 0
        self._done = False

    def head(self) -> Incident | None:
        while not self._buffer and not self._done and self._fetches < MAX_FETCHES_PER_SOURCE:
            page = self._fetch(self._cursor)
            self._fetches += 1
            self._buffer, self._cursor = list(page.incidents), page.next_cursor
            self._done = page.next_cursor is None
        return self._buffer[0] if self._buffer else None

    def pop(self) -> None:
        self._buffer.pop(0)

    @property
    def exhausted(self) -> bool:
        return not self._buffer and self._done


def _agency_page(
    resolver: AccessResolver,
    incidents: IncidentRepository,
    status: IncidentStatus | None,
    category: str | None,
    first: int,
    position: str | None,
) -> tuple[list[VisibleIncident], bool]:
    """Merge the caller's sources newest first: its own agency's incidents, every owner sharing with it by
    policy, and the incidents granted to it or tasked to its crew. A source is read further whenever
    its incidents fall outside what the caller may list (an area policy), so no page stops short."""
    sources = _agency_sources(resolver, incidents, status, category, first + 1, position)
    seen: set[str] = set()
    visible: list[VisibleIncident] = []
    while len(visible) <= first:
        heads = [(head, source) for source in sources if (head := source.head()) is not None]
        if not heads:
            break
        incident, source = max(heads, key=lambda pair: seen_key(pair[0]))
        source.pop()
        if incident.incident_id in seen:
            continue
        seen.add(incident.incident_id)
        if (decision := resolver.decide(incident)).level >= AccessLevel.SUMMARY:
            visible.append(VisibleIncident(incident, decision))
    more = len(visible) > first or not all(source.exhausted for source in sources)
    return visible[:first], more and bool(visible)


def _agency_sources(
    resolver: AccessResolver,
    incidents: IncidentRepository,
    status: IncidentStatus | None,
    category: str | None,
    limit: int,
    position: str | None,
) -> list[_Source]:
    principal = resolver.principal
    owners = [(principal.agency, category, None)] + [
        (policy.owner_agency, policy.category, policy.sub_category)
        for policy in resolver.policies()
        if category in (None, policy.category) and policy.level >= AccessLevel.SUMMARY
    ]
    sources = [
        _Source(_owner_listing(incidents, owner, status, owner_category, sub_category, limit), position)
        for owner, owner_category, sub_category in dict.fromkeys(owners)
    ]
    granted = [g.incident_id for g in resolver.grants() if g.active(resolver.now)]
    tasked = [task.incident_id for task in resolver.crew_tasks()]
    extra_ids = list(dict.fromkeys(granted + tasked))
    if extra_ids:
        extra = sorted(
            (i for i in incidents.get_many(extra_ids).values() if _passes(i, status, category, position)),
            key=seen_key,
            reverse=True,
        )
        sources.append(_Source(lambda _cursor: IncidentPage(extra, None), None))
    return sources


def _owner_listing(
    incidents: IncidentRepository,
    owner: str,
    status: IncidentStatus | None,
    category: str | None,
    sub_category: str | None,
    limit: int,
) -> Callable[[str | None], IncidentPage]:
    def fetch(cursor: str | None) -> IncidentPage:
        return incidents.list_for_agency(owner, status, category, limit, cursor, sub_category=sub_category)

    return fetch


def _passes(
    incident: Incident, status: IncidentStatus | None, category: str | None, position: str | None
) -> bool:
    return (
        (status is None or incident.status == status)
        and (category is None or incident.category == category)
        and (position is None or seen_key(incident) < position)
    )
