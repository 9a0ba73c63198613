"""Relay the outbox to the actions queue: each pending entry's actions, one message each, then mark
the entry relayed. A crash in between sends the actions again; they are idempotent by action id.

In AWS a DynamoDB stream on the outbox table can call this as soon as an entry is written; the
schedule (every minute in AWS, seconds locally) is the safety net that needs nothing else.
"""

from __future__ import annotations

from chalicelib.domain.response.actions import actions_of
from chalicelib.domain.response.ports import ActionQueue, Outbox


def relay_outbox(outbox: Outbox, queue: ActionQueue, limit: int = 50) -> int:
    """The number of entries relayed."""
    relayed = 0
    for entry in outbox.pending(limit):
        for message in actions_of(entry):
            queue.send(message)
        outbox.mark_relayed(entry.entry_id)
        relayed += 1
    return relayed
