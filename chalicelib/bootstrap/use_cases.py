"""The use cases GraphQL resolvers call, with their adapters and the request's caller bound: a resolver
names what it wants done and never sees a repository or chooses one.

One instance per request (`GraphQLContext.for_request`): it carries the caller, the request's access
resolver (one decision per incident) and read audit. Grouped by context, as the services are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.bootstrap.container import Container
from chalicelib.domain.access.agencies import Agency
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.cameras.config import CameraConfig
from chalicelib.domain.cameras.vision import ModelManifest
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.incidents.lifecycle import LifecycleAction
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.principal import Principal
from chalicelib.domain.response.tasks import CrewTask, Location, TaskStatus, TimelineEntry
from chalicelib.services.access import manage_sharing as sharing
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.access.audit_reads import ReadAudit, audit_trail
from chalicelib.services.cameras import configure_camera as cameras
from chalicelib.services.cameras import publish_model as models
from chalicelib.services.cameras.event_image import EventImage, event_image
from chalicelib.services.incidents import change_incident as changes
from chalicelib.services.incidents import query_incidents as queries
from chalicelib.services.incidents.related import grants_of, readable_notes
from chalicelib.services.response import manage_tasks as tasks
from chalicelib.services.response.client_mutations import ClientMutation, TaskChange, apply_once
from chalicelib.services.response.crew_changes import ChangeSet, crew_changes
from chalicelib.services.response.evidence_photos import EvidencePhoto, evidence_photos
from chalicelib.services.response.playbook_catalog import list_playbooks, save_playbook
from chalicelib.services.sensing.register_device import RegisterDevice, RegisteredDevice, register_device

if TYPE_CHECKING:
    from chalicelib.domain.response.playbooks import Playbook  # pydantic: loaded with the first playbook


class GraphQLUseCases:
    def __init__(
        self, c: Container, principal: Principal, resolver: AccessResolver, audit: ReadAudit
    ) -> None:
        self._c = c
        self._principal = principal
        self._resolver = resolver
        self._audit = audit

    def now(self) -> datetime:
        return self._c.clock()

    def flush_reads(self) -> None:
        """Write the request's audited reads (once, when the request ends)."""
        self._audit.flush(self._c.audit)

    # incidents
    def incident(self, incident_id: str) -> queries.VisibleIncident | None:
        return queries.get_incident(incident_id, self._resolver, self._c.incidents)

    def incidents(
        self, status: IncidentStatus | None, category: str | None, first: int, after: str | None
    ) -> queries.IncidentList:
        c = self._c
        return queries.list_incidents(self._resolver, c.incidents, c.cursors, status, category, first, after)

    def edge_cursor(self, incident: Incident, status: IncidentStatus | None, category: str | None) -> str:
        """The position of an incident in the list's order, signed with the list's scope."""
        scope = queries.cursor_scope(self._principal, status, category)
        return self._c.cursors.encode(queries.position_of(self._principal, incident), scope)

    def change_status(self, change: changes.IncidentChange, action: LifecycleAction) -> Incident:
        return changes.change_status(change, action, self._resolver, self._c.incidents)

    def set_sensitive(self, change: changes.IncidentChange, sensitive: bool) -> Incident:
        return changes.set_sensitive(change, sensitive, self._resolver, self._c.incidents)

    def add_note(self, incident_id: str, text: str, visibility: AccessLevel) -> Note:
        c = self._c
        return changes.add_note(incident_id, text, visibility, self._resolver, c.incidents, c.notes)

    def notes_of(self, item: queries.VisibleIncident) -> list[Note]:
        return readable_notes(item, self._c.notes)

    def grants_shown_with(self, item: queries.VisibleIncident) -> list[Grant]:
        return grants_of(item, self._c.sharing)

    # access
    def agencies(self) -> list[Agency]:
        return sharing.city_agencies(self._principal, self._c.agencies)

    def sharing_policies(self) -> list[SharingPolicy]:
        return sharing.visible_policies(self._principal, self._c.sharing)

    def grants(self, incident_id: str) -> list[Grant]:
        return sharing.grants_of_incident(incident_id, self._principal, self._c.incidents, self._c.sharing)

    def audit_trail(self, incident_id: str, first: int) -> list[AuditEntry]:
        return audit_trail(incident_id, self._principal, self._c.incidents, self._c.audit, first)

    def create_grant(
        self, incident_id: str, grantee: str, level: AccessLevel, expires_at: datetime, reason: str
    ) -> Grant:
        c = self._c
        now = self._resolver.now
        return sharing.create_grant(
            incident_id,
            grantee,
            level,
            expires_at,
            reason,
            self._principal,
            now,
            c.sharing,
            c.incidents,
            c.agencies,
        )

    def revoke_grant(self, grant_id: str) -> Grant:
        return sharing.revoke_grant(grant_id, self._principal, self._resolver.now, self._c.sharing)

    def save_policy(
        self, draft: sharing.PolicyDraft, policy_id: str | None = None, expected_version: int | None = None
    ) -> SharingPolicy:
        c = self._c
        return sharing.save_policy(draft, self._principal, c.sharing, c.agencies, policy_id, expected_version)

    def delete_policy(self, policy_id: str, expected_version: int) -> None:
        sharing.delete_policy(policy_id, expected_version, self._principal, self._c.sharing)

    # sensing
    def register_device(self, command: RegisterDevice) -> RegisteredDevice:
        return register_device(command, self._principal, self._c.devices, self._c.keyring)

    # cameras
    def camera(self, camera_id: str) -> CameraConfig:
        return cameras.read_camera(camera_id, self._principal, self._c.devices, self._c.cameras)

    def configure_camera(
        self, camera_id: str, settings: dict[str, Any], expected_version: int | None
    ) -> CameraConfig:
        c = self._c
        return cameras.configure_camera(
            camera_id, settings, expected_version, self._principal, c.devices, c.cameras
        )

    def event_image(self, incident_id: str, event_id: str) -> EventImage:
        c = self._c
        return event_image(incident_id, event_id, self._resolver, c.incidents, c.media, self._audit)

    def evidence_photos(self, incident_id: str) -> list[EvidencePhoto]:
        c = self._c
        return evidence_photos(incident_id, self._resolver, c.incidents, c.tasks, c.media, self._audit)

    def register_model(self, manifest: dict[str, Any]) -> models.ModelUpload:
        return models.register_model(manifest, self._principal, self._c.media)

    def activate_model(self, name: str, version: str) -> ModelManifest:
        return models.activate_model(name, version, self._principal, self._c.media)

    # response
    def playbooks(self) -> list[Playbook]:
        return list_playbooks(self._principal, self._c.playbooks)

    def save_playbook(self, definition: Any, expected_version: int | None) -> Playbook:
        return save_playbook(definition, expected_version, self._principal, self._c.playbooks)

    def my_tasks(self) -> list[CrewTask]:
        return tasks.my_tasks(self._principal, self._c.task_deps)

    def task(self, task_id: str) -> CrewTask | None:
        return tasks.task_of(task_id, self._principal, self._c.task_deps)

    def timeline(self, task: CrewTask) -> list[TimelineEntry]:
        return tasks.timeline_of(task, self._c.task_deps)

    def changes(self, since: str | None) -> ChangeSet:
        return crew_changes(since, self._resolver, self._c.task_deps, self._c.cursors)

    # changes to tasks, each named by a clientMutationId and applied at most once for this caller
    def change_task_status(
        self,
        mutation: ClientMutation,
        status: TaskStatus,
        expected_version: int | None,
        location: Location | None,
    ) -> TaskChange:
        def apply() -> TaskChange:
            return TaskChange(
                tasks.change_status(mutation.task_id, status, expected_version, location, *self._acting())
            )

        return self._once(mutation, apply)

    def assign_task(self, mutation: ClientMutation, crew_id: str, expected_version: int | None) -> TaskChange:
        def apply() -> TaskChange:
            return TaskChange(tasks.assign_crew(mutation.task_id, crew_id, expected_version, *self._acting()))

        return self._once(mutation, apply)

    def add_field_note(
        self, mutation: ClientMutation, text: str, expected_version: int | None, location: Location | None
    ) -> TaskChange:
        def apply() -> TaskChange:
            changed, note = tasks.add_field_note(
                mutation.task_id, text, expected_version, location, *self._acting()
            )
            return TaskChange(changed, note)

        return self._once(mutation, apply)

    def request_photo_upload(
        self,
        mutation: ClientMutation,
        content_type: str,
        expected_version: int | None,
        location: Location | None,
    ) -> TaskChange:
        def apply() -> TaskChange:
            changed, key, form = tasks.request_photo_upload(
                mutation.task_id, content_type, expected_version, location, *self._acting()
            )
            upload = {"key": key, "url": form["url"], "fields": form["fields"]}
            return TaskChange(changed, upload=upload | {"expiresInS": tasks.PHOTO_LINK_SECONDS})

        return self._once(mutation, apply)

    def _acting(self) -> tuple[Principal, tasks.TaskDependencies, datetime]:
        return self._principal, self._c.task_deps, self._c.clock()

    def _once(self, mutation: ClientMutation, apply: Callable[[], TaskChange]) -> TaskChange:
        c = self._c
        return apply_once(mutation, apply, self._principal, c.task_deps, c.mutations, c.clock())
