"""The inference function against the emulated AWS: S3 → SQS notifications in real event shapes, the
prepared CenterFace model fetched from the bucket's registry, DynamoDB for cameras and incidents."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from chalicelib.bootstrap import build_aws_container, use_container
from chalicelib.domain.cameras.config import CameraConfig, Zone, ZonePurpose
from chalicelib.domain.principal import Principal, Role
from chalicelib.services.sensing.register_device import RegisterDevice, register_device
from functions.inference.handler import lambda_handler as inference_handler
from local.lambda_context import LocalLambdaContext
from local.lambda_events import sqs_event
from local.models import DEFAULT_MODELS_DIR, DEFAULT_TESTDATA_DIR
from local.seed import publish_models
from local.sqs_delivery import QueueBinding, deliver_batch

PHOTO = DEFAULT_TESTDATA_DIR / "astronaut.png"
FACE = (183, 51, 268, 183)  # where CenterFace finds the astronaut's face
ADMIN = Principal("admin", "police", frozenset({Role.ADMIN}))
pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODELS_DIR / "centerface" / "1" / "model.onnx").exists() or not PHOTO.exists(),
    reason="run `make models` first (make test does)",
)


@pytest.fixture
def container(aws, tmp_path: Path):
    built = build_aws_container(aws.settings)
    built.settings.__dict__["model_cache_dir"] = str(tmp_path / "models")
    built.routing.set_owner("crowdDensity", "police")
    register_device(
        RegisterDevice("cam-1", "camera", 51.5, -0.12, "police"), ADMIN, built.devices, built.keyring
    )
    register_device(
        RegisterDevice("aq-1", "air_quality", 51.5, -0.12, "police"), ADMIN, built.devices, built.keyring
    )
    publish_models(aws.settings)
    use_container(built)
    yield built
    use_container(None)


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def put(aws, key: str, body: bytes, content_type: str = "image/jpeg") -> None:
    aws.client("s3").put_object(
        Bucket=aws.settings.name("media"),
        Key=key,
        Body=body,
        ContentType=content_type,
        Metadata={"captured-at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
    )


def deliver(aws, max_messages: int = 10) -> tuple[dict, dict]:
    """Receive what S3 sent to the uploads queue and hand it to the function as Lambda would."""
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("uploads"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=max_messages, AttributeNames=["All"])
    event = sqs_event(messages.get("Messages", []), arn, "eu-west-2")
    return event, inference_handler(event, LocalLambdaContext("concord-inference", 120, "eu-west-2"))


def key_of(name: str, device: str = "cam-1", ext: str = "jpg") -> str:
    return f"uploads/{device}/2026/11/30/{name}.{ext}"


def read(aws, key: str) -> tuple[bytes, dict]:
    answer = aws.client("s3").get_object(Bucket=aws.settings.name("media"), Key=key)
    return answer["Body"].read(), answer["Metadata"]


def test_given_a_face_photo_when_uploaded_then_the_derivative_blurs_the_face_and_keeps_the_rest(
    aws, container
):
    original = Image.open(PHOTO).convert("RGB")
    put(aws, key_of("face"), jpeg(original))

    _, response = deliver(aws)

    assert response == {"batchItemFailures": []}
    body, metadata = read(aws, "redacted/cam-1/2026/11/30/face.jpg")
    assert metadata["faces"] == "1"
    redacted = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"), dtype=np.float64)
    source = np.asarray(original, dtype=np.float64)
    x1, y1, x2, y2 = FACE
    face_before, face_after = source[y1:y2, x1:x2], redacted[y1:y2, x1:x2]
    assert np.abs(face_after - face_before).mean() > 10
    assert np.abs(np.diff(face_after, axis=1)).mean() < 0.5 * np.abs(np.diff(face_before, axis=1)).mean()
    away = (slice(400, 500), slice(380, 500))  # the suit's lower part, far from the face
    assert np.abs(redacted[away] - source[away]).mean() < 4  # only JPEG re-encoding differs
    assert read(aws, key_of("face"))[0]  # the original stays where it was, for the owning agency


def test_given_a_crowd_over_capacity_then_an_incident_records_model_boxes_and_media(aws, container):
    container.cameras.save_config(
        CameraConfig(
            "cam-1",
            51.5,
            -0.12,
            ("centerface",),
            (Zone("plaza", ZonePurpose.CROWD_AREA, ((0, 0), (640, 0), (640, 480), (0, 480)), capacity=4),),
        ),
        None,
    )
    face = Image.open(PHOTO).convert("RGB").crop((150, 30, 300, 210)).resize((60, 72))
    canvas = Image.new("RGB", (640, 480), (90, 100, 110))
    for index in range(6):
        canvas.paste(face, (30 + index * 100, 150 + (index % 2) * 120))
    put(aws, key_of("crowd"), jpeg(canvas))

    deliver(aws)

    incidents = container.incidents.list_for_agency("police", None, None, 10, None).incidents
    crowd = [incident for incident in incidents if incident.sub_category == "crowdDensity"]
    assert len(crowd) == 1
    event = crowd[0].recent_events[0]
    assert event.details["people"] == 6 and event.details["capacity"] == 4
    assert event.details["model"] == {"name": "centerface", "version": "1"}
    assert len(event.details["boxes"]) == 6 and all(box["score"] >= 0.5 for box in event.details["boxes"])
    assert event.details["media"] == {
        "frame": key_of("crowd"),
        "redacted": "redacted/cam-1/2026/11/30/crowd.jpg",
    }


def test_given_the_same_s3_event_delivered_twice_then_one_event_is_recorded(aws, container):
    container.cameras.save_config(
        CameraConfig(
            "cam-1",
            51.5,
            -0.12,
            ("centerface",),
            (Zone("plaza", ZonePurpose.CROWD_AREA, ((0, 0), (512, 0), (512, 512), (0, 512)), capacity=1),),
        ),
        None,
    )
    put(aws, key_of("twice"), jpeg(Image.open(PHOTO).convert("RGB")))
    event, first = deliver(aws)

    second = inference_handler(event, LocalLambdaContext("concord-inference", 120, "eu-west-2"))

    assert first == second == {"batchItemFailures": []}
    incidents = container.incidents.list_for_agency("police", None, None, 10, None).incidents
    assert [incident.event_count for incident in incidents] == [1]


@pytest.mark.parametrize(
    ("key", "body", "content_type", "reason"),
    [
        (key_of("text"), b"this is not an image", "image/jpeg", "NOT_AN_IMAGE"),
        (key_of("empty"), b"", "image/jpeg", "EMPTY_OBJECT"),
        (key_of("gif", ext="gif"), b"GIF89a....", "image/gif", "UNSUPPORTED_TYPE"),
        (key_of("stranger", device="nobody"), b"\xff\xd8\xff", "image/jpeg", "UNKNOWN_DEVICE"),
        (key_of("sensor", device="aq-1"), b"\xff\xd8\xff", "image/jpeg", "UNKNOWN_DEVICE"),
    ],
)
def test_given_bad_input_then_it_is_quarantined_with_its_reason_and_the_batch_succeeds(
    aws, container, key, body, content_type, reason
):
    put(aws, key, body, content_type)
    good = jpeg(Image.open(PHOTO).convert("RGB"))
    put(aws, key_of("good"), good)

    _, response = deliver(aws)

    assert response == {"batchItemFailures": []}
    _, metadata = read(aws, "quarantine/" + key.removeprefix("uploads/"))
    assert metadata["reason"] == reason
    assert read(aws, "redacted/cam-1/2026/11/30/good.jpg")[0]  # the rest of the batch went on
    with pytest.raises(aws.client("s3").exceptions.NoSuchKey):
        read(aws, key)


def test_given_a_truncated_jpeg_then_it_is_quarantined_as_truncated(aws, container):
    whole = jpeg(Image.open(PHOTO).convert("RGB"))
    put(aws, key_of("cut"), whole[: len(whole) // 2])

    deliver(aws)

    assert read(aws, "quarantine/cam-1/2026/11/30/cut.jpg")[1]["reason"] == "TRUNCATED_IMAGE"


def test_given_a_message_that_is_not_an_s3_notification_then_only_it_fails_and_goes_back_to_the_queue(
    aws, container
):
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("uploads"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="{not json")
    put(aws, key_of("fine"), jpeg(Image.open(PHOTO).convert("RGB")))

    event, response = deliver(aws)

    poison = next(r["messageId"] for r in event["Records"] if r["body"] == "{not json")
    assert response == {"batchItemFailures": [{"itemIdentifier": poison}]}
    assert read(aws, "redacted/cam-1/2026/11/30/fine.jpg")[0]


def test_given_a_poison_message_when_it_keeps_failing_then_after_five_receives_it_is_in_the_dead_letter_queue(
    aws, container
):
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("uploads"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})  # retry at once
    deliver(aws)  # the s3:TestEvent of the new notification, if any
    sqs.send_message(QueueUrl=url, MessageBody="not an S3 notification")
    binding = QueueBinding("uploads", url, arn, 5, 120, "concord-inference", inference_handler)

    retried = [deliver_batch(sqs, binding, "eu-west-2").retried for _ in range(6)]

    assert [len(ids) for ids in retried] == [1, 1, 1, 1, 1, 0]
    dlq = sqs.get_queue_url(QueueName=aws.settings.name("uploads") + "-dlq")["QueueUrl"]
    dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert [message["Body"] for message in dead] == ["not an S3 notification"]
