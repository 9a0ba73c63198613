"""The one place that builds adapters from settings and hands them to services."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access.principal import Principal
from chalicelib.domain.access.records import Agency
from chalicelib.domain.errors import AuthenticationFailed
from chalicelib.domain.ports import (
    AgencyDirectory,
    AuditLog,
    BaselineRepository,
    CameraRepository,
    DetectorRegistry,
    DeviceKeyring,
    DeviceRepository,
    IncidentRepository,
    MediaStore,
    MutationLog,
    NonceStore,
    NoteRepository,
    Outbox,
    ReadingQueue,
    ReadingStore,
    RoutingTable,
    SharingRepository,
    TaskRepository,
    TokenVerifier,
)
from chalicelib.services.cursors import CursorCodec
from chalicelib.settings import Settings, current_settings

if TYPE_CHECKING:
    from chalicelib.services.cameras.analyse_upload import UploadDependencies
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog
    from chalicelib.services.response.run_action import ResponseDependencies


def utc_now() -> datetime:
    return datetime.now(UTC)


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
    cursors: CursorCodec
    media: MediaStore
    cameras: CameraRepository
    mutations: MutationLog
    playbooks: PlaybookCatalog
    outbox: Outbox
    response: ResponseDependencies | None = None  # None: built on first use from settings (AWS)
    detectors: DetectorRegistry | None = None  # None: the model registry in the media bucket
    clock: Callable[[], datetime] = utc_now


class LazyClient:
    """A botocore client built on first use: a cold start pays only for the clients its request needs."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = self._factory()
        return getattr(self._client, name)


@functools.cache
def _botocore_session() -> Any:
    from botocore.session import get_session

    return get_session()


def aws_client(settings: Settings, service: str) -> LazyClient:
    """A botocore client for `service`, in the settings' region and endpoint, built on first use; one
    botocore session per process. botocore directly, not boto3: boto3 adds about 100 ms of imports
    (s3transfer) to every cold start."""
    return LazyClient(
        lambda: _botocore_session().create_client(
            service, region_name=settings.region, endpoint_url=settings.endpoint_url
        )
    )


class JwksTokenVerifierOnFirstUse:
    """Imports PyJWT and cryptography (about 50 ms) only when a token is first verified: device
    requests never pay for them."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._verifier: TokenVerifier | None = None

    def verify(self, token: str) -> Principal:
        if self._verifier is None:
            from chalicelib.adapters.jwt_verifier import JwksTokenVerifier

            s = self._settings
            self._verifier = JwksTokenVerifier(s.jwks_url, s.jwt_issuer, s.jwt_audience)
        return self._verifier.verify(token)


def build_aws_container(settings: Settings) -> Container:
    """Adapters talking to AWS (or to the embedded stack when settings.endpoint_url is set)."""
    from chalicelib.adapters.aws.readings_queue import SqsReadingQueue
    from chalicelib.adapters.aws.s3_media import S3MediaStore
    from chalicelib.adapters.dynamodb.repositories import (
        DynamoAgencyDirectory,
        DynamoAuditLog,
        DynamoBaselineRepository,
        DynamoCameraRepository,
        DynamoDeviceRepository,
        DynamoIncidentRepository,
        DynamoMutationLog,
        DynamoNonceStore,
        DynamoNoteRepository,
        DynamoOutbox,
        DynamoPlaybookRepository,
        DynamoReadingStore,
        DynamoRoutingTable,
        DynamoSharingRepository,
        DynamoTaskRepository,
    )
    from chalicelib.adapters.dynamodb.tables import bind_models
    from chalicelib.adapters.keyring import DerivedKeyring, load_master_key
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog

    def client(service: str) -> LazyClient:
        return aws_client(settings, service)

    bind_models(settings)
    secrets = client("secretsmanager")
    keyring = DerivedKeyring(lambda: load_master_key(secrets, settings))
    return Container(
        settings=settings,
        devices=DynamoDeviceRepository(),
        nonces=DynamoNonceStore(),
        keyring=keyring,
        readings=DynamoReadingStore(ttl_days=settings.readings_ttl_days),
        baselines=DynamoBaselineRepository(),
        incidents=DynamoIncidentRepository(),
        routing=DynamoRoutingTable(),
        queue=SqsReadingQueue(client("sqs"), settings.name("readings")),
        token_verifier=JwksTokenVerifierOnFirstUse(settings),
        sharing=DynamoSharingRepository(),
        tasks=DynamoTaskRepository(),
        notes=DynamoNoteRepository(),
        audit=DynamoAuditLog(),
        agencies=DynamoAgencyDirectory(),
        cursors=CursorCodec(lambda: keyring.derive(CURSOR_KEY_PURPOSE)),
        media=S3MediaStore(client("s3"), settings.name("media")),
        cameras=DynamoCameraRepository(),
        mutations=DynamoMutationLog(),
        playbooks=PlaybookCatalog(DynamoPlaybookRepository()),
        outbox=DynamoOutbox(),
    )


_current: Container | None = None
_inference: list[tuple[Container, UploadDependencies]] = []  # at most one: the current container's


def inference_dependencies(c: Container) -> UploadDependencies:
    """What the inference function adds to the container: Pillow, onnxruntime and the model registry.
    Built once per container; the API function never imports them."""
    if _inference and _inference[0][0] is c:
        return _inference[0][1]
    built = build_inference(c, c.detectors or _model_registry(c))
    _inference[:] = [(c, built)]
    return built


def _model_registry(c: Container) -> DetectorRegistry:
    from chalicelib.adapters.vision.model_registry import ModelRegistry

    return ModelRegistry(c.media.read, c.settings.model_cache_dir, c.settings.inference_threads)


def build_inference(c: Container, detectors: DetectorRegistry) -> UploadDependencies:
    from functools import partial

    from chalicelib.adapters.vision.pillow_frames import DecodeLimits, decode_frames, encode_redacted
    from chalicelib.services.cameras.analyse_upload import UploadDependencies

    limits = DecodeLimits(max_bytes=c.settings.upload_max_bytes, max_pixels=c.settings.max_frame_pixels)
    return UploadDependencies(
        media=c.media,
        devices=c.devices,
        cameras=c.cameras,
        incidents=c.incidents,
        routing=c.routing,
        detectors=detectors,
        decode=partial(decode_frames, limits=limits),
        encode_redacted=encode_redacted,
        max_bytes=c.settings.upload_max_bytes,
        tasks=c.tasks,
        playbooks=c.playbooks.index,
    )


def response_dependencies(c: Container) -> ResponseDependencies:
    """What the actions and timers functions need: SNS, EventBridge Scheduler, the webhooks queue."""
    if c.response is None:
        c.response = _aws_response(c)
    return c.response


def _aws_response(c: Container) -> ResponseDependencies:
    from chalicelib.adapters.aws.sns_notifier import SnsNotifier
    from chalicelib.adapters.aws.timer_scheduler import EventBridgeTimerScheduler
    from chalicelib.adapters.aws.webhook_queue import SqsWebhookQueue
    from chalicelib.adapters.dynamodb.response.actions import DynamoActionLog

    s = c.settings
    webhooks = s.name("webhooks")
    return _response(
        c,
        SnsNotifier(aws_client(s, "sns"), lambda agency: s.name(f"alerts-{agency}")),
        EventBridgeTimerScheduler(aws_client(s, "scheduler"), s.timers_target_arn, s.scheduler_role_arn),
        SqsWebhookQueue(aws_client(s, "sqs"), webhooks, f"{webhooks}-dlq"),
        DynamoActionLog(),
    )


def _response(c: Container, notifier: Any, timers: Any, webhooks: Any, log: Any) -> ResponseDependencies:
    from chalicelib.services.response.manage_tasks import TaskDependencies
    from chalicelib.services.response.run_action import ResponseDependencies

    return ResponseDependencies(
        incidents=c.incidents,
        tasks=c.tasks,
        notes=c.notes,
        sharing=c.sharing,
        task_deps=TaskDependencies(c.tasks, c.incidents, c.notes, c.media),
        notifier=notifier,
        timers=timers,
        webhooks=webhooks,
        log=log,
        deep_link_base=c.settings.console_url,
    )


@dataclass(frozen=True)
class WebhookDependencies:
    sender: Any  # chalicelib.adapters.webhook_sender.HttpWebhookSender
    queue: Any  # chalicelib.adapters.aws.webhook_queue.SqsWebhookQueue


_webhooks: list[tuple[Container, WebhookDependencies]] = []  # at most one: the current container's


def webhook_dependencies(c: Container) -> WebhookDependencies:
    """The sender (a secret per target, derived from the master key) and the retry queue with its DLQ."""
    if _webhooks and _webhooks[0][0] is c:
        return _webhooks[0][1]
    from chalicelib.adapters.aws.webhook_queue import SqsWebhookQueue
    from chalicelib.adapters.webhook_sender import HttpWebhookSender

    s, keyring = c.settings, c.keyring
    built = WebhookDependencies(
        sender=HttpWebhookSender(lambda target: keyring.derive(f"webhook:{target}")),
        queue=SqsWebhookQueue(aws_client(s, "sqs"), s.name("webhooks"), s.name("webhooks") + "-dlq"),
    )
    _webhooks[:] = [(c, built)]
    return built


def memory_response(c: Container) -> ResponseDependencies:
    """In-memory notifier, timers, webhook queue and action log (unit tests, in-memory benchmarks)."""
    from chalicelib.adapters.memory.actions import MemoryActionLog
    from chalicelib.adapters.memory.notifications import MemoryNotifier
    from chalicelib.adapters.memory.timers import MemoryTimerScheduler
    from chalicelib.adapters.memory.webhooks import MemoryWebhookQueue

    c.response = _response(
        c, MemoryNotifier(), MemoryTimerScheduler(), MemoryWebhookQueue(), MemoryActionLog()
    )
    return c.response


def container() -> Container:
    """The process-wide container, built once per Lambda container (or local server)."""
    global _current  # noqa: PLW0603 - one container per process is the point
    if _current is None:
        _current = build_aws_container(current_settings())
    return _current


def use_container(replacement: Container | None) -> None:
    """Install a container (tests, benchmarks); None makes the next call build from settings again."""
    global _current  # noqa: PLW0603
    _current = replacement


CURSOR_KEY_PURPOSE = "graphql-cursors"
DEMO_AGENCIES = {
    "police": "City Police",
    "transport": "City Transport",
    "utilities": "Water and Utilities",
    "sanitation": "Sanitation",
    "environment": "Environmental Health",
    "emergency": "Emergency Services",
}


class StaticAgencyDirectory:
    """A fixed directory of agencies: the in-memory container's (the local stack seeds DynamoDB with the same)."""

    def __init__(self, agencies: dict[str, str]) -> None:
        self._agencies = [Agency(agency_id, name) for agency_id, name in sorted(agencies.items())]

    def list(self) -> list[Agency]:
        return list(self._agencies)


class RejectingTokenVerifier:
    """A verifier that accepts no token: the default of the in-memory container."""

    def verify(self, token: str) -> Principal:
        raise AuthenticationFailed("no token verifier is configured", "INVALID_TOKEN")


def build_memory_container(
    settings: Settings | None = None,
    token_verifier: TokenVerifier | None = None,
    clock: Callable[[], datetime] = utc_now,
    routing: dict[str, str] | None = None,
    master_key: bytes = b"in-memory master key for tests only",
) -> Container:
    """In-memory adapters with the same contracts: unit tests and the in-memory benchmark."""
    from chalicelib.adapters import memory
    from chalicelib.adapters.keyring import DerivedKeyring
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog

    keyring = DerivedKeyring(master_key)
    incidents = memory.MemoryIncidentRepository()
    return Container(
        settings=settings or Settings(),
        devices=memory.MemoryDeviceRepository(),
        nonces=memory.MemoryNonceStore(),
        keyring=keyring,
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
        cursors=CursorCodec(lambda: keyring.derive(CURSOR_KEY_PURPOSE)),
        media=memory.MemoryMediaStore(),
        cameras=memory.MemoryCameraRepository(),
        mutations=memory.MemoryMutationLog(),
        playbooks=PlaybookCatalog(memory.MemoryPlaybookRepository()),
        outbox=incidents,
        clock=clock,
    )
