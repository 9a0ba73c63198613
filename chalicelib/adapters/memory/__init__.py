"""In-memory adapters: the fakes behind unit tests and the in-memory benchmark.

They keep the same contracts as the DynamoDB adapters (conditional writes, version checks,
idempotency, key order, page cursors), so services behave the same on both; the contract tests in
tests/integration run the same assertions against both. Grouped as adapters/dynamodb/ is, one module
per context (sensing, incidents, access, cameras, response), one fake per port; the fakes of the AWS
services are named for what they stand in for (media, notifications, queues, timers).

Exported here: what the in-memory container is built from (`memory.MemoryIncidentRepository()` …). The
response side's notifier, timers, webhook queue and action log are imported from their modules where
they are needed, so building the container does not load them.
"""

from chalicelib.adapters.memory.access import MemoryAuditLog, MemorySharingRepository
from chalicelib.adapters.memory.cameras import MemoryCameraRepository
from chalicelib.adapters.memory.incidents import (
    MemoryIncidentRepository,
    MemoryNoteRepository,
    MemoryRoutingTable,
)
from chalicelib.adapters.memory.media import MemoryMediaStore
from chalicelib.adapters.memory.queues import MemoryReadingQueue
from chalicelib.adapters.memory.response import (
    MemoryMutationLog,
    MemoryPlaybookRepository,
    MemoryTaskRepository,
)
from chalicelib.adapters.memory.sensing import (
    MemoryBaselineRepository,
    MemoryDeviceRepository,
    MemoryNonceStore,
    MemoryReadingStore,
)

__all__ = [
    "MemoryAuditLog",
    "MemoryBaselineRepository",
    "MemoryCameraRepository",
    "MemoryDeviceRepository",
    "MemoryIncidentRepository",
    "MemoryMediaStore",
    "MemoryMutationLog",
    "MemoryNonceStore",
    "MemoryNoteRepository",
    "MemoryPlaybookRepository",
    "MemoryReadingQueue",
    "MemoryReadingStore",
    "MemoryRoutingTable",
    "MemorySharingRepository",
    "MemoryTaskRepository",
]
