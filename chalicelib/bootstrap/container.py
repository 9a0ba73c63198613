"""The container: the adapters chosen from settings, and the dependencies of each use case built from
them on first use and kept for the container's life (`functools.cached_property`, the one way this
package caches; a test installs its own by assigning the attribute).

Entry points ask the container for a use case's dependencies and never assemble one themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Protocol

from chalicelib.domain.access.ports import AgencyDirectory, AuditLog, SharingRepository, TokenVerifier
from chalicelib.domain.cameras.ports import CameraRepository, DetectorRegistry, MediaStore
from chalicelib.domain.incidents.ports import IncidentRepository, NoteRepository, RoutingTable
from chalicelib.domain.response.ports import MutationLog, Outbox, TaskRepository
from chalicelib.domain.sensing.ports import (
    BaselineRepository,
    DeviceKeyring,
    DeviceRepository,
    NonceStore,
    ReadingQueue,
    ReadingStore,
)
from chalicelib.services.cursors import CursorCodec
from chalicelib.settings import Settings

if TYPE_CHECKING:  # the use cases' modules load with the first use case that needs them
    from chalicelib.domain.response.ports import (
        ActionLog,
        ActionQueue,
        Notifier,
        Timers,
        WebhookQueue,
        WebhookSender,
    )
    from chalicelib.services.cameras.analyse_upload import UploadDependencies
    from chalicelib.services.cameras.request_upload import UploadLimits
    from chalicelib.services.response.manage_tasks import TaskDependencies
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog
    from chalicelib.services.response.run_action import ResponseDependencies
    from chalicelib.services.sensing.ingest_readings import IngestDependencies
    from chalicelib.services.sensing.process_readings import ProcessDependencies


CURSOR_KEY_PURPOSE = "graphql-cursors"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Outbound(Protocol):
    """The adapters only some functions need, built on first use: AWS ones, or in-memory fakes."""

    def notifier(self, settings: Settings) -> Notifier: ...

    def timers(self, settings: Settings) -> Timers: ...

    def webhook_queue(self, settings: Settings) -> WebhookQueue: ...

    def action_log(self) -> ActionLog: ...

    def action_queue(self, settings: Settings) -> ActionQueue: ...

    def detectors(self, media: MediaStore, settings: Settings) -> DetectorRegistry: ...


@dataclass
class Container:
    settings: Settings
    devices: DeviceRepository
    nonces: NonceStore
    keyring: DeviceKeyring
    readings: ReadingStore
    baselines: BaselineRepository
    incidents: IncidentRepository
    routing: RoutingTable
    queue: ReadingQueue
    token_verifier: TokenVerifier
    sharing: SharingRepository
    tasks: TaskRepository
    notes: NoteRepository
    audit: AuditLog
    agencies: AgencyDirectory
    media: MediaStore
    cameras: CameraRepository
    mutations: MutationLog
    playbooks: PlaybookCatalog
    outbox: Outbox
    outbound: Outbound
    clock: Callable[[], datetime] = utc_now

    @cached_property
    def cursors(self) -> CursorCodec:
        keyring = self.keyring
        return CursorCodec(lambda: keyring.derive(CURSOR_KEY_PURPOSE))

    @cached_property
    def ingest(self) -> IngestDependencies:
        """Device authentication and the readings queue: POST readings and POST uploads."""
        from chalicelib.services.sensing.ingest_readings import IngestDependencies

        return IngestDependencies(self.devices, self.keyring, self.nonces, self.queue)

    @cached_property
    def upload_limits(self) -> UploadLimits:
        from chalicelib.services.cameras.request_upload import UploadLimits

        return UploadLimits(self.settings.upload_max_bytes, self.settings.upload_expiry_s)

    def processing(self) -> ProcessDependencies:
        """What processing a batch of readings needs, with the playbooks index as it is now."""
        from chalicelib.services.sensing.process_readings import ProcessDependencies

        s = self.settings
        return ProcessDependencies(
            self.devices,
            self.readings,
            self.baselines,
            self.incidents,
            self.routing,
            s.city_timezone,
            self.playbooks.index(),
        )

    @cached_property
    def task_deps(self) -> TaskDependencies:
        from chalicelib.services.response.manage_tasks import TaskDependencies

        return TaskDependencies(self.tasks, self.incidents, self.notes, self.media)

    @cached_property
    def webhook_queue(self) -> WebhookQueue:
        return self.outbound.webhook_queue(self.settings)

    @cached_property
    def action_queue(self) -> ActionQueue:
        return self.outbound.action_queue(self.settings)

    @cached_property
    def response(self) -> ResponseDependencies:
        """What the actions and timers functions need: notifier, timers, the webhooks queue, the log."""
        from chalicelib.services.response.run_action import ResponseDependencies

        return ResponseDependencies(
            incidents=self.incidents,
            tasks=self.tasks,
            notes=self.notes,
            sharing=self.sharing,
            task_deps=self.task_deps,
            notifier=self.outbound.notifier(self.settings),
            timers=self.outbound.timers(self.settings),
            webhooks=self.webhook_queue,
            log=self.outbound.action_log(),
            deep_link_base=self.settings.console_url,
        )

    @cached_property
    def webhook_sender(self) -> WebhookSender:
        """Signs with a secret per target, derived from the master key."""
        from chalicelib.adapters.webhook_sender import HttpWebhookSender

        keyring = self.keyring
        return HttpWebhookSender(lambda target: keyring.derive(f"webhook:{target}"))

    @cached_property
    def detectors(self) -> DetectorRegistry:
        return self.outbound.detectors(self.media, self.settings)

    @cached_property
    def inference(self) -> UploadDependencies:
        """What the inference function adds: Pillow, onnxruntime and the model registry (the API
        function never imports them)."""
        from chalicelib.adapters.vision.pillow_frames import DecodeLimits, decode_frames, encode_redacted
        from chalicelib.services.cameras.analyse_upload import UploadDependencies

        s = self.settings
        limits = DecodeLimits(max_bytes=s.upload_max_bytes, max_pixels=s.max_frame_pixels)
        return UploadDependencies(
            media=self.media,
            devices=self.devices,
            cameras=self.cameras,
            incidents=self.incidents,
            routing=self.routing,
            detectors=self.detectors,
            decode=partial(decode_frames, limits=limits),
            encode_redacted=encode_redacted,
            max_bytes=s.upload_max_bytes,
            tasks=self.tasks,
            playbooks=self.playbooks.index,
        )
