"""Camera operations: read and configure a camera (its agency's staff; admins configure), and the
short-lived link to the image behind a camera event."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from chalicelib.gql.cameras.types import (
    CameraConfigInput,
    CameraConfigType,
    EventImageType,
    EvidencePhotoType,
    ModelManifestInput,
    ModelType,
    ModelUploadType,
    model_type,
)
from chalicelib.gql.context import Info
from chalicelib.services.cameras.configure_camera import configure_camera, read_camera
from chalicelib.services.cameras.event_image import event_image
from chalicelib.services.cameras.publish_model import activate_model, register_model
from chalicelib.services.response.evidence_photos import evidence_photos


@strawberry.type
class CameraQueries:
    @strawberry.field(description="A camera of your agency: location, models and zones.")
    def camera(
        self, info: Info, camera_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> CameraConfigType:
        context = info.context
        principal = context.signed_in()
        config = read_camera(str(camera_id), principal, context.container.devices, context.container.cameras)
        return CameraConfigType.from_domain(config)

    @strawberry.field(
        description="The image behind a camera event (OPERATIONAL and up): faces blurred, unless you are "
        "the owning agency at RESTRICTED. Every view is audited."
    )
    def event_image(self, info: Info, incident_id: strawberry.ID, event_id: strawberry.ID) -> EventImageType:
        context = info.context
        c = context.container
        image = event_image(
            str(incident_id), str(event_id), context.resolver, c.incidents, c.media, context.audit
        )
        return EventImageType(url=image.url, redacted=image.redacted, expires_in_s=image.expires_in_s)

    @strawberry.field(
        description="Field crews' photos of an incident (OPERATIONAL and up): faces blurred, unless you are "
        "the owning agency at RESTRICTED. Every view is audited."
    )
    def evidence_photos(self, info: Info, incident_id: strawberry.ID) -> list[EvidencePhotoType]:
        context = info.context
        c = context.container
        photos = evidence_photos(
            str(incident_id), context.resolver, c.incidents, c.tasks, c.media, context.audit
        )
        return [
            EvidencePhotoType(
                task_id=strawberry.ID(p.task_id),
                taken_by=p.taken_by,
                taken_at=p.taken_at,
                url=p.url,
                redacted=p.redacted,
            )
            for p in photos
        ]


@strawberry.type
class CameraMutations:
    @strawberry.mutation(
        description="Configure a camera of your agency (admins). Replaces the whole configuration."
    )
    def configure_camera(self, info: Info, input: CameraConfigInput) -> CameraConfigType:
        context = info.context
        principal = context.signed_in()
        config = configure_camera(
            str(input.camera_id),
            input.settings(),
            input.expected_version,
            principal,
            context.container.devices,
            context.container.cameras,
        )
        return CameraConfigType.from_domain(config)

    @strawberry.mutation(
        description="Register a model version (admins): stores its manifest and returns a presigned POST "
        "for the ONNX file. Versions are immutable."
    )
    def register_model(self, info: Info, input: ModelManifestInput) -> ModelUploadType:
        context = info.context
        upload = register_model(input.to_dict(), context.signed_in(), context.container.media)
        return ModelUploadType(model=model_type(upload.manifest), url=upload.url, fields=JSON(upload.fields))

    @strawberry.mutation(
        description="Make an uploaded model version the one cameras run (admins), once its SHA-256 matches."
    )
    def activate_model(self, info: Info, name: str, version: str) -> ModelType:
        context = info.context
        return model_type(activate_model(name, version, context.signed_in(), context.container.media))
