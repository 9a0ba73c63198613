"""Mutations on incidents by their owner: lifecycle actions, the sensitivity flag, notes.

Each change names the version the caller saw; a stale one is refused with CONFLICT and
`extensions.currentVersion`.
"""

from __future__ import annotations

import strawberry

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.incidents.lifecycle import LifecycleAction
from chalicelib.domain.incidents.notes import MAX_NOTE_LENGTH
from chalicelib.gql.access_directive import AccessLevelEnum
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.related_types import NoteType
from chalicelib.gql.incidents.serving import Placement, present_incidents
from chalicelib.gql.incidents.types import IncidentType
from chalicelib.gql.selection import requested, response_path, selections_below
from chalicelib.services.incidents.change_incident import (
    IncidentChange,
)
from chalicelib.services.incidents.query_incidents import VisibleIncident


@strawberry.input(description="Which incident, at the version you saw.")
class IncidentChangeInput:
    incident_id: strawberry.ID
    expected_version: int

    def to_change(self) -> IncidentChange:
        return IncidentChange(str(self.incident_id), self.expected_version)


@strawberry.input
class FlagIncidentSensitiveInput:
    incident_id: strawberry.ID
    sensitive: bool = strawberry.field(description="True hides the incident from the public until resolved.")
    expected_version: int


@strawberry.input
class AddNoteInput:
    incident_id: strawberry.ID
    text: str = strawberry.field(description=f"1 to {MAX_NOTE_LENGTH} characters.")
    visibility: AccessLevelEnum = strawberry.field(
        description="Who may read it: callers whose level on the incident reaches this (at most yours)."
    )


@strawberry.type
class IncidentPayload:
    incident: IncidentType


@strawberry.type
class AddNotePayload:
    note: NoteType


def _payload(info: Info, incident: Incident) -> IncidentPayload:
    context = info.context
    visible = VisibleIncident(incident, context.resolver.decide(incident))
    root = response_path(info)
    placements = [
        Placement.single([*root, wanted.key], wanted.below("Incident"))
        for wanted in requested(selections_below(info), "IncidentPayload").values()
        if wanted.name == "incident"
    ]
    return IncidentPayload(incident=present_incidents(context, [visible], placements)[0])


def _act(info: Info, input: IncidentChangeInput, action: LifecycleAction) -> IncidentPayload:
    info.context.signed_in()
    changed = info.context.use.change_status(input.to_change(), action)
    return _payload(info, changed)


@strawberry.type
class IncidentMutations:
    @strawberry.mutation(description="Confirm an open incident (owner's operators, supervisors, admins).")
    def verify_incident(self, info: Info, input: IncidentChangeInput) -> IncidentPayload:
        return _act(info, input, LifecycleAction.VERIFY)

    @strawberry.mutation(description="Dismiss an open or verified incident as a false alarm.")
    def dismiss_incident(self, info: Info, input: IncidentChangeInput) -> IncidentPayload:
        return _act(info, input, LifecycleAction.DISMISS)

    @strawberry.mutation(description="Resolve an open or verified incident.")
    def resolve_incident(self, info: Info, input: IncidentChangeInput) -> IncidentPayload:
        return _act(info, input, LifecycleAction.RESOLVE)

    @strawberry.mutation(description="Reopen a dismissed or resolved incident (supervisors, admins).")
    def reopen_incident(self, info: Info, input: IncidentChangeInput) -> IncidentPayload:
        return _act(info, input, LifecycleAction.REOPEN)

    @strawberry.mutation(description="Flag or unflag an incident as sensitive (supervisors, admins).")
    def flag_incident_sensitive(self, info: Info, input: FlagIncidentSensitiveInput) -> IncidentPayload:
        info.context.signed_in()
        change = IncidentChange(str(input.incident_id), input.expected_version)
        changed = info.context.use.set_sensitive(change, input.sensitive)
        return _payload(info, changed)

    @strawberry.mutation(description="Add a note; writers need OPERATIONAL access to the incident.")
    def add_note(self, info: Info, input: AddNoteInput) -> AddNotePayload:
        context = info.context
        context.signed_in()
        note = context.use.add_note(str(input.incident_id), input.text, input.visibility.level)
        visible = context.use.incident(note.incident_id)
        level = visible.access.level if visible else AccessLevel.PUBLIC
        return AddNotePayload(note=NoteType.from_domain(note, level))
