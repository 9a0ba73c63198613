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


@strawberry.type
class CameraQueries:
    @strawberry.field(description="A camera of your agency: location, models and zones.")
    def camera(
        self, info: Info, camera_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> CameraConfigType:
        context = info.context
        context.signed_in()
        config = context.use.camera(str(camera_id))
        return CameraConfigType.from_domain(config)

    @strawberry.field(
        description="The image behind a camera event (OPERATIONAL and up): faces blurred, unless you are "
        "the owning agency at RESTRICTED. Every view is audited."
    )
    def event_image(self, info: Info, incident_id: strawberry.ID, event_id: strawberry.ID) -> EventImageType:
        context = info.context
        image = context.use.event_image(str(incident_id), str(event_id))
        return EventImageType(url=image.url, redacted=image.redacted, expires_in_s=image.expires_in_s)

    @strawberry.field(
        description="Field crews' photos of an incident (OPERATIONAL and up): faces blurred, unless you are "
        "the owning agency at RESTRICTED. Every view is audited."
    )
    def evidence_photos(self, info: Info, incident_id: strawberry.ID) -> list[EvidencePhotoType]:
        context = info.context
        photos = context.use.evidence_photos(str(incident_id))
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
        context.signed_in()
        config = context.use.configure_camera(str(input.camera_id), input.settings(), input.expected_version)
        return CameraConfigType.from_domain(config)

    @strawberry.mutation(
        description="Register a model version (admins): stores its manifest and returns a presigned POST "
        "for the ONNX file. Versions are immutable."
    )
    def register_model(self, info: Info, input: ModelManifestInput) -> ModelUploadType:
        context = info.context
        context.signed_in()
        upload = context.use.register_model(input.to_dict())
        return ModelUploadType(model=model_type(upload.manifest), url=upload.url, fields=JSON(upload.fields))

    @strawberry.mutation(
        description="Make an uploaded model version the one cameras run (admins), once its SHA-256 matches."
    )
    def activate_model(self, info: Info, name: str, version: str) -> ModelType:
        context = info.context
        context.signed_in()
        return model_type(context.use.activate_model(name, version))
