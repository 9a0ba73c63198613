"""Camera configuration: zones validated with the field at fault named; polygons contain points."""

from __future__ import annotations

import pytest

from chalicelib.domain.cameras.config import CameraConfig, Zone, ZonePurpose, validate_camera
from chalicelib.domain.errors import InvalidInput

SQUARE = [[0, 0], [100, 0], [100, 100], [0, 100]]


def zone(**changes: object) -> dict[str, object]:
    return {"zone_id": "z1", "purpose": "crowd_area", "polygon": SQUARE, "capacity": 10} | changes


def test_given_a_valid_configuration_then_it_round_trips_through_its_stored_form() -> None:
    lane = zone(zone_id="lane", purpose="traffic_lane", capacity=None, direction_deg=-90)
    config = validate_camera("cam-1", 51.5, -0.1, ["centerface"], [zone(), lane])
    assert config.zones[1].direction_deg == 270.0
    assert config.zones[1].capacity is None
    assert CameraConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    ("zones", "fragment"),
    [
        ([zone(purpose="parking")], "zones[0].purpose"),
        ([zone(capacity=0)], "zones[0].capacity"),
        ([zone(capacity=True)], "zones[0].capacity"),
        ([zone(purpose="traffic_lane")], "zones[0].directionDeg"),
        ([zone(polygon=[[0, 0], [1, 1]])], "zones[0].polygon must have 3"),
        ([zone(polygon=[[0, 0], [50, 50], [100, 100]])], "no area"),
        ([zone(polygon=[[0, 0], [10, 0], [-1, 5]])], "zones[0].polygon[2]"),
        ([zone(zone_id="has space")], "zones[0].zoneId"),
        ([zone(), zone()], "unique"),
    ],
)
def test_given_a_bad_zone_then_the_error_names_the_field(zones: list[object], fragment: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_camera("cam-1", 51.5, -0.1, ["centerface"], zones)
    assert fragment in raised.value.message


@pytest.mark.parametrize(
    ("lat", "lon", "models"),
    [(91, 0, []), (0, 181, []), (0, 0, ["a", "a"]), (0, 0, ["a", "b", "c", "d", "e"]), (0, 0, ["bad name"])],
)
def test_given_a_bad_location_or_model_list_then_invalid_camera(
    lat: float, lon: float, models: list[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_camera("cam-1", lat, lon, models, [])
    assert raised.value.code == "INVALID_CAMERA"


def test_given_a_concave_polygon_then_points_in_its_notch_are_outside() -> None:
    l_shape = Zone("l", ZonePurpose.NO_STOPPING, ((0, 0), (100, 0), (100, 40), (40, 40), (40, 100), (0, 100)))
    assert l_shape.contains(20, 80)
    assert not l_shape.contains(80, 80)
    assert l_shape.contains(80, 20)
