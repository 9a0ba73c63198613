"""The outbox on the emulated DynamoDB: entries written in the incident's transaction, read back from
the sparse pending index, relayed once; playbooks stored versioned and listed without a Scan."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.adapters.dynamodb.repositories import (
    DynamoIncidentRepository,
    DynamoOutbox,
    DynamoPlaybookRepository,
)
from chalicelib.adapters.memory import MemoryRoutingTable
from chalicelib.domain.categories import Severity
from chalicelib.domain.errors import Conflict
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.response.playbook_matching import PlaybookIndex
from chalicelib.playbooks import shipped_playbooks
from chalicelib.services.incidents.correlate_event import correlate_event

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def flood(event_id: str, severity: Severity) -> DetectionEvent:
    return DetectionEvent(
        event_id, "gauge-1", "flood", severity, 0.9, 180.0, 51.5, -0.12, NOW, "threshold", "water level", {}
    )


def test_given_a_playbook_firing_then_its_outbox_entry_is_stored_with_the_incident_and_relayed_once(aws):
    incidents, outbox = DynamoIncidentRepository(), DynamoOutbox()
    index = PlaybookIndex(shipped_playbooks())
    routing = MemoryRoutingTable({"flood": "utilities"})

    first = correlate_event(flood("evt-1", Severity.HIGH), "utilities", incidents, routing, index)
    again = correlate_event(flood("evt-1", Severity.HIGH), "utilities", incidents, routing, index)

    assert first.fired == ("flood-level",) and again.duplicate
    assert incidents.get(first.incident_id).fired_playbooks == ("flood-level@1",)
    [entry] = outbox.pending()
    assert (entry.incident_id, entry.playbook_id, len(entry.actions)) == (first.incident_id, "flood-level", 3)
    outbox.mark_relayed(entry.entry_id)
    outbox.mark_relayed(entry.entry_id)
    assert outbox.pending() == []


def test_given_playbooks_saved_then_versions_move_on_and_stale_saves_conflict(aws):
    repository = DynamoPlaybookRepository()
    for playbook in shipped_playbooks():
        repository.save(playbook, None)
    flood_level = repository.get("flood-level")

    renamed = repository.save(flood_level.model_copy(update={"name": "Flood (edited)"}), 1)

    assert renamed.version == 2
    with pytest.raises(Conflict) as raised:
        repository.save(flood_level, 1)
    assert raised.value.current_version == 2
    assert [p.id for p in repository.active()] == sorted(p.id for p in shipped_playbooks())
    assert repository.get("flood-level").name == "Flood (edited)"
