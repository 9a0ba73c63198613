"""Known answers for both signature schemes, read literally from the docs: the device request signature
(docs/devices.md) and the webhook signature X-Concord-Signature (docs/playbooks.md). Each worked example
is checked three ways: the digest printed in the doc equals an independent HMAC written here from the
doc's description, equals what Concord's signer produces, and is what the doc's own client code computes
or accepts. A changed signing format, or a doc that drifts from the code, fails here."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import shutil
import subprocess
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.response.webhooks import sign_webhook, verify_webhook
from chalicelib.domain.sensing.devices import SignedRequest, sign, verify_signature

DOCS = Path(__file__).resolve().parents[2] / "docs"


def blocks(doc: str, language: str, after: str = "") -> list[str]:
    """The ```language code blocks of a doc, from the heading or text `after` on."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    text = text[text.index(after) :] if after else text
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def worked_example(doc: str, after: str) -> dict[str, str]:
    """The `name: value` lines of the first ```text block after `after`."""
    lines = blocks(doc, "text", after)[0].splitlines()
    return {name.strip(): value.strip() for name, _, value in (line.partition(":") for line in lines)}


DEVICE = worked_example("devices.md", "### Worked example")
WEBHOOK = worked_example("playbooks.md", "## Receiving webhooks")


def test_given_the_device_worked_example_then_an_independent_hmac_gives_the_printed_digests():
    body = DEVICE["body"].encode()
    body_hash = hashlib.sha256(body).hexdigest()
    canonical = "\n".join([DEVICE["method"], DEVICE["path"], DEVICE["timestamp"], DEVICE["nonce"], body_hash])

    signature = hmac.new(bytes.fromhex(DEVICE["secret"]), canonical.encode(), hashlib.sha256).hexdigest()

    assert (body_hash, signature) == (DEVICE["body hash"], DEVICE["signature"])


def test_given_the_device_worked_example_then_concords_signer_gives_the_printed_signature_and_accepts_it():
    secret, body = bytes.fromhex(DEVICE["secret"]), DEVICE["body"].encode()
    fields = (DEVICE["method"], DEVICE["path"], DEVICE["timestamp"], DEVICE["nonce"])

    assert sign(secret, *fields, body) == DEVICE["signature"]
    request = SignedRequest(*fields, signature=DEVICE["signature"], body=body)
    verify_signature(request, secret, datetime.fromtimestamp(int(DEVICE["timestamp"]), UTC))


def test_given_the_device_worked_example_then_its_body_is_the_documented_request_body():
    request = blocks("devices.md", "", "## The request")[0]

    assert request.strip().splitlines()[-1] == DEVICE["body"]
    assert f"X-Concord-Timestamp: {DEVICE['timestamp']}" in request
    assert f"X-Concord-Nonce: {DEVICE['nonce']}" in request


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the shell client needs openssl")
def test_given_the_docs_shell_client_at_the_example_time_and_nonce_then_it_sends_the_printed_signature():
    script = blocks("devices.md", "sh", "### Shell client")[0]
    fixed = script.replace("TS=$(date +%s)", f"TS={DEVICE['timestamp']}").replace(
        "N=$(openssl rand -hex 16)", f"N={DEVICE['nonce']}"
    )
    assert fixed != script and fixed.count(DEVICE["nonce"]) == 1, "the shell client changed shape"

    sent = subprocess.run(
        ["bash", "-c", 'curl() { printf "%s" "$SIG"; }\n' + fixed],
        env={"SECRET": DEVICE["secret"], "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )

    assert sent.stdout == DEVICE["signature"]


def test_given_the_docs_python_client_then_concord_accepts_the_request_it_sends(monkeypatch):
    sent: list[urllib.request.Request] = []

    def urlopen(request: urllib.request.Request) -> Any:
        sent.append(request)
        return io.BytesIO(b'{"accepted": 1}')

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(time, "time", lambda: float(DEVICE["timestamp"]))
    namespace: dict[str, Any] = {}
    exec(blocks("devices.md", "python", "### Python client")[0], namespace)  # noqa: S102 - the doc's code
    readings = json.loads(DEVICE["body"])["readings"]

    answer = namespace["send"]("https://concord.example", "aq-001", DEVICE["secret"], readings)

    [request] = sent
    headers = {name.lower(): value for name, value in request.header_items()}
    assert answer == {"accepted": 1} and request.full_url == "https://concord.example" + DEVICE["path"]
    signed = SignedRequest(
        "POST",
        DEVICE["path"],
        headers["x-concord-timestamp"],
        headers["x-concord-nonce"],
        headers["x-concord-signature"],
        request.data,  # type: ignore[arg-type]
    )
    verify_signature(signed, bytes.fromhex(DEVICE["secret"]), datetime.fromtimestamp(time.time(), UTC))
    assert headers["x-concord-signature"] == sign(
        bytes.fromhex(DEVICE["secret"]),
        "POST",
        DEVICE["path"],
        DEVICE["timestamp"],
        headers["x-concord-nonce"],
        request.data,  # type: ignore[arg-type]
    )


def test_given_the_webhook_worked_example_then_an_independent_hmac_gives_the_printed_header():
    timestamp, body = WEBHOOK["timestamp"], WEBHOOK["body"].encode()

    digest = hmac.new(bytes.fromhex(WEBHOOK["secret"]), f"{timestamp}.".encode() + body, hashlib.sha256)

    assert f"t={timestamp},v1={digest.hexdigest()}" == WEBHOOK["header"]


def test_given_the_webhook_worked_example_then_concords_signer_gives_the_printed_header_and_accepts_it():
    secret, timestamp, body = bytes.fromhex(WEBHOOK["secret"]), int(WEBHOOK["timestamp"]), WEBHOOK["body"]

    assert sign_webhook(secret, timestamp, body.encode()) == WEBHOOK["header"]
    assert verify_webhook(secret, WEBHOOK["header"], body.encode(), float(timestamp))


def test_given_the_docs_receiver_check_then_it_accepts_the_example_and_refuses_a_changed_one():
    namespace: dict[str, Any] = {}
    exec(blocks("playbooks.md", "python", "## Receiving webhooks")[0], namespace)  # noqa: S102
    verify = namespace["verify"]
    secret, header, body = bytes.fromhex(WEBHOOK["secret"]), WEBHOOK["header"], WEBHOOK["body"].encode()
    now = float(WEBHOOK["timestamp"])

    assert verify(secret, header, body, now)
    assert not verify(secret, header, body.replace(b"environment", b"transport"), now)
    assert not verify(secret, header, body, now + 301)
    assert not verify(b"\x00" * 32, header, body, now)
    assert verify(secret, sign_webhook(secret, int(now) + 60, body), body, now + 60)
