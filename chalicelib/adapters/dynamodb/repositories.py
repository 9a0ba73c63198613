"""The DynamoDB adapters of the domain ports, importable from one place (bootstrap, local/, tests)."""

from chalicelib.adapters.dynamodb.agencies import DynamoAgencyDirectory
from chalicelib.adapters.dynamodb.audit import DynamoAuditLog
from chalicelib.adapters.dynamodb.baselines import DynamoBaselineRepository
from chalicelib.adapters.dynamodb.cameras import DynamoCameraRepository
from chalicelib.adapters.dynamodb.devices import DynamoDeviceRepository
from chalicelib.adapters.dynamodb.incidents import DynamoIncidentRepository
from chalicelib.adapters.dynamodb.mutations import DynamoMutationLog
from chalicelib.adapters.dynamodb.nonces import DynamoNonceStore
from chalicelib.adapters.dynamodb.notes import DynamoNoteRepository
from chalicelib.adapters.dynamodb.outbox import DynamoOutbox
from chalicelib.adapters.dynamodb.playbooks import DynamoPlaybookRepository
from chalicelib.adapters.dynamodb.readings import DynamoReadingStore
from chalicelib.adapters.dynamodb.routing import DynamoRoutingTable
from chalicelib.adapters.dynamodb.sharing import DynamoSharingRepository
from chalicelib.adapters.dynamodb.tasks import DynamoTaskRepository

__all__ = [
    "DynamoAgencyDirectory",
    "DynamoAuditLog",
    "DynamoBaselineRepository",
    "DynamoCameraRepository",
    "DynamoDeviceRepository",
    "DynamoIncidentRepository",
    "DynamoMutationLog",
    "DynamoNonceStore",
    "DynamoNoteRepository",
    "DynamoOutbox",
    "DynamoPlaybookRepository",
    "DynamoReadingStore",
    "DynamoRoutingTable",
    "DynamoSharingRepository",
    "DynamoTaskRepository",
]
