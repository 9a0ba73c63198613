"""Process a batch of accepted readings: store each once, detect, correlate, move the baseline.

Order matters for exactly-once in effect: events are correlated *before* the baseline moves, so a
batch that fails half-way is redone with the same baseline, yields the same event ids, and the
events already recorded are recognised as duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from chalicelib.domain.detection import detect
from chalicelib.domain.ports import (
    BaselineRepository,
    DeviceRepository,
    IncidentRepository,
    ReadingStore,
    RoutingTable,
)
from chalicelib.domain.readings import Reading
from chalicelib.services.correlate_event import correlate_event


@dataclass(frozen=True)
class ProcessDependencies:
    devices: DeviceRepository
    readings: ReadingStore
    baselines: BaselineRepository
    incidents: IncidentRepository
    routing: RoutingTable
    city_timezone: str = "Europe/London"


@dataclass
class ProcessOutcome:
    stored: int = 0
    duplicates: int = 0
    events: int = 0
    incidents: set[str] = field(default_factory=set)
    unknown_device: bool = False


def process_readings(device_id: str, readings: list[Reading], deps: ProcessDependencies) -> ProcessOutcome:
    outcome = ProcessOutcome()
    device = deps.devices.get(device_id)
    if device is None:
        outcome.unknown_device = True
        return outcome
    zone = ZoneInfo(deps.city_timezone)
    for reading in sorted(readings, key=lambda r: (r.observed_at, r.metric)):
        if deps.readings.add_if_new(reading):
            outcome.stored += 1
        else:
            outcome.duplicates += 1
        previous = deps.baselines.get(device_id, reading.metric)
        detection = detect(reading, device, previous, reading.observed_at.astimezone(zone).hour)
        for event in detection.events:
            correlation = correlate_event(event, device.agency, deps.incidents, deps.routing)
            if not correlation.duplicate and correlation.incident_id:
                outcome.events += 1
                outcome.incidents.add(correlation.incident_id)
        if detection.baseline is not None:
            deps.baselines.save(device_id, reading.metric, detection.baseline, previous)
    if readings:
        latest = max(reading.observed_at for reading in readings)
        deps.devices.mark_seen(device_id, latest, device.expected_interval_s)
    return outcome
