"""Device request signatures: HMAC over the canonical string, fresh timestamp, well-formed nonce."""

from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import AuthenticationFailed
from chalicelib.domain.sensing.devices import SignedRequest, sign, verify_signature

SECRET = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = str(int(NOW.timestamp()))
BODY = b'{"readings":[]}'
PATH = "/v1/devices/aq-001/readings"


def signed(**overrides):
    fields = {"method": "POST", "path": PATH, "timestamp": TS, "nonce": "n" * 16, "body": BODY}
    fields["signature"] = sign(SECRET, "POST", PATH, TS, "n" * 16, BODY)
    return SignedRequest(**{**fields, **overrides})


def test_given_a_correct_signature_when_verified_then_it_passes():
    verify_signature(signed(), SECRET, NOW)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"body": b'{"readings":[1]}'}, "BAD_SIGNATURE"),
        ({"path": "/v1/devices/other/readings"}, "BAD_SIGNATURE"),
        ({"nonce": "m" * 16}, "BAD_SIGNATURE"),
        ({"signature": "0" * 64}, "BAD_SIGNATURE"),
        ({"timestamp": str(int(NOW.timestamp()) - 301)}, "CLOCK_SKEW"),
        ({"timestamp": str(int(NOW.timestamp()) + 301)}, "CLOCK_SKEW"),
        ({"timestamp": "ten o'clock"}, "INVALID_TIMESTAMP"),
        ({"nonce": "short"}, "INVALID_NONCE"),
        ({"signature": None}, "MISSING_SIGNATURE"),
    ],
)
def test_given_a_tampered_or_stale_request_when_verified_then_it_is_refused(overrides, code):
    with pytest.raises(AuthenticationFailed) as refused:
        verify_signature(signed(**overrides), SECRET, NOW)
    assert refused.value.code == code


def test_given_a_signature_from_another_secret_then_it_is_refused():
    with pytest.raises(AuthenticationFailed):
        verify_signature(signed(), b"another secret", NOW)
