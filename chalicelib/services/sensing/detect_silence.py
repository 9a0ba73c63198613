"""Silence detection: a device with no data for 3× its expected interval raises a sensorOffline event."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.incidents import IncidentRepository, RoutingTable
from chalicelib.domain.response import PlaybookIndex
from chalicelib.domain.sensing.detection import offline_event
from chalicelib.domain.sensing.ports import DeviceRepository
from chalicelib.services.incidents.correlate_event import correlate_event


def detect_silence(
    now: datetime,
    devices: DeviceRepository,
    incidents: IncidentRepository,
    routing: RoutingTable,
    playbooks: PlaybookIndex | None = None,
) -> list[str]:
    """Raise one offline event per silence spell; returns the devices newly flagged offline.

    The event is recorded before the device is flagged, so a crash in between is redone on the next
    run with the same event id (a duplicate, ignored) instead of losing the event.
    """
    flagged = []
    for device in devices.silent_since(now):
        if device.last_seen is None:
            continue
        correlate_event(offline_event(device, now), device.agency, incidents, routing, playbooks)
        if devices.mark_offline(device.device_id, device.last_seen):
            flagged.append(device.device_id)
    return flagged
