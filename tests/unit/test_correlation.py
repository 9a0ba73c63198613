"""Correlation v1: events join nearby active incidents of their family within the window."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.correlation import absorb, cell_of, choose_incident, noisy_or, open_incident
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import IncidentStatus

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
CENTRE = (51.5072, -0.1276)


def event(
    source="aq-001", at=T0, lat=CENTRE[0], lon=CENTRE[1], sub="airPollution", magnitude=150.0, conf=0.8
):
    return DetectionEvent(
        event_id=f"evt_{source}_{at.isoformat()}_{sub}",
        source_id=source,
        sub_category=sub,
        severity=Severity.MEDIUM,
        confidence=conf,
        magnitude=magnitude,
        lat=lat,
        lon=lon,
        observed_at=at,
        detector="threshold",
        description=f"reading at {source}",
    )


def test_given_no_incident_when_an_event_arrives_then_it_opens_one_owned_by_the_routed_agency():
    incident = open_incident(event(), "inc_1", "environment")
    assert incident.owner_agency == "environment"
    assert incident.status == IncidentStatus.OPEN
    assert incident.event_count == 1
    assert incident.h3_cell == cell_of(*CENTRE)
    assert incident.title.startswith("Air pollution")


def test_given_an_open_incident_when_a_nearby_event_of_the_family_arrives_then_it_joins():
    incident = open_incident(event(), "inc_1", "environment")
    neighbour = event(source="aq-002", at=T0 + timedelta(minutes=10), lat=CENTRE[0] + 0.004)
    assert choose_incident(neighbour, [incident]) is incident


@pytest.mark.parametrize(
    "stranger",
    [
        event(at=T0 + timedelta(hours=3)),  # outside the 2 h window
        event(lat=CENTRE[0] + 0.05),  # several kilometres away
        event(sub="noise"),  # another family
    ],
)
def test_given_an_open_incident_when_a_far_late_or_unrelated_event_arrives_then_it_does_not_join(stranger):
    incident = open_incident(event(), "inc_1", "environment")
    assert choose_incident(stranger, [incident]) is None


def test_given_a_resolved_incident_when_an_event_arrives_then_it_does_not_join():
    incident = open_incident(event(), "inc_1", "environment")
    incident.status = IncidentStatus.RESOLVED
    assert choose_incident(event(at=T0 + timedelta(minutes=1)), [incident]) is None


def test_given_repeats_from_one_source_then_count_and_peak_grow_but_confidence_does_not():
    incident = open_incident(event(), "inc_1", "environment")
    later = absorb(incident, event(at=T0 + timedelta(minutes=5), magnitude=220.0))
    assert later.event_count == 2
    assert later.peak_magnitude == 220.0
    assert later.last_seen == T0 + timedelta(minutes=5)
    assert later.confidence == pytest.approx(0.8)


def test_given_a_second_source_then_confidence_rises_by_noisy_or():
    incident = open_incident(event(conf=0.8), "inc_1", "environment")
    corroborated = absorb(incident, event(source="aq-002", conf=0.5))
    assert corroborated.confidence == pytest.approx(1 - 0.2 * 0.5)
    assert noisy_or([0.5, 0.5, 0.5]) == pytest.approx(0.875)


def test_given_events_in_any_order_then_the_incident_ends_the_same():
    first, second, third = (
        event(at=T0),
        event(source="aq-002", at=T0 + timedelta(minutes=3), magnitude=200.0, conf=0.6),
        event(at=T0 + timedelta(minutes=6), magnitude=170.0),
    )
    forward = absorb(absorb(open_incident(first, "inc", "environment"), second), third)
    backward = absorb(absorb(open_incident(third, "inc", "environment"), second), first)
    for field in ("event_count", "first_seen", "last_seen", "peak_magnitude", "confidence", "title"):
        assert getattr(forward, field) == getattr(backward, field), field
