"""Crowd analytics: people per zone, density over capacity, and rapid formation over a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.cameras.config import Zone, ZonePurpose
from chalicelib.domain.cameras.crowd import crowd_findings, people_per_zone
from chalicelib.domain.cameras.state import CameraState, CrowdObservation
from chalicelib.domain.cameras.vision import Box
from chalicelib.domain.categories import Severity

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LEFT = Zone("left", ZonePurpose.CROWD_AREA, ((0, 0), (320, 0), (320, 480), (0, 480)), capacity=10)
RIGHT = Zone("right", ZonePurpose.CROWD_AREA, ((320, 0), (640, 0), (640, 480), (320, 480)), capacity=10)


def person(x: float, y: float, label: str = "person") -> Box:
    return Box(x - 10, y - 60, x + 10, y, 0.9, label)


def test_given_people_and_faces_then_each_is_counted_in_the_zone_it_stands_or_looks_from() -> None:
    boxes = [person(100, 300), person(500, 300), Box(90, 90, 110, 110, 0.8, "face"), person(100, 300, "car")]
    assert people_per_zone(boxes, [LEFT, RIGHT]) == {"left": 2, "right": 1}


def test_given_a_person_whose_feet_are_outside_the_zone_then_they_are_not_counted() -> None:
    standing_below = Box(100, 400, 120, 470, 0.9, "person")
    zone = Zone("top", ZonePurpose.CROWD_AREA, ((0, 0), (640, 0), (640, 450), (0, 450)), capacity=5)
    assert people_per_zone([standing_below], [zone]) == {"top": 0}


def observe(minutes: float, count: int, key: str | None = None) -> CrowdObservation:
    return CrowdObservation(key or f"frame-{minutes}", T0 + timedelta(minutes=minutes), {"left": count})


def test_given_counts_below_80_percent_of_capacity_then_no_density_finding() -> None:
    assert crowd_findings([LEFT], observe(0, 7), ()) == []


def test_given_counts_over_capacity_then_density_severity_rises_with_the_ratio() -> None:
    severities = [crowd_findings([LEFT], observe(0, count), ())[0].severity for count in (8, 10, 15)]
    assert severities == [Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
    finding = crowd_findings([LEFT], observe(0, 12), ())[0]
    assert (finding.kind, finding.zone_id, finding.magnitude) == ("crowdDensity", "left", 1.2)


def test_given_a_crowd_growing_fast_within_five_minutes_then_formation_is_found_with_its_rate() -> None:
    history = (observe(0, 1), observe(2, 2))
    findings = crowd_findings([LEFT], observe(4, 7), history)
    formation = [f for f in findings if f.kind == "crowdFormation"]
    assert len(formation) == 1
    assert formation[0].details["growth"] == 6
    assert formation[0].magnitude == 1.5  # six people in four minutes


def test_given_slow_growth_or_growth_outside_the_window_then_no_formation() -> None:
    assert not [
        f for f in crowd_findings([LEFT], observe(4, 4), (observe(0, 1),)) if f.kind == "crowdFormation"
    ]
    assert not [
        f for f in crowd_findings([LEFT], observe(10, 7), (observe(0, 1),)) if f.kind == "crowdFormation"
    ]


def test_given_the_same_frame_observed_twice_then_the_state_keeps_it_once() -> None:
    state = CameraState("cam").with_observation(observe(0, 3, "a")).with_observation(observe(0, 3, "a"))
    assert len(state.observations) == 1


def test_given_observations_older_than_the_window_then_they_are_dropped() -> None:
    state = CameraState("cam").with_observation(observe(0, 1)).with_observation(observe(30, 2))
    assert [o.counts["left"] for o in state.observations] == [2]
