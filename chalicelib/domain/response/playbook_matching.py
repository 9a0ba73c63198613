"""Which playbooks an incident triggers, evaluated once per absorbed event, so it must stay cheap.

`PlaybookIndex` is built once from the stored playbooks: enabled ones are bucketed by sub-category
(category triggers expanded through CATEGORIES), and their area cells grouped by H3 resolution, so
evaluating an incident looks only at its own sub-category's candidates and computes each ancestor
cell of the incident at most once. Each playbook version fires once per incident: the caller keeps
the `fired_key`s on the incident and passes them back to `newly_triggered`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import h3

from chalicelib.domain.categories import CATEGORIES
from chalicelib.domain.incidents import Incident
from chalicelib.domain.response.outbox import fired_key
from chalicelib.domain.response.playbooks import Playbook, Trigger


@dataclass(frozen=True)
class _Candidate:
    """A playbook's trigger, precomputed for fast checks."""

    playbook: Playbook
    min_rank: int
    min_confidence: float
    min_sources: int
    cells_by_resolution: tuple[tuple[int, frozenset[str]], ...]  # empty: anywhere
    zones: frozenset[str]  # empty: any zone or none

    @classmethod
    def of(cls, playbook: Playbook) -> _Candidate:
        trigger = playbook.trigger
        grouped: dict[int, set[str]] = defaultdict(set)
        for cell in trigger.area_cells:
            grouped[h3.get_resolution(cell)].add(cell)
        return cls(
            playbook,
            trigger.min_severity.rank,
            trigger.min_confidence,
            trigger.min_sources,
            tuple((resolution, frozenset(cells)) for resolution, cells in sorted(grouped.items())),
            frozenset(trigger.zones),
        )


class _Facts:
    """What the triggers ask of one incident, each derived at most once and only when asked."""

    def __init__(self, incident: Incident) -> None:
        self.rank = incident.severity.rank
        self.confidence = incident.confidence
        self.sources = len(incident.source_confidence)
        self._incident = incident
        self._ancestors: dict[int, str | None] = {}
        self._zones: frozenset[str] | None = None

    def ancestor(self, resolution: int) -> str | None:
        if resolution not in self._ancestors:
            cell = self._incident.h3_cell
            fine_enough = h3.get_resolution(cell) >= resolution
            self._ancestors[resolution] = str(h3.cell_to_parent(cell, resolution)) if fine_enough else None
        return self._ancestors[resolution]

    @property
    def zones(self) -> frozenset[str]:
        if self._zones is None:
            found = (event.details.get("zone") for event in self._incident.recent_events)
            self._zones = frozenset(zone for zone in found if isinstance(zone, str))
        return self._zones

    def satisfy(self, candidate: _Candidate) -> bool:
        if (
            self.rank < candidate.min_rank
            or self.confidence < candidate.min_confidence
            or self.sources < candidate.min_sources
        ):
            return False
        if candidate.zones and candidate.zones.isdisjoint(self.zones):
            return False
        return not candidate.cells_by_resolution or any(
            self.ancestor(resolution) in cells for resolution, cells in candidate.cells_by_resolution
        )


def sub_categories_of(trigger: Trigger) -> set[str]:
    """The sub-categories a trigger covers: its own, and every one of its categories."""
    expanded = {name for name, spec in CATEGORIES.items() if spec.category in trigger.categories}
    return set(trigger.sub_categories) | expanded


class PlaybookIndex:
    """The enabled playbooks, by the sub-categories they cover; each bucket ordered by (id, version)."""

    def __init__(self, playbooks: Iterable[Playbook]) -> None:
        buckets: dict[str, list[_Candidate]] = defaultdict(list)
        self.playbooks = sorted((p for p in playbooks if p.enabled), key=lambda p: (p.id, p.version))
        for playbook in self.playbooks:
            candidate = _Candidate.of(playbook)
            for sub_category in sub_categories_of(playbook.trigger):
                buckets[sub_category].append(candidate)
        self._buckets = {name: tuple(candidates) for name, candidates in buckets.items()}

    def __len__(self) -> int:
        return len(self.playbooks)

    def matching(self, incident: Incident) -> list[Playbook]:
        """Every enabled playbook whose trigger the incident, as it is now, satisfies; ordered by id."""
        candidates = self._buckets.get(incident.sub_category, ())
        if not candidates:
            return []
        facts = _Facts(incident)
        return [candidate.playbook for candidate in candidates if facts.satisfy(candidate)]


def newly_triggered(
    index: PlaybookIndex, incident: Incident, already_fired: frozenset[str]
) -> list[Playbook]:
    """The matching playbooks that have not fired for this incident yet (at their current version)."""
    return [playbook for playbook in index.matching(incident) if fired_key(playbook) not in already_fired]
