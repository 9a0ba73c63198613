"""Media keys: what one part of the system builds, the others parse (domain/cameras/media_keys.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.cameras.media_keys import (
    EVIDENCE_KEY,
    UPLOAD_KEY,
    evidence_key,
    quarantine_key_of,
    redacted_key_of,
    upload_key,
)

CAPTURED = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)


def test_given_a_camera_capture_then_its_key_is_an_upload_of_that_camera_on_that_day() -> None:
    key = upload_key("cam-9", CAPTURED, "image/webp", "abc123")

    assert key == "uploads/cam-9/2026/11/30/abc123.webp"
    match = UPLOAD_KEY.match(key)
    assert match is not None and match["device"] == "cam-9"


def test_given_an_upload_then_its_derivative_and_quarantine_keep_its_path() -> None:
    key = upload_key("cam-9", CAPTURED, "image/png", "abc123")

    assert redacted_key_of(key, "image/png") == "redacted/cam-9/2026/11/30/abc123.png"
    assert redacted_key_of(key, "image/webp", frames=4) == "redacted/cam-9/2026/11/30/abc123.webp"
    assert quarantine_key_of(key) == "quarantine/cam-9/2026/11/30/abc123.png"


def test_given_a_crews_photo_then_its_key_names_the_incident_and_the_task() -> None:
    key = evidence_key("inc-1", "tsk_7", "image/jpeg", "abc123")

    match = EVIDENCE_KEY.match(key)
    assert match is not None and (match["incident"], match["task"]) == ("inc-1", "tsk_7")
    assert redacted_key_of(key, "image/jpeg") == "redacted/evidence/inc-1/tsk_7/abc123.jpg"
