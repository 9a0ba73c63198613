"""The DynamoDB adapters of the domain ports, importable from one place (bootstrap, local/, tests, bench/).

The only re-export of the DynamoDB adapters: each class lives in its entity's module (`<context>/<entity>.py`).
"""

from chalicelib.adapters.dynamodb.access.agencies import DynamoAgencyDirectory
from chalicelib.adapters.dynamodb.access.audit import DynamoAuditLog
from chalicelib.adapters.dynamodb.access.sharing import DynamoSharingRepository
from chalicelib.adapters.dynamodb.cameras.cameras import DynamoCameraRepository
from chalicelib.adapters.dynamodb.incidents.incidents import DynamoIncidentRepository
from chalicelib.adapters.dynamodb.incidents.notes import DynamoNoteRepository
from chalicelib.adapters.dynamodb.incidents.routing import DynamoRoutingTable
from chalicelib.adapters.dynamodb.response.actions import DynamoActionLog
from chalicelib.adapters.dynamodb.response.mutations import DynamoMutationLog
from chalicelib.adapters.dynamodb.response.outbox import DynamoOutbox
from chalicelib.adapters.dynamodb.response.playbooks import DynamoPlaybookRepository
from chalicelib.adapters.dynamodb.response.tasks import DynamoTaskRepository
from chalicelib.adapters.dynamodb.sensing.baselines import DynamoBaselineRepository
from chalicelib.adapters.dynamodb.sensing.devices import DynamoDeviceRepository
from chalicelib.adapters.dynamodb.sensing.nonces import DynamoNonceStore
from chalicelib.adapters.dynamodb.sensing.readings import DynamoReadingStore

__all__ = [
    "DynamoActionLog",
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
