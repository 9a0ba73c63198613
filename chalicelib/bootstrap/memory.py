"""In-memory adapters with the same contracts: unit tests and the in-memory benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.bootstrap.container import Container, utc_now
from chalicelib.domain.access.ports import TokenVerifier
from chalicelib.settings import Settings

if TYPE_CHECKING:
    from chalicelib.adapters.memory.notifications import MemoryNotifier
    from chalicelib.adapters.memory.queues import MemoryActionQueue, MemoryWebhookQueue
    from chalicelib.adapters.memory.response import MemoryActionLog
    from chalicelib.adapters.memory.timers import MemoryTimerScheduler
    from chalicelib.domain.cameras.ports import DetectorRegistry, MediaStore


class MemoryOutbound:
    """What would have been published, scheduled or queued, kept for tests to read. Detectors come
    from the model registry over the in-memory bucket, as in AWS."""

    def notifier(self, settings: Settings) -> MemoryNotifier:
        from chalicelib.adapters.memory.notifications import MemoryNotifier

        return MemoryNotifier()

    def timers(self, settings: Settings) -> MemoryTimerScheduler:
        from chalicelib.adapters.memory.timers import MemoryTimerScheduler

        return MemoryTimerScheduler()

    def webhook_queue(self, settings: Settings) -> MemoryWebhookQueue:
        from chalicelib.adapters.memory.queues import MemoryWebhookQueue

        return MemoryWebhookQueue()

    def action_log(self) -> MemoryActionLog:
        from chalicelib.adapters.memory.response import MemoryActionLog

        return MemoryActionLog()

    def action_queue(self, settings: Settings) -> MemoryActionQueue:
        from chalicelib.adapters.memory.queues import MemoryActionQueue

        return MemoryActionQueue()

    def detectors(self, media: MediaStore, settings: Settings) -> DetectorRegistry:
        from chalicelib.adapters.vision.model_registry import ModelRegistry

        return ModelRegistry(media.read, settings.model_cache_dir, settings.inference_threads)


def build_memory_container(
    settings: Settings | None = None,
    token_verifier: TokenVerifier | None = None,
    clock: Callable[[], datetime] = utc_now,
    routing: dict[str, str] | None = None,
    master_key: bytes = b"in-memory master key for tests only",
) -> Container:
    from chalicelib.adapters import memory
    from chalicelib.adapters.keyring import DerivedKeyring
    from chalicelib.adapters.memory.access import DEMO_AGENCIES, StaticAgencyDirectory
    from chalicelib.adapters.token_verifiers import RejectingTokenVerifier
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog

    incidents = memory.MemoryIncidentRepository()
    return Container(
        settings=settings or Settings(),
        devices=memory.MemoryDeviceRepository(),
        nonces=memory.MemoryNonceStore(),
        keyring=DerivedKeyring(master_key),
        readings=memory.MemoryReadingStore(),
        baselines=memory.MemoryBaselineRepository(),
        incidents=incidents,
        routing=memory.MemoryRoutingTable(routing),
        queue=memory.MemoryReadingQueue(),
        token_verifier=token_verifier or RejectingTokenVerifier(),
        sharing=memory.MemorySharingRepository(),
        tasks=memory.MemoryTaskRepository(incidents),
        notes=memory.MemoryNoteRepository(),
        audit=memory.MemoryAuditLog(),
        agencies=StaticAgencyDirectory(DEMO_AGENCIES),
        media=memory.MemoryMediaStore(),
        cameras=memory.MemoryCameraRepository(),
        mutations=memory.MemoryMutationLog(),
        playbooks=PlaybookCatalog(memory.MemoryPlaybookRepository()),
        outbox=incidents,
        outbound=MemoryOutbound(),
        clock=clock,
    )
