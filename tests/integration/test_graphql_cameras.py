"""Cameras through POST /graphql: admins configure their agency's cameras (zones validated, versions
checked); the image behind a camera event is the redacted derivative for everyone but the owner's
RESTRICTED staff, and each view is audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.access.sharing import SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.sensing.devices import Device
from tests.integration.test_graphql import NOW, answer, build_container, error_codes, incident, post, store

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations" / "console"
CONFIGURE = (OPERATIONS / "ConfigureCamera.graphql").read_text()
CAMERA = (OPERATIONS / "Camera.graphql").read_text()
EVENT_IMAGE = (OPERATIONS / "EventImage.graphql").read_text()
PLAZA = {
    "zoneId": "plaza",
    "purpose": "CROWD_AREA",
    "polygon": [[0, 0], [640, 0], [640, 480]],
    "capacity": 40,
}
LANE = {
    "zoneId": "lane-1",
    "purpose": "TRAFFIC_LANE",
    "polygon": [[0, 300], [640, 300], [640, 400], [0, 400]],
    "directionDeg": 180,
}


@pytest.fixture
def container(tmp_path: Path, signing_key: Any) -> Any:
    return build_container(tmp_path, signing_key)


@pytest.fixture
def cameras(container: Any) -> Any:
    container.devices.add(Device("cam-1", "camera", "police", 51.5, -0.12, "x"))
    container.devices.add(Device("aq-1", "air_quality", "police", 51.5, -0.12, "x"))
    return container


def configure(client: Any, bearer: str, **changes: Any) -> dict[str, Any]:
    settings = {
        "cameraId": "cam-1",
        "lat": 51.51,
        "lon": -0.11,
        "models": ["centerface"],
        "zones": [PLAZA, LANE],
    }
    return answer(post(client, CONFIGURE, bearer, input=settings | changes))


def test_given_an_admin_when_configuring_a_camera_then_it_is_stored_with_a_new_version(
    client, token, cameras
):
    admin = token("police", ("admin",))
    saved = configure(client, admin, expectedVersion=0)["data"]["configureCamera"]
    assert saved["version"] == 1
    assert [zone["zoneId"] for zone in saved["zones"]] == ["plaza", "lane-1"]
    read = answer(post(client, CAMERA, token("police", ("operator",)), id="cam-1"))["data"]["camera"]
    assert read["zones"][1] == {
        **LANE,
        "capacity": None,
        "directionDeg": 180.0,
        "polygon": [[0.0, 300.0], [640.0, 300.0], [640.0, 400.0], [0.0, 400.0]],
    }
    assert read["updatedBy"] == "police-admin"


def test_given_a_stale_version_when_configuring_then_conflict(client, token, cameras):
    admin = token("police", ("admin",))
    configure(client, admin, expectedVersion=0)
    body = configure(client, admin, expectedVersion=0)
    assert error_codes(body) == ["CONFLICT"]


@pytest.mark.parametrize(
    ("zones", "message"),
    [
        ([{**PLAZA, "capacity": None}], "zones[0].capacity"),
        ([{**LANE, "directionDeg": None}], "zones[0].directionDeg"),
        ([PLAZA, {**PLAZA, "polygon": [[0, 0], [1, 1]]}], "zones[1].polygon"),
        ([PLAZA, PLAZA], "unique"),
    ],
)
def test_given_a_bad_zone_when_configuring_then_the_error_names_it(client, token, cameras, zones, message):
    body = configure(client, token("police", ("admin",)), zones=zones)
    assert error_codes(body) == ["INVALID_ZONE"] or error_codes(body) == ["INVALID_CAMERA"]
    assert message in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("agency", "roles", "camera", "code"),
    [
        ("police", ("operator",), "cam-1", "FORBIDDEN"),
        ("transport", ("admin",), "cam-1", "UNKNOWN_CAMERA"),
        ("police", ("admin",), "aq-1", "UNKNOWN_CAMERA"),
    ],
)
def test_given_someone_other_than_the_cameras_admin_then_configuring_is_refused(
    client, token, cameras, agency, roles, camera, code
):
    assert error_codes(configure(client, token(agency, roles), cameraId=camera)) == [code]


def camera_incident(container: Any) -> tuple[str, str]:
    event = DetectionEvent(
        "evt-cam",
        "cam-1",
        "crowdDensity",
        Severity.HIGH,
        0.9,
        1.5,
        51.5,
        -0.12,
        NOW,
        "model",
        "people over capacity",
        {"people": 6, "media": {"frame": "uploads/cam-1/a.jpg", "redacted": "redacted/cam-1/a.jpg"}},
    )
    store(container, incident(1, "police", sub_category="crowdDensity", recent_events=[event]))
    return "inc-police-1", "evt-cam"


@pytest.mark.parametrize(
    ("agency", "roles", "redacted"),
    [("police", ("supervisor",), False), ("police", ("operator",), True), ("transport", ("operator",), True)],
)
def test_given_a_camera_event_then_only_the_owners_restricted_staff_get_the_original(
    client, token, cameras, agency, roles, redacted
):
    incident_id, event_id = camera_incident(cameras)
    cameras.sharing.put_policy(
        SharingPolicy("pol-1", "police", "transport", "security", None, AccessLevel.RESTRICTED), None
    )
    image = answer(post(client, EVENT_IMAGE, token(agency, roles), incidentId=incident_id, eventId=event_id))
    assert image["data"]["eventImage"]["redacted"] is redacted
    assert ("redacted/" in image["data"]["eventImage"]["url"]) is redacted
    viewed = [entry.fields for entry in cameras.audit.trail(incident_id, 10)]
    audited = not redacted or agency != "police"  # the original, or another agency's read
    assert viewed == (
        [("eventImage.original" if not redacted else "eventImage.redacted",)] if audited else []
    )


@pytest.mark.parametrize(("agency", "roles"), [("transport", ("operator",)), ("", ())])
def test_given_a_caller_below_operational_then_the_event_image_is_not_found(
    client, token, cameras, agency, roles
):
    incident_id, event_id = camera_incident(cameras)
    bearer = token(agency, roles) if agency else None
    body = answer(post(client, EVENT_IMAGE, bearer, incidentId=incident_id, eventId=event_id))
    assert error_codes(body) == ["NOT_FOUND"]
    assert "uploads/" not in str(body)
