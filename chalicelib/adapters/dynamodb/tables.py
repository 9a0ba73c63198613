"""Every table's PynamoDB model by logical name (`LOGICAL_TABLES`), and `bind_models`, which points them at
a stage and an endpoint. Each model lives in its entity's module (`<context>/<entity>.py`).

Tables, keys and indexes are those of chalicelib/resources.json (on-demand tables, indexes projecting
ALL); docs/data-model.md holds the key design and the access pattern each serves. No access pattern
uses Scan. Instants in keys are RFC 3339 UTC with milliseconds (`format_instant`), which sort as strings;
instants used as optimistic-lock tokens keep microseconds (UTCDateTimeAttribute).
"""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.access.agencies import AgencyModel
from chalicelib.adapters.dynamodb.access.audit import AuditModel
from chalicelib.adapters.dynamodb.access.sharing import GrantModel, PolicyModel
from chalicelib.adapters.dynamodb.cameras.cameras import CameraModel
from chalicelib.adapters.dynamodb.incidents.incident_events import EventModel
from chalicelib.adapters.dynamodb.incidents.incidents import IncidentModel
from chalicelib.adapters.dynamodb.incidents.notes import NoteModel
from chalicelib.adapters.dynamodb.incidents.routing import RoutingModel
from chalicelib.adapters.dynamodb.response.actions import ActionModel
from chalicelib.adapters.dynamodb.response.mutations import MutationModel
from chalicelib.adapters.dynamodb.response.outbox import OutboxModel
from chalicelib.adapters.dynamodb.response.playbooks import PlaybookModel
from chalicelib.adapters.dynamodb.response.tasks import TaskModel, TimelineModel
from chalicelib.adapters.dynamodb.sensing.baselines import BaselineModel
from chalicelib.adapters.dynamodb.sensing.devices import DeviceModel
from chalicelib.adapters.dynamodb.sensing.nonces import NonceModel
from chalicelib.adapters.dynamodb.sensing.readings import ReadingModel
from chalicelib.settings import Settings

LOGICAL_TABLES: dict[str, type[Model]] = {
    "devices": DeviceModel,
    "nonces": NonceModel,
    "readings": ReadingModel,
    "baselines": BaselineModel,
    "incidents": IncidentModel,
    "events": EventModel,
    "routing": RoutingModel,
    "agencies": AgencyModel,
    "policies": PolicyModel,
    "grants": GrantModel,
    "tasks": TaskModel,
    "notes": NoteModel,
    "audit": AuditModel,
    "cameras": CameraModel,
    "task_timeline": TimelineModel,
    "mutations": MutationModel,
    "outbox": OutboxModel,
    "playbooks": PlaybookModel,
    "actions": ActionModel,
}


def bind_models(settings: Settings) -> None:
    """Point every model at its physical table, region and endpoint (AWS, moto server or mock_aws).

    All models then share one PynamoDB Connection, so one botocore client: left to itself, PynamoDB
    builds a botocore session and client per model, about 0.1 s of cold start each.
    """
    shared = Connection(region=settings.region, host=settings.endpoint_url)
    for logical, model in LOGICAL_TABLES.items():
        model.Meta.table_name = settings.name(logical)
        model.Meta.region = settings.region
        model.Meta.host = settings.endpoint_url
        model._connection = None  # drop the connection cached for an earlier table, region or host
        table = model._get_connection()  # builds the table's schema; its own client is never created
        shared.add_meta_table(table.get_meta_table())
        table.connection = shared
