"""Adapters talking to AWS (or to the embedded stack when settings.endpoint_url is set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.adapters.aws.clients import aws_client
from chalicelib.bootstrap.container import Container
from chalicelib.settings import Settings

if TYPE_CHECKING:
    from chalicelib.adapters.aws.action_queue import SqsActionQueue
    from chalicelib.adapters.aws.sns_notifier import SnsNotifier
    from chalicelib.adapters.aws.timer_scheduler import EventBridgeTimerScheduler
    from chalicelib.adapters.aws.webhook_queue import SqsWebhookQueue
    from chalicelib.adapters.dynamodb.response.actions import DynamoActionLog
    from chalicelib.adapters.vision.model_registry import ModelRegistry
    from chalicelib.domain.cameras.ports import MediaStore


class AwsOutbound:
    """SNS, EventBridge Scheduler, SQS, the action log table and the model registry in S3."""

    def notifier(self, settings: Settings) -> SnsNotifier:
        from chalicelib.adapters.aws.sns_notifier import SnsNotifier

        return SnsNotifier(aws_client(settings, "sns"), lambda agency: settings.name(f"alerts-{agency}"))

    def timers(self, settings: Settings) -> EventBridgeTimerScheduler:
        from chalicelib.adapters.aws.timer_scheduler import EventBridgeTimerScheduler

        s = settings
        return EventBridgeTimerScheduler(
            aws_client(s, "scheduler"), s.timers_target_arn, s.scheduler_role_arn
        )

    def webhook_queue(self, settings: Settings) -> SqsWebhookQueue:
        from chalicelib.adapters.aws.webhook_queue import SqsWebhookQueue

        webhooks = settings.name("webhooks")
        return SqsWebhookQueue(aws_client(settings, "sqs"), webhooks, f"{webhooks}-dlq")

    def action_log(self) -> DynamoActionLog:
        from chalicelib.adapters.dynamodb.response.actions import DynamoActionLog

        return DynamoActionLog()

    def action_queue(self, settings: Settings) -> SqsActionQueue:
        from chalicelib.adapters.aws.action_queue import SqsActionQueue

        return SqsActionQueue(aws_client(settings, "sqs"), settings.name("actions"))

    def detectors(self, media: MediaStore, settings: Settings) -> ModelRegistry:
        from chalicelib.adapters.vision.model_registry import ModelRegistry

        return ModelRegistry(media.read, settings.model_cache_dir, settings.inference_threads)


def build_aws_container(settings: Settings) -> Container:
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
    from chalicelib.adapters.token_verifiers import JwksTokenVerifierOnFirstUse
    from chalicelib.services.response.playbook_catalog import PlaybookCatalog

    bind_models(settings)
    secrets = aws_client(settings, "secretsmanager")
    return Container(
        settings=settings,
        devices=DynamoDeviceRepository(),
        nonces=DynamoNonceStore(),
        keyring=DerivedKeyring(lambda: load_master_key(secrets, settings)),
        readings=DynamoReadingStore(ttl_days=settings.readings_ttl_days),
        baselines=DynamoBaselineRepository(),
        incidents=DynamoIncidentRepository(),
        routing=DynamoRoutingTable(),
        queue=SqsReadingQueue(aws_client(settings, "sqs"), settings.name("readings")),
        token_verifier=JwksTokenVerifierOnFirstUse(settings),
        sharing=DynamoSharingRepository(),
        tasks=DynamoTaskRepository(),
        notes=DynamoNoteRepository(),
        audit=DynamoAuditLog(),
        agencies=DynamoAgencyDirectory(),
        media=S3MediaStore(aws_client(settings, "s3"), settings.name("media")),
        cameras=DynamoCameraRepository(),
        mutations=DynamoMutationLog(),
        playbooks=PlaybookCatalog(DynamoPlaybookRepository()),
        outbox=DynamoOutbox(),
        outbound=AwsOutbound(),
    )
