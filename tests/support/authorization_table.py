"""The tables of docs/authorization.md, parsed, and the sharing situations they name, built as data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import h3

from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.tasks import CrewTask, TaskStatus

DOC = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
OWNER, OTHER = "environment", "transport"
LAT, LON = 51.5072, -0.1276


def _first_table(heading: str) -> list[list[str]]:
    text = DOC.read_text()
    section = text[text.index(heading) :].split("\n\n")
    block = next(part for part in section if part.lstrip().startswith("|"))
    rows = [
        [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        for line in block.strip().splitlines()
    ]
    return [row for row in rows if not re.fullmatch(r"[-: ]*", "".join(row))]


def situation_levels() -> dict[tuple[str, str], AccessLevel]:
    """(situation, role or "public") → level, from the 'Level by role and situation' table."""
    header, *rows = _first_table("### Level by role and situation")
    return {(row[0], role): AccessLevel[row[i]] for row in rows for i, role in enumerate(header) if i > 0}


def field_levels() -> dict[tuple[str, str], AccessLevel]:
    """(type, field) → level, from the 'Level each field needs' table."""
    _, *rows = _first_table("### Level each field needs")
    return {(row[0], row[1]): AccessLevel[row[2]] for row in rows}


@dataclass
class Situation:
    incident: Incident
    policies: list[SharingPolicy] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    tasks: list[CrewTask] = field(default_factory=list)
    caller_agency: str = OTHER


def incident(incident_id: str = "inc_matrix", **changes: object) -> Incident:
    base = Incident(
        incident_id=incident_id,
        owner_agency=OWNER,
        sub_category="airPollution",
        status=IncidentStatus.OPEN,
        severity=Severity.HIGH,
        confidence=0.8,
        title="Air pollution: PM2.5 180 µg/m³",
        lat=LAT,
        lon=LON,
        h3_cell=str(h3.latlng_to_cell(LAT, LON, 8)),
        first_seen=NOW - timedelta(minutes=30),
        last_seen=NOW - timedelta(minutes=5),
        event_count=3,
        peak_magnitude=255.0,
        source_confidence={"aq-001": 0.8},
        version=3,
        description="PM2.5 180 µg/m³ at aq-001",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _policy(level: AccessLevel, cells: frozenset[str] = frozenset()) -> SharingPolicy:
    return SharingPolicy("pol_1", OWNER, OTHER, "environment", None, level, cells)


def _grant(expires_in: timedelta, revoked: bool = False) -> Grant:
    return Grant(
        "gra_1",
        "inc_matrix",
        OWNER,
        OTHER,
        AccessLevel.OPERATIONAL,
        NOW + expires_in,
        "joint response",
        "sup-1",
        NOW - timedelta(hours=1),
        revoked_at=NOW - timedelta(minutes=1) if revoked else None,
    )


def _task(status: TaskStatus) -> CrewTask:
    return CrewTask("task_1", "inc_matrix", OTHER, "crew-7", status)


FAR_AWAY_CELL = str(h3.latlng_to_cell(53.4808, -2.2426, 6))  # another city
SITUATIONS = {
    "owner": lambda: Situation(incident(), caller_agency=OWNER),
    "other agency, nothing shared": lambda: Situation(incident()),
    "policy at SUMMARY": lambda: Situation(incident(), policies=[_policy(AccessLevel.SUMMARY)]),
    "policy at OPERATIONAL": lambda: Situation(incident(), policies=[_policy(AccessLevel.OPERATIONAL)]),
    "policy at RESTRICTED": lambda: Situation(incident(), policies=[_policy(AccessLevel.RESTRICTED)]),
    "policy for another area": lambda: Situation(
        incident(), policies=[_policy(AccessLevel.RESTRICTED, frozenset({FAR_AWAY_CELL}))]
    ),
    "grant at OPERATIONAL": lambda: Situation(incident(), grants=[_grant(timedelta(hours=2))]),
    "expired grant": lambda: Situation(incident(), grants=[_grant(-timedelta(seconds=1))]),
    "revoked grant": lambda: Situation(incident(), grants=[_grant(timedelta(hours=2), revoked=True)]),
    "crew with an open task": lambda: Situation(incident(), tasks=[_task(TaskStatus.EN_ROUTE)]),
    "crew with a finished task": lambda: Situation(incident(), tasks=[_task(TaskStatus.DONE)]),
    "embargoed, other agency": lambda: Situation(incident(sensitive=True)),
    "embargoed, owner": lambda: Situation(incident(sensitive=True), caller_agency=OWNER),
    "embargo lifted (resolved)": lambda: Situation(incident(sensitive=True, status=IncidentStatus.RESOLVED)),
}


def principal(role: str, agency: str) -> Principal:
    if role == "public":
        return Principal.public()
    crew = "crew-7" if role == Role.FIELD_CREW.value else None
    return Principal(f"{role}-of-{agency}", agency, frozenset({Role(role)}), crew_id=crew)
