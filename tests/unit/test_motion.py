"""Motion analytics on synthetic street bursts: wrong-way travel, stopped objects, queues, noise."""

from datetime import UTC, datetime

import numpy as np
import pytest

from chalicelib.domain.cameras.config import Zone, ZonePurpose
from chalicelib.domain.cameras.motion import analyse_burst
from chalicelib.domain.errors import InvalidInput
from local.camera_scenes import (
    as_frames,
    moving_object_burst,
    noise_burst,
    queue_burst,
    street_background,
)

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
LANE_BOX = (0, 160, 640, 240)


def lane(direction_deg: float = 0.0) -> Zone:
    x1, y1, x2, y2 = LANE_BOX
    polygon = ((x1, y1), (x2, y1), (x2, y2), (x1, y2))
    return Zone("lane-east", ZonePurpose.TRAFFIC_LANE, polygon, direction_deg=direction_deg)


NO_STOPPING = Zone("bus-stop", ZonePurpose.NO_STOPPING, ((400, 320), (600, 320), (600, 420), (400, 420)))
ZONES = [lane(), NO_STOPPING]


@pytest.fixture(scope="module")
def street() -> np.ndarray:
    return street_background()


@pytest.fixture(scope="module")
def empty_background(street) -> np.ndarray:
    """What a camera stores after one burst of the empty street."""
    return analyse_burst(as_frames([street] * 8, START), ZONES).background


def stopping_car(street, stop_at_x: float, y: float) -> list:
    """A car driving right at 100 px/s that stops at `stop_at_x` after 1.5 s; 12 frames, 5.5 s."""
    images = moving_object_burst(
        street, (stop_at_x - 150, y), (100, 0), (60, 30), frames=12, interval_s=0.5, stop_after_s=1.5
    )
    return as_frames(images, START, 0.5)


@pytest.mark.parametrize(("direction_deg", "velocity_x"), [(0.0, -100.0), (180.0, 100.0)])
def test_given_a_car_driving_against_the_lane_then_one_wrong_way_finding_reports_its_speed(
    street, direction_deg, velocity_x
):
    start_x = 450 if velocity_x < 0 else 150
    frames = as_frames(moving_object_burst(street, (start_x, 200), (velocity_x, 0), (60, 30)), START)

    findings = analyse_burst(frames, [lane(direction_deg), NO_STOPPING]).findings

    assert [(f.kind, f.zone_id) for f in findings] == [("wrong_way", "lane-east")]
    assert findings[0].details["speed_px_s"] == pytest.approx(100, rel=0.2)
    assert findings[0].magnitude == pytest.approx(100, rel=0.2)
    assert 0 < findings[0].confidence <= 1


def test_given_a_car_driving_with_the_lane_then_nothing_is_wrong(street):
    frames = as_frames(moving_object_burst(street, (150, 200), (100, 0), (60, 30)), START)

    analysis = analyse_burst(frames, ZONES)

    assert analysis.findings == []
    assert len(analysis.tracks) == 1  # the car was seen and followed, it just drove correctly


def test_given_a_stored_background_when_a_car_stops_in_a_no_stopping_zone_then_it_is_reported(
    street, empty_background
):
    findings = analyse_burst(stopping_car(street, 450, 370), ZONES, empty_background).findings

    assert [(f.kind, f.zone_id) for f in findings] == [("stopped_object", "bus-stop")]
    assert findings[0].magnitude == pytest.approx(4.0, abs=0.6)
    x1, y1, x2, y2 = findings[0].box
    assert x1 < 450 < x2 and y1 < 370 < y2


def test_given_no_stored_background_when_a_car_stops_in_the_zone_then_nothing_is_reported(street):
    analysis = analyse_burst(stopping_car(street, 450, 370), ZONES)

    assert analysis.findings == []
    assert analysis.stored_background_used is False


def test_given_a_car_stopping_outside_the_zone_then_nothing_is_reported(street, empty_background):
    assert analyse_burst(stopping_car(street, 250, 370), ZONES, empty_background).findings == []


def test_given_many_slow_vehicles_packed_in_a_lane_then_queueing_is_reported(street, empty_background):
    frames = as_frames(queue_burst(street, LANE_BOX, vehicles=10, speed_px_s=8), START)

    findings = analyse_burst(frames, ZONES, empty_background).findings

    assert [(f.kind, f.zone_id) for f in findings] == [("queueing", "lane-east")]
    assert findings[0].magnitude >= 0.35
    assert findings[0].details["median_speed_px_s"] < 20


def test_given_sparse_free_flowing_traffic_then_no_queueing(street, empty_background):
    frames = as_frames(queue_burst(street, LANE_BOX, vehicles=2, speed_px_s=120, spacing_px=300), START)

    assert analyse_burst(frames, ZONES, empty_background).findings == []


@pytest.mark.parametrize("stored", [True, False])
def test_given_only_sensor_noise_then_there_are_no_findings(street, empty_background, stored):
    frames = as_frames(noise_burst(street, frames=8, amplitude=6, seed=3), START)

    analysis = analyse_burst(frames, ZONES, empty_background if stored else None)

    assert analysis.findings == []
    assert analysis.tracks == []


def test_given_a_thin_streak_sweeping_against_the_lane_then_it_is_not_taken_for_a_vehicle(street):
    """Rain streaks and swaying cables are a few pixels wide; the cleaning step drops them."""
    frames = as_frames(
        moving_object_burst(street, (450, 200), (-100, 0), (3, 70), colour=(255, 255, 255)), START
    )

    analysis = analyse_burst(frames, ZONES)

    assert analysis.findings == []
    assert analysis.tracks == []


def test_given_a_slightly_wrong_stored_background_then_repeated_bursts_pull_it_toward_the_scene(
    street, empty_background
):
    background = np.clip(empty_background.astype(np.int16) + 20, 0, 255).astype(np.uint8)
    errors = []
    for seed in range(10):
        errors.append(float(np.abs(background.astype(np.int16) - empty_background).mean()))
        frames = as_frames(noise_burst(street, seed=seed), START)
        background = analyse_burst(frames, ZONES, background).background

    assert all(later < earlier for earlier, later in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 5


def test_given_a_stale_stored_background_then_the_burst_median_replaces_it(street, empty_background):
    stale = 255 - empty_background  # e.g. the camera was turned to face another scene

    analysis = analyse_burst(stopping_car(street, 450, 370), ZONES, stale)

    assert analysis.stored_background_used is False
    assert analysis.findings == []
    assert np.abs(analysis.background.astype(np.int16) - empty_background).mean() < 3


def test_given_the_same_burst_twice_then_the_results_are_identical(street, empty_background):
    frames = as_frames(queue_burst(street, LANE_BOX, vehicles=10, speed_px_s=8), START)

    first = analyse_burst(frames, ZONES, empty_background)
    second = analyse_burst(frames, ZONES, empty_background)

    assert first.findings == second.findings and first.findings
    assert first.tracks == second.tracks
    assert np.array_equal(first.background, second.background)


def test_given_a_single_frame_then_there_are_no_findings_but_a_background_to_store(street):
    analysis = analyse_burst(as_frames([street], START), ZONES)

    assert analysis.findings == []
    assert analysis.background.shape == (120, 160) and analysis.background.dtype == np.uint8


def test_given_frames_out_of_time_order_then_the_burst_is_rejected(street):
    frames = as_frames([street, street], START)

    with pytest.raises(InvalidInput) as error:
        analyse_burst(frames[::-1], ZONES)

    assert error.value.code == "INVALID_BURST"
