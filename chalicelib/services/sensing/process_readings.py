"""Process a batch of accepted readings: store each once, detect, correlate, move the baseline.

Order matters for exactly-once in effect: the baseline is read once per metric and batch and saved
after every event of the batch is recorded, so a batch that fails half-way is redone from the same
baseline, yields the same event ids, and the events already recorded are recognised as duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from chalicelib.domain.incidents import DetectionEvent, IncidentRepository, RoutingTable
from chalicelib.domain.response import PlaybookIndex
from chalicelib.domain.sensing.baseline import BaselineState
from chalicelib.domain.sensing.detection import detect
from chalicelib.domain.sensing.ports import BaselineRepository, DeviceRepository, ReadingStore
from chalicelib.domain.sensing.readings import Reading
from chalicelib.services.incidents.correlate_event import correlate_event


@dataclass(frozen=True)
class ProcessDependencies:
    devices: DeviceRepository
    readings: ReadingStore
    baselines: BaselineRepository
    incidents: IncidentRepository
    routing: RoutingTable
    city_timezone: str = "Europe/London"
    playbooks: PlaybookIndex | None = None


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
    stored: dict[str, BaselineState | None] = {}  # each metric's baseline as read, once per batch
    current: dict[str, BaselineState | None] = {}  # and as it moves through the batch
    for reading in sorted(readings, key=lambda r: (r.observed_at, r.metric)):
        if deps.readings.add_if_new(reading):
            outcome.stored += 1
        else:
            outcome.duplicates += 1
        if reading.metric not in stored:
            stored[reading.metric] = current[reading.metric] = deps.baselines.get(device_id, reading.metric)
        detection = detect(
            reading, device, current[reading.metric], reading.observed_at.astimezone(zone).hour
        )
        _correlate_all(detection.events, device.agency, deps, outcome)
        if detection.baseline is not None:
            current[reading.metric] = detection.baseline
    for metric, state in current.items():
        if state is not None and state != stored[metric]:
            deps.baselines.save(device_id, metric, state, stored[metric])
    if readings:
        latest = max(reading.observed_at for reading in readings)
        deps.devices.mark_seen(device_id, latest, device.expected_interval_s)
    return outcome


def _correlate_all(
    events: list[DetectionEvent], agency: str, deps: ProcessDependencies, outcome: ProcessOutcome
) -> None:
    for event in events:
        correlation = correlate_event(event, agency, deps.incidents, deps.routing, deps.playbooks)
        if not correlation.duplicate and correlation.incident_id:
            outcome.events += 1
            outcome.incidents.add(correlation.incident_id)
