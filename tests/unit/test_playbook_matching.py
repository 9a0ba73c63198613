"""Which playbooks an incident triggers, and that each playbook version fires only once per incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import h3

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.correlation import absorb, cell_of, open_incident
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.response.playbook_matching import PlaybookIndex, fired_key, newly_triggered
from chalicelib.domain.response.playbooks import Playbook, parse_playbook

LONDON = (51.5072, -0.1276)
PARIS = (48.8566, 2.3522)
AT = datetime(2025, 6, 1, 12, tzinfo=UTC)


def playbook(playbook_id: str, version: int = 1, enabled: bool = True, **trigger: Any) -> Playbook:
    trigger.setdefault("sub_categories", [] if "categories" in trigger else ["crowdDensity"])
    action = {"type": "notify", "id": "tell-police", "agencies": ["police"], "roles": ["operator"]}
    return parse_playbook(
        {"id": playbook_id, "version": version, "enabled": enabled, "name": playbook_id}
        | {"trigger": trigger, "actions": [action]}
    )


def event(
    sub_category: str = "crowdDensity",
    severity: Severity = Severity.HIGH,
    confidence: float = 0.9,
    source: str = "cam-1",
    at: tuple[float, float] = LONDON,
    zone: str | None = None,
    n: int = 0,
) -> DetectionEvent:
    details = {"zone": zone} if zone else {}
    return DetectionEvent(
        f"evt_{n}", source, sub_category, severity, confidence, 1.0, *at,
        AT + timedelta(minutes=n), "crowd", "People over capacity", details,
    )  # fmt: skip


def incident(*events: DetectionEvent) -> Incident:
    current = open_incident(events[0], "inc_1", "police")
    for later in events[1:]:
        current = absorb(current, later)
    return current


def ids(index: PlaybookIndex, subject: Incident) -> list[str]:
    return [p.id for p in index.matching(subject)]


def test_given_severity_thresholds_when_matched_then_only_incidents_at_or_above_the_threshold_trigger() -> (
    None
):
    index = PlaybookIndex([playbook("high-crowds", min_severity="high")])

    assert ids(index, incident(event(severity=Severity.MEDIUM))) == []
    assert ids(index, incident(event(severity=Severity.HIGH))) == ["high-crowds"]
    assert ids(index, incident(event(severity=Severity.CRITICAL))) == ["high-crowds"]


def test_given_a_confidence_threshold_when_matched_then_less_confident_incidents_do_not_trigger() -> None:
    index = PlaybookIndex([playbook("sure-crowds", min_confidence=0.8)])

    assert ids(index, incident(event(confidence=0.7))) == []
    assert ids(index, incident(event(confidence=0.8))) == ["sure-crowds"]


def test_given_area_cells_of_coarser_resolutions_when_matched_then_incidents_inside_them_trigger() -> None:
    home = cell_of(*LONDON)
    index = PlaybookIndex(
        [
            playbook("district", area_cells=[h3.cell_to_parent(home, 5)]),
            playbook("block", area_cells=[home]),
            playbook("elsewhere", area_cells=[h3.cell_to_parent(cell_of(*PARIS), 6)]),
            playbook("anywhere"),
        ]
    )

    assert ids(index, incident(event(at=LONDON))) == ["anywhere", "block", "district"]
    assert ids(index, incident(event(at=PARIS))) == ["anywhere", "elsewhere"]


def test_given_zones_when_matched_then_an_incident_triggers_once_one_of_its_events_is_in_a_listed_zone() -> (
    None
):
    index = PlaybookIndex([playbook("station-gates", zones=["gate-a", "gate-b"])])

    assert ids(index, incident(event(zone="platform-2"))) == []
    assert ids(index, incident(event(zone="platform-2"), event(zone="gate-b", n=1))) == ["station-gates"]


def test_given_min_sources_when_matched_then_only_distinct_sources_count() -> None:
    index = PlaybookIndex([playbook("corroborated", min_sources=2)])

    assert ids(index, incident(event(source="cam-1"), event(source="cam-1", n=1))) == []
    assert ids(index, incident(event(source="cam-1"), event(source="cam-2", n=1))) == ["corroborated"]


def test_given_a_category_trigger_when_matched_then_every_sub_category_of_it_triggers() -> None:
    index = PlaybookIndex([playbook("security", categories=["security"])])

    assert ids(index, incident(event("crowdDensity"))) == ["security"]
    assert ids(index, incident(event("crowdFormation"))) == ["security"]
    assert ids(index, incident(event("noise"))) == []


def test_given_a_disabled_playbook_when_matched_then_it_never_triggers() -> None:
    index = PlaybookIndex([playbook("paused", enabled=False), playbook("active")])

    assert ids(index, incident(event())) == ["active"]


def test_given_a_playbook_that_fired_when_evaluated_again_then_it_does_not_fire_twice() -> None:
    index = PlaybookIndex([playbook("crowds"), playbook("more-crowds")])
    subject = incident(event())

    first = newly_triggered(index, subject, frozenset())
    again = newly_triggered(index, absorb(subject, event(n=1)), frozenset(fired_key(p) for p in first))

    assert [p.id for p in first] == ["crowds", "more-crowds"]
    assert again == []


def test_given_a_new_version_of_a_fired_playbook_when_evaluated_then_it_fires_again() -> None:
    subject = incident(event())
    fired = frozenset(
        fired_key(p) for p in newly_triggered(PlaybookIndex([playbook("crowds")]), subject, frozenset())
    )

    refired = newly_triggered(PlaybookIndex([playbook("crowds", version=2)]), subject, fired)

    assert fired == {"crowds@1"}
    assert [fired_key(p) for p in refired] == ["crowds@2"]
