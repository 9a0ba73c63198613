"""Validation of reading batches: each bad reading is rejected with a code, the good ones are kept."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.sensing.readings import MAX_READINGS_PER_BATCH, parse_batch

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def reading(**overrides):
    base = {"metric": "pm2_5", "value": 180.0, "unit": "ug/m3", "observed_at": "2026-11-22T09:59:00Z"}
    return {**base, **overrides}


def codes(payload):
    _, rejected = parse_batch(payload, "aq-001", NOW)
    return [r.code for r in rejected]


def test_given_a_valid_reading_when_parsed_then_it_is_accepted_with_its_unit_and_utc_time():
    accepted, rejected = parse_batch({"readings": [reading()]}, "aq-001", NOW)
    assert rejected == []
    assert accepted[0].metric == "pm2_5"
    assert accepted[0].value == 180.0
    assert accepted[0].observed_at == datetime(2026, 11, 22, 9, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (reading(value="180"), "INVALID_VALUE"),
        (reading(value=True), "INVALID_VALUE"),
        (reading(value=float("nan")), "INVALID_VALUE"),
        (reading(value=float("inf")), "INVALID_VALUE"),
        (reading(value=-1.0), "OUT_OF_RANGE"),
        (reading(value=1001.0), "OUT_OF_RANGE"),
        (reading(unit="ppm"), "UNIT_MISMATCH"),
        (reading(metric="radon"), "UNKNOWN_METRIC"),
        (reading(observed_at="yesterday"), "INVALID_TIMESTAMP"),
        (reading(observed_at="2026-11-22T09:59:00"), "INVALID_TIMESTAMP"),
        (reading(observed_at=1763805540), "INVALID_TIMESTAMP"),
        (reading(observed_at="2026-11-22T10:05:01Z"), "TIMESTAMP_IN_FUTURE"),
        (reading(observed_at="2026-11-15T09:59:59Z"), "TIMESTAMP_TOO_OLD"),
        ("not an object", "INVALID_READING"),
    ],
)
def test_given_a_bad_reading_when_parsed_then_only_it_is_rejected_with_a_code(item, code):
    accepted, rejected = parse_batch(
        {"readings": [reading(observed_at="2026-11-22T09:00:00Z"), item]}, "d", NOW
    )
    assert [r.code for r in rejected] == [code]
    assert rejected[0].index == 1
    assert rejected[0].message
    assert len(accepted) == 1


def test_given_a_timestamp_just_inside_the_limits_when_parsed_then_it_is_accepted():
    inside = [
        reading(observed_at=(NOW + timedelta(minutes=5)).isoformat()),
        reading(observed_at=(NOW - timedelta(days=7) + timedelta(seconds=1)).isoformat()),
    ]
    assert codes({"readings": inside}) == []


def test_given_an_alias_unit_when_parsed_then_the_canonical_unit_is_stored():
    accepted, _ = parse_batch({"readings": [reading(unit="µg/m³")]}, "aq-001", NOW)
    assert accepted[0].unit == "ug/m3"


def test_given_the_same_reading_twice_in_a_batch_then_the_second_is_rejected():
    assert codes({"readings": [reading(), reading()]}) == ["DUPLICATE_READING"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ([], "INVALID_BODY"),
        ({"readings": "x"}, "INVALID_BODY"),
        ({"readings": []}, "EMPTY_BATCH"),
        ({"readings": [reading()] * (MAX_READINGS_PER_BATCH + 1)}, "TOO_MANY_READINGS"),
    ],
)
def test_given_an_unusable_batch_then_the_whole_request_is_refused(payload, code):
    with pytest.raises(InvalidInput) as refused:
        parse_batch(payload, "aq-001", NOW)
    assert refused.value.code == code
