"""No value above the caller's level ever leaves POST /graphql: a property test over random cities.

Each example draws a caller (the public, or an agency's user with one role, and a crew for field crews) and a
city: 2 to 6 incidents of random owners, sub-categories, statuses and sensitivity, with standing policies,
ad-hoc grants (active, expired or revoked) and crew tasks. Every value of an incident carries a marker of
the level that reads it: "S-…" for SUMMARY (the title; last and first activity, as shown and as a cursor
would hold them), "O-…" for OPERATIONAL (description, events, tasks, note authors), "R-…" for RESTRICTED
(device ids, grants), and each note's id and text the marker of its visibility ("P-…" for PUBLIC).

The caller asks for every incident by id with every field, for `incidents(first: 100)` (every field but
the per-incident lists, which the cost limit refuses on a page of 100) and for every page of
`incidents(first: 1..4)` with every field. The oracle is the domain's `decide_access`. No marker above
the caller's level on its incident may appear anywhere in a response's raw text (data, errors,
extensions), nor in a cursor once base64-decoded; an incident the caller may not see answers exactly like
one that does not exist; lists hold only what the caller may list (agencies: SUMMARY or above). And the API
must answer exactly at the oracle's level, every marker at or below it shown, so that the property cannot
pass by answering nothing.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import h3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.memory.access import DEMO_AGENCIES
from chalicelib.bootstrap import Container
from chalicelib.domain.access.decisions import decide_access
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import CATEGORIES, Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.instants import format_instant
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.tasks import CrewTask, TaskStatus
from tests.support.authorization_table import NOW, OTHER, OWNER
from tests.support.authorization_table import incident as shared_incident
from tests.support.graphql_client import Answer, GraphQLCaller, Session, every_field

AGENCIES = sorted(DEMO_AGENCIES)
PLACES = [(51.5072, -0.1276), (51.5155, -0.0922), (51.4700, -0.4543)]  # two close together, one apart
SHARED = [AccessLevel.SUMMARY, AccessLevel.OPERATIONAL, AccessLevel.RESTRICTED]
NOTE_LEVELS = [AccessLevel.PUBLIC, *SHARED]
TASK_STATUSES = list(TaskStatus)
INCIDENT = f"query ($id: ID!) {{ incident(id: $id) {every_field('Incident')} }}"
PAGE_OF = "query ($first: Int!, $after: String) {{ incidents(first: $first, after: $after) {} }}"
PAGE = PAGE_OF.format(every_field("IncidentConnection"))
# A page of 100 cannot carry the per-incident lists (the cost limit refuses it): it asks for every other field.
PER_INCIDENT_LISTS = frozenset({"Incident.notes", "Incident.grants", "Incident.events", "Incident.tasks"})
LONG_PAGE = PAGE_OF.format(every_field("IncidentConnection", PER_INCIDENT_LISTS))


@pytest.fixture(scope="module")
def caller(tmp_path_factory: pytest.TempPathFactory) -> GraphQLCaller:
    return GraphQLCaller(tmp_path_factory.mktemp("jwks"))


@dataclass(frozen=True)
class Marker:
    text: str
    incident_id: str
    level: AccessLevel
    in_fields: bool = True  # False for the form only a cursor would hold


@dataclass
class City:
    caller: Principal
    incidents: list[Incident] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    policies: list[SharingPolicy] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    tasks: list[CrewTask] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    def mark(self, incident_id: str, level: AccessLevel, what: str) -> str:
        text = f"{level.name[0]}-{uuid.uuid5(uuid.NAMESPACE_URL, f'{incident_id}/{what}')}"
        self.markers.append(Marker(text, incident_id, level))
        return text


def crews_of(agency: str) -> list[str]:
    return [f"crew-{agency}-1", f"crew-{agency}-2"]


@st.composite
def callers(draw: st.DrawFn) -> Principal:
    if draw(st.integers(0, 4)) == 0:
        return Principal.public()
    agency, role = draw(st.sampled_from(AGENCIES)), draw(st.sampled_from(list(Role)))
    crew = draw(st.sampled_from(crews_of(agency))) if role == Role.FIELD_CREW else None
    return Principal(f"{agency}-{role.value}", agency, frozenset({role}), crew)


def agencies_besides(caller: Principal, excluded: str) -> st.SearchStrategy[str]:
    """Any agency but `excluded` (an agency shares only with others: INVALID_GRANTEE), the caller's often."""
    others = st.sampled_from([agency for agency in AGENCIES if agency != excluded])
    return (others | st.just(caller.agency)) if caller.agency not in ("", excluded) else others


@st.composite
def cities(draw: st.DrawFn) -> City:
    city = City(draw(callers()))
    agencies = agencies_besides(city.caller, "")
    for number in range(draw(st.integers(2, 6))):
        city.incidents.append(draw_incident(draw, city, f"inc-{number}", draw(agencies), number))
    incident = st.sampled_from(city.incidents)
    for number in range(draw(st.integers(0, 4))):
        owner = draw(incident).owner_agency
        grantee = draw(agencies_besides(city.caller, owner))
        city.policies.append(draw_policy(draw, f"pol-{number}", owner, grantee))
    for number in range(draw(st.integers(0, 4))):
        shared = draw(incident)
        grantee = draw(agencies_besides(city.caller, shared.owner_agency))
        city.grants.append(draw_grant(draw, city, shared, grantee, number))
    incident_ids = st.sampled_from([incident.incident_id for incident in city.incidents])
    for number in range(draw(st.integers(0, 4))):
        agency = draw(agencies)
        crew, status = draw(st.sampled_from(crews_of(agency))), draw(st.sampled_from(TASK_STATUSES))
        incident_id = draw(incident_ids)
        task_id = city.mark(incident_id, AccessLevel.OPERATIONAL, f"task-{number}")
        city.tasks.append(CrewTask(task_id, incident_id, agency, crew, status))
    return city


def draw_incident(draw: st.DrawFn, city: City, incident_id: str, owner: str, number: int) -> Incident:
    lat, lon = draw(st.sampled_from(PLACES))
    last_seen = NOW - timedelta(minutes=draw(st.integers(0, 600)), milliseconds=number + 1)  # unique instants
    first_seen = last_seen - timedelta(minutes=30)
    for instant in (last_seen, first_seen):
        city.markers.append(Marker(instant.isoformat(), incident_id, AccessLevel.SUMMARY))
        city.markers.append(
            Marker(format_instant(instant), incident_id, AccessLevel.SUMMARY, in_fields=False)
        )
    sub_category = draw(st.sampled_from(sorted(CATEGORIES)))
    events = [
        draw_event(city, incident_id, sub_category, lat, lon, index)
        for index in range(draw(st.integers(1, 2)))
    ]
    for visibility in NOTE_LEVELS:
        city.notes.append(
            Note(
                city.mark(incident_id, visibility, "note"),
                incident_id,
                city.mark(incident_id, max(visibility, AccessLevel.OPERATIONAL), "note author"),
                owner,
                city.mark(incident_id, visibility, "note text"),
                visibility,
                NOW - timedelta(hours=2, minutes=int(visibility)),
            )
        )
    return Incident(
        incident_id=incident_id,
        owner_agency=owner,
        sub_category=sub_category,
        status=draw(st.sampled_from(list(IncidentStatus))),
        severity=draw(st.sampled_from(list(Severity))),
        confidence=0.7,
        title=city.mark(incident_id, AccessLevel.SUMMARY, "title"),
        lat=lat,
        lon=lon,
        h3_cell=str(h3.latlng_to_cell(lat, lon, 9)),
        first_seen=first_seen,
        last_seen=last_seen,
        event_count=len(events),
        peak_magnitude=120.0,
        source_confidence={event.source_id: event.confidence for event in events},
        sensitive=draw(st.booleans()),
        description=city.mark(incident_id, AccessLevel.OPERATIONAL, "description"),
        recent_events=events,
    )


def draw_event(
    city: City, incident_id: str, sub_category: str, lat: float, lon: float, index: int
) -> DetectionEvent:
    def mark(level: AccessLevel, what: str) -> str:
        return city.mark(incident_id, level, f"event-{index} {what}")

    return DetectionEvent(
        mark(AccessLevel.OPERATIONAL, "id"),
        mark(AccessLevel.RESTRICTED, "device"),
        sub_category,
        Severity.MEDIUM,
        0.6,
        120.0,
        lat,
        lon,
        NOW - timedelta(hours=1, minutes=index),
        "threshold",
        mark(AccessLevel.OPERATIONAL, "description"),
        {"reading": mark(AccessLevel.OPERATIONAL, "sensor values")},
    )


def draw_policy(draw: st.DrawFn, policy_id: str, owner: str, grantee: str) -> SharingPolicy:
    spec = draw(st.sampled_from(list(CATEGORIES.values())))
    sub_category = draw(st.sampled_from([None, spec.sub_category]))
    lat, lon = draw(st.sampled_from(PLACES))
    area = draw(st.sampled_from([frozenset(), frozenset({str(h3.latlng_to_cell(lat, lon, 7))})]))
    return SharingPolicy(
        policy_id, owner, grantee, spec.category, sub_category, draw(st.sampled_from(SHARED)), area
    )


def draw_grant(draw: st.DrawFn, city: City, incident: Incident, grantee: str, number: int) -> Grant:
    incident_id, owner = incident.incident_id, incident.owner_agency
    revoked = draw(st.booleans())

    def mark(what: str) -> str:
        return city.mark(incident_id, AccessLevel.RESTRICTED, f"grant-{number} {what}")

    return Grant(
        mark("id"),
        incident_id,
        owner,
        grantee,
        draw(st.sampled_from(SHARED)),
        NOW + timedelta(hours=draw(st.sampled_from([-2, 2]))),
        mark("reason"),
        mark("created by"),
        NOW - timedelta(hours=3),
        revoked_at=NOW - timedelta(hours=1) if revoked else None,
        revoked_by=mark("revoked by") if revoked else None,
    )


def settle(caller: GraphQLCaller, city: City) -> tuple[Container, dict[str, AccessLevel]]:
    """A container holding the city; returns it with the oracle's level on each incident."""
    container = caller.container(NOW)
    for incident in city.incidents:
        container.incidents.put(incident)  # type: ignore[attr-defined]
    for policy in city.policies:
        container.sharing.put_policy(policy, None)
    for grant in city.grants:
        container.sharing.add_grant(grant)
    for task in city.tasks:
        container.tasks.add(task)
    for note in city.notes:
        container.notes.add(note)
    levels = {
        incident.incident_id: decide_access(
            city.caller, incident, city.policies, city.grants, city.tasks, NOW
        ).level
        for incident in city.incidents
    }
    return container, levels


def decoded(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("latin-1")


def cursors_of(answer: Answer) -> list[str]:
    connection = answer.body["data"]["incidents"]
    return [edge["cursor"] for edge in connection["edges"]] + [connection["pageInfo"]["endCursor"] or ""]


def leaks(city: City, levels: dict[str, AccessLevel], texts: list[str]) -> list[Marker]:
    return [
        m for m in city.markers if m.level > levels[m.incident_id] and any(m.text in text for text in texts)
    ]


def every_page(session: Session, caller: Principal, query: str, first: int) -> list[Answer]:
    pages = [session.ask(caller, query, first=first)]
    while pages[-1].body.get("data") and pages[-1].body["data"]["incidents"]["pageInfo"]["hasNextPage"]:
        after = pages[-1].body["data"]["incidents"]["pageInfo"]["endCursor"]
        pages.append(session.ask(caller, query, first=first, after=after))
        assert len(pages) <= 7, "the pages do not come to an end"
    return pages


def listable(city: City, levels: dict[str, AccessLevel]) -> list[str]:
    """What the caller's list holds: for agencies what they read at SUMMARY or above, for the public what
    is on the public feed (visible and not dismissed)."""
    if city.caller.is_public:
        shown = [i for i in city.incidents if levels[i.incident_id] and i.status != IncidentStatus.DISMISSED]
    else:
        shown = [i for i in city.incidents if levels[i.incident_id] >= AccessLevel.SUMMARY]
    return sorted(incident.incident_id for incident in shown)


def assert_answered_at_the_oracles_level(
    city: City, levels: dict[str, AccessLevel], singles: dict[str, Answer], missing: Answer
) -> None:
    for incident_id, answer in singles.items():
        assert "errors" not in answer.body
        if levels[incident_id] == AccessLevel.NONE:
            assert answer.text == missing.text  # exactly like an incident that does not exist
            continue
        assert answer.body["data"]["incident"]["accessLevel"] == levels[incident_id].name
        readable = [m for m in city.markers if m.incident_id == incident_id and m.in_fields]
        unseen = [m.text for m in readable if m.level <= levels[incident_id] and m.text not in answer.text]
        assert unseen == []


def listed_nodes(pages: list[Answer]) -> list[dict[str, Any]]:
    assert all("errors" not in page.body for page in pages)
    return [edge["node"] for page in pages for edge in page.body["data"]["incidents"]["edges"]]


@settings(max_examples=60, deadline=None)
@given(city=cities(), page_size=st.integers(1, 4))
def test_given_any_caller_and_city_when_reading_everything_then_no_value_above_the_callers_level_leaves_the_api(
    caller: GraphQLCaller, city: City, page_size: int
) -> None:
    container, levels = settle(caller, city)

    with caller.session(container) as session:
        singles = {incident_id: session.ask(city.caller, INCIDENT, id=incident_id) for incident_id in levels}
        missing = session.ask(city.caller, INCIDENT, id="inc-that-does-not-exist")
        long_page = every_page(session, city.caller, LONG_PAGE, 100)
        short_pages = every_page(session, city.caller, PAGE, page_size)

    lists = [*long_page, *short_pages]
    texts = [answer.text for answer in [*singles.values(), *lists]]
    texts += [decoded(cursor) for answer in lists if "data" in answer.body for cursor in cursors_of(answer)]
    assert leaks(city, levels, texts) == []
    assert_answered_at_the_oracles_level(city, levels, singles, missing)
    in_one_page, paged = listed_nodes(long_page), listed_nodes(short_pages)
    assert sorted(node["id"] for node in in_one_page) == listable(city, levels)
    assert len({node["id"] for node in paged}) == len(paged)  # each incident once across pages
    assert sorted(node["id"] for node in paged) == listable(city, levels)  # pages add up to the whole list
    assert all(node["accessLevel"] == levels[node["id"]].name for node in in_one_page + paged)


def test_given_an_area_policy_whose_owners_newest_incident_lies_outside_when_listing_one_per_page_then_the_incident_inside_is_still_listed(
    caller: GraphQLCaller,
) -> None:
    (near_lat, near_lon), (far_lat, far_lon) = PLACES[0], PLACES[2]
    far_cell = str(h3.latlng_to_cell(far_lat, far_lon, 8))
    outside = shared_incident("inc-outside", lat=far_lat, lon=far_lon, h3_cell=far_cell, last_seen=NOW)
    inside = shared_incident("inc-inside", last_seen=NOW - timedelta(minutes=10))
    container = caller.container(NOW)
    for incident in (outside, inside):
        container.incidents.put(incident)  # type: ignore[attr-defined]
    area = frozenset({str(h3.latlng_to_cell(near_lat, near_lon, 7))})
    policy = SharingPolicy("pol-area", OWNER, OTHER, "environment", None, AccessLevel.SUMMARY, area)
    container.sharing.put_policy(policy, None)
    operator = Principal("operator-of-transport", OTHER, frozenset({Role.OPERATOR}))

    with caller.session(container) as session:
        pages = every_page(session, operator, PAGE, 1)

    assert [node["id"] for node in listed_nodes(pages)] == ["inc-inside"]
