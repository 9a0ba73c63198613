"""In-memory adapters: the fakes behind unit tests and the in-memory benchmark.

They keep the same contracts as the DynamoDB adapters (conditional writes, version checks,
idempotency, key order, page cursors), so services behave the same on both; the contract tests in
tests/integration run the same assertions against both.
"""

from chalicelib.adapters.memory.devices import (
    MemoryBaselineRepository,
    MemoryDeviceRepository,
    MemoryNonceStore,
    MemoryReadingQueue,
    MemoryReadingStore,
    MemoryRoutingTable,
)
from chalicelib.adapters.memory.incidents import MemoryIncidentRepository
from chalicelib.adapters.memory.media import MemoryCameraRepository, MemoryMediaStore
from chalicelib.adapters.memory.mutations import MemoryMutationLog
from chalicelib.adapters.memory.playbooks import MemoryPlaybookRepository
from chalicelib.adapters.memory.sharing import (
    MemoryAuditLog,
    MemoryNoteRepository,
    MemorySharingRepository,
    MemoryTaskRepository,
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
