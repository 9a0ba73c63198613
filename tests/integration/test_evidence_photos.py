"""A crew's photo becomes evidence: uploaded under evidence/, faces blurred into redacted/evidence/ by
the inference function (real CenterFace, emulated S3 → SQS), and listed by the rule of evidence."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from chalicelib.adapters.dynamodb.incidents.incidents import incident_to_item
from chalicelib.bootstrap import build_aws_container, use_container
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role
from chalicelib.services.response.manage_tasks import (
    NewTask,
    TaskDependencies,
    create_task,
    request_photo_upload,
)
from local.models import DEFAULT_MODELS_DIR, DEFAULT_TESTDATA_DIR
from local.seed import publish_models
from tests.integration.test_graphql import answer, build_container, error_codes, post
from tests.integration.test_inference_function import deliver, read

PHOTO = DEFAULT_TESTDATA_DIR / "astronaut.png"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CREW = Principal("crew-member", "utilities", frozenset({Role.FIELD_CREW}), crew_id="crew-7")
EVIDENCE = "query ($id: ID!) { evidencePhotos(incidentId: $id) { taskId takenBy url redacted } }"
needs_model = pytest.mark.skipif(
    not (DEFAULT_MODELS_DIR / "centerface" / "1" / "model.onnx").exists() or not PHOTO.exists(),
    reason="run `make models` first (make test does)",
)


def flood() -> Incident:
    return Incident(
        "inc-flood", "utilities", "flood", IncidentStatus.OPEN, Severity.HIGH, 0.9, "Flood", 51.5, -0.12,
        "88194ad30dfffff", NOW, NOW, 1, 200.0,
    )  # fmt: skip


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.open(PHOTO).convert("RGB").save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def with_task(container: Any) -> tuple[TaskDependencies, str]:
    deps = TaskDependencies(container.tasks, container.incidents, container.notes, container.media)
    task = create_task(
        NewTask("inc-flood", "utilities", "Barriers", 30, "crew-7", task_id="tsk-1"), "test", deps, NOW
    )
    return deps, task.task_id


@needs_model
def test_given_a_crew_photo_uploaded_then_its_faces_are_blurred_into_the_evidence_derivative(
    aws, tmp_path: Path
):
    container = build_aws_container(aws.settings)
    container.settings.__dict__["model_cache_dir"] = str(tmp_path / "models")
    incident_to_item(flood(), None).save()
    deps, task_id = with_task(container)
    publish_models(aws.settings)
    use_container(container)
    try:
        _, key, _ = request_photo_upload(task_id, "image/jpeg", 1, None, CREW, deps, NOW)
        aws.client("s3").put_object(
            Bucket=aws.settings.name("media"), Key=key, Body=jpeg(), ContentType="image/jpeg"
        )
        stray = "evidence/inc-flood/tsk-unknown/x.jpg"
        aws.client("s3").put_object(
            Bucket=aws.settings.name("media"), Key=stray, Body=jpeg(), ContentType="image/jpeg"
        )

        _, response = deliver(aws)
    finally:
        use_container(None)

    assert response == {"batchItemFailures": []}
    body, metadata = read(aws, "redacted/" + key)
    assert metadata["faces"] == "1"
    face = (slice(51, 183), slice(183, 268))
    before = np.asarray(Image.open(PHOTO).convert("RGB"), dtype=float)[face]
    after = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"), dtype=float)[face]
    assert np.abs(np.diff(after, axis=1)).mean() < 0.5 * np.abs(np.diff(before, axis=1)).mean()
    assert read(aws, "quarantine/evidence/inc-flood/tsk-unknown/x.jpg")[1]["reason"] == "UNKNOWN_TASK"


@pytest.fixture
def container(tmp_path: Path, signing_key: Any) -> Any:
    built = build_container(tmp_path, signing_key)
    built.incidents.put(flood())
    return built


def photographed(container: Any, redacted: bool) -> str:
    deps, task_id = with_task(container)
    _, key, _ = request_photo_upload(task_id, "image/jpeg", 1, None, CREW, deps, NOW)
    container.media.write(key, b"original", "image/jpeg", {})
    if redacted:
        container.media.write("redacted/" + key, b"blurred", "image/jpeg", {})
    return key


@pytest.mark.parametrize(
    ("roles", "redacted"), [(("supervisor",), False), (("operator",), True)], ids=["supervisor", "operator"]
)
def test_given_a_field_photo_then_only_the_owners_restricted_staff_get_the_original(
    client, token, container, roles, redacted
):
    key = photographed(container, redacted=True)
    [photo] = answer(post(client, EVIDENCE, token("utilities", roles), id="inc-flood"))["data"][
        "evidencePhotos"
    ]
    assert (photo["taskId"], photo["takenBy"], photo["redacted"]) == ("tsk-1", "crew-member", redacted)
    assert ("redacted/" + key if redacted else key) in photo["url"]


def test_given_a_photo_not_yet_redacted_then_only_the_original_holders_see_it(client, token, container):
    photographed(container, redacted=False)
    assert (
        answer(post(client, EVIDENCE, token("utilities", ("operator",)), id="inc-flood"))["data"][
            "evidencePhotos"
        ]
        == []
    )
    assert (
        len(
            answer(post(client, EVIDENCE, token("utilities", ("supervisor",)), id="inc-flood"))["data"][
                "evidencePhotos"
            ]
        )
        == 1
    )


def test_given_another_agency_without_access_then_the_evidence_is_not_found(client, token, container):
    photographed(container, redacted=True)
    body = answer(post(client, EVIDENCE, token("transport", ("operator",)), id="inc-flood"))
    assert error_codes(body) == ["NOT_FOUND"] and "evidence/" not in str(body)
