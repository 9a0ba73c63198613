"""Field-level authorisation and inter-agency sharing through POST /graphql (in-memory repositories).

Who sees what: the owner by role, other agencies by standing policy or ad-hoc grant, field crews by
task, the public by embargo; notes by visibility; audit of sensitive reads; the owner's mutations.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.bootstrap import Container
from chalicelib.domain.access.decisions import OWNER_DEFAULT
from chalicelib.domain.access.field_levels import FIELD_LEVELS
from chalicelib.domain.access.sharing import SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.domain.principal import Role
from chalicelib.domain.response.tasks import CrewTask
from tests.integration.test_graphql import (
    INCIDENTS,
    NOW,
    T0,
    Clock,
    Token,
    answer,
    build_container,
    error_codes,
    incident,
    listed_ids,
    post,
    store,
)

SUBSELECTIONS = {name: "{ lat lon }" for name in ("location", "approximateLocation")} | {
    name: "{ id }" for name in ("events", "tasks", "notes", "grants")
}
EVERY_FIELD = " ".join(f"{name} {SUBSELECTIONS.get(name, '')}" for name in FIELD_LEVELS["Incident"])
INCIDENT_EVERY_FIELD = f"query ($id: ID!) {{ incident(id: $id) {{ {EVERY_FIELD} }} }}"
INCIDENT_BRIEF = "query ($id: ID!) { incident(id: $id) { id accessLevel title location { lat } } }"
NOTES = "query ($id: ID!) { incident(id: $id) { notes { text visibility author } } }"
ADD_NOTE = "mutation ($input: AddNoteInput!) { addNote(input: $input) { note { id visibility author } } }"
CREATE_GRANT = "mutation ($input: CreateGrantInput!) { createGrant(input: $input) { grant { id level } } }"
REVOKE_GRANT = "mutation ($id: ID!) { revokeGrant(grantId: $id) { grant { id revokedAt revokedBy } } }"
SUPERVISOR = ("supervisor",)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def container(tmp_path: Path, signing_key: rsa.RSAPrivateKey, clock: Clock) -> Container:
    return build_container(tmp_path, signing_key, clock)


def event(number: int) -> DetectionEvent:
    return DetectionEvent(
        f"evt-{number}",
        f"aq-{number:04d}",
        "airPollution",
        Severity.MEDIUM,
        0.8,
        120.0,
        51.5,
        -0.12,
        T0,
        "threshold",
        "PM2.5 above the limit",
        {"metric": "pm25", "value": 61.0, "unit": "ug/m3"},
    )


def rich_incident(number: int, agency: str = "environment", **changes: Any) -> Any:
    return incident(
        number,
        agency,
        recent_events=[event(number)],
        source_confidence={f"aq-{number:04d}": 0.8},
        description="PM2.5 above the limit",
        **changes,
    )


def share(container: Container, level: AccessLevel, grantee: str = "police") -> SharingPolicy:
    policy = SharingPolicy("pol-1", "environment", grantee, "environment", None, level)
    return container.sharing.put_policy(policy, None)


def grant(client: Client, token: Token, incident_id: str, expires_at: Any, level: str = "OPERATIONAL") -> str:
    grant_input = {
        "incidentId": incident_id,
        "granteeAgency": "police",
        "level": level,
        "expiresAt": expires_at.isoformat(),
        "reason": "joint operation",
    }
    body = answer(post(client, CREATE_GRANT, token(roles=SUPERVISOR), input=grant_input))
    return str(body["data"]["createGrant"]["grant"]["id"])


def redacted(body: dict[str, Any]) -> list[list[Any]]:
    return body.get("extensions", {}).get("redacted", [])


# --- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_given_an_owner_role_when_reading_every_field_then_exactly_the_fields_above_its_level_are_null_and_listed(
    client: Client, container: Container, token: Token, role: Role
) -> None:
    store(container, rich_incident(1))
    container.tasks.add(CrewTask("task-1", "inc-environment-1", "environment", "crew-1"))
    level = OWNER_DEFAULT[role]

    body = answer(post(client, INCIDENT_EVERY_FIELD, token(roles=(role.value,)), id="inc-environment-1"))

    shown = body["data"]["incident"]
    above = {name for name, required in FIELD_LEVELS["Incident"].items() if required > level}
    assert shown["accessLevel"] == level.name
    assert {name for name, value in shown.items() if value is None} == above
    assert sorted(map(tuple, redacted(body))) == sorted(("incident", name) for name in above)


def test_given_another_agency_without_sharing_when_listing_then_it_sees_none_of_the_owners_incidents(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2, agency="police"))

    body = answer(post(client, INCIDENTS, token(agency="police")))

    assert listed_ids(body) == ["inc-police-2"]


def test_given_a_standing_policy_at_summary_when_the_grantee_lists_then_operational_fields_are_null_and_listed(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2, sub_category="flood"))
    share(container, AccessLevel.SUMMARY)

    body = answer(post(client, INCIDENTS, token(agency="police")))

    assert listed_ids(body) == ["inc-environment-1"]
    node = body["data"]["incidents"]["edges"][0]["node"]
    assert (node["accessLevel"], node["title"], node["location"]) == ("SUMMARY", "Air pollution 1", None)
    assert ["incidents", "edges", 0, "node", "location"] in redacted(body)


def test_given_aliases_and_two_selections_of_a_field_when_redacted_then_each_path_is_listed_once_with_aliases(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2))
    share(container, AccessLevel.SUMMARY)
    query = """{ feed: incidents { all: edges { n: node { id where: location { lat } ...Place } } } }
               fragment Place on Incident { where: location { lon } h3Cell }"""

    body = answer(post(client, query, token(agency="police")))

    assert redacted(body) == [
        ["feed", "all", index, "n", name] for index in (0, 1) for name in ("where", "h3Cell")
    ]


def test_given_an_ad_hoc_grant_when_it_is_active_expired_or_revoked_then_access_follows_it(
    client: Client, container: Container, token: Token, clock: Clock
) -> None:
    store(container, incident(1), incident(2))
    grant(client, token, "inc-environment-1", NOW + timedelta(hours=1))
    revoked = grant(client, token, "inc-environment-2", NOW + timedelta(hours=1))
    answer(post(client, REVOKE_GRANT, token(roles=SUPERVISOR), id=revoked))
    police = token(agency="police")

    active = answer(post(client, INCIDENT_BRIEF, police, id="inc-environment-1"))["data"]["incident"]
    listed = listed_ids(answer(post(client, INCIDENTS, police)))
    after_revoking = answer(post(client, INCIDENT_BRIEF, police, id="inc-environment-2"))["data"]["incident"]
    clock.now = NOW + timedelta(hours=2)
    expired = answer(post(client, INCIDENT_BRIEF, police, id="inc-environment-1"))["data"]["incident"]

    assert (active["accessLevel"], active["location"]) == ("OPERATIONAL", {"lat": 51.5})
    assert listed == ["inc-environment-1"]
    assert (after_revoking["accessLevel"], after_revoking["title"]) == ("PUBLIC", None)
    assert (expired["accessLevel"], expired["title"]) == ("PUBLIC", None)
    assert listed_ids(answer(post(client, INCIDENTS, police))) == []


def test_given_a_field_crew_with_an_open_task_when_reading_then_it_has_operational_access_to_that_incident_only(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2))
    container.tasks.add(CrewTask("task-1", "inc-environment-1", "sanitation", "crew-7"))
    crew = token(agency="sanitation", roles=("field_crew",), **{"custom:crew_id": "crew-7"})

    listed = answer(post(client, INCIDENTS, crew))
    tasked = answer(post(client, INCIDENT_BRIEF, crew, id="inc-environment-1"))["data"]["incident"]
    other = answer(post(client, INCIDENT_BRIEF, crew, id="inc-environment-2"))["data"]["incident"]

    assert listed_ids(listed) == ["inc-environment-1"]
    assert (tasked["accessLevel"], tasked["location"]) == ("OPERATIONAL", {"lat": 51.5})
    assert (other["accessLevel"], other["location"]) == ("PUBLIC", None)


def test_given_the_public_when_reading_then_it_sees_public_fields_and_nothing_of_an_embargoed_incident_until_resolved(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2, sensitive=True))
    public_query = "{ incidents { edges { node { id area publicStatus title } } } }"

    before = answer(post(client, public_query, None))
    embargoed = answer(post(client, INCIDENT_BRIEF, None, id="inc-environment-2"))
    resolve = "mutation ($input: IncidentChangeInput!) { resolveIncident(input: $input) { incident { id } } }"
    answer(post(client, resolve, token(), input={"incidentId": "inc-environment-2", "expectedVersion": 0}))
    after = answer(post(client, public_query, None))

    assert listed_ids(before) == ["inc-environment-1"]
    node = before["data"]["incidents"]["edges"][0]["node"]
    assert (node["publicStatus"], node["title"], len(node["area"])) == ("ACTIVE", None, 15)
    assert redacted(before) == [["incidents", "edges", 0, "node", "title"]]
    assert embargoed == {"data": {"incident": None}}
    assert listed_ids(after) == ["inc-environment-1", "inc-environment-2"]
    assert after["data"]["incidents"]["edges"][1]["node"]["publicStatus"] == "CLOSED"


def test_given_notes_of_each_visibility_when_read_at_each_level_then_only_notes_within_the_level_are_shown(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1))
    for visibility in ("PUBLIC", "OPERATIONAL", "RESTRICTED"):
        note = {"incidentId": "inc-environment-1", "text": f"{visibility} note", "visibility": visibility}
        answer(post(client, ADD_NOTE, token(roles=SUPERVISOR), input=note))

    public = answer(post(client, NOTES, None, id="inc-environment-1"))
    operator = answer(post(client, NOTES, token(), id="inc-environment-1"))
    supervisor = answer(post(client, NOTES, token(roles=SUPERVISOR), id="inc-environment-1"))

    assert public["data"]["incident"]["notes"] == [
        {"text": "PUBLIC note", "visibility": "PUBLIC", "author": None}
    ]
    assert redacted(public) == [["incident", "notes", 0, "author"]]
    assert sorted(note["visibility"] for note in operator["data"]["incident"]["notes"]) == [
        "OPERATIONAL",
        "PUBLIC",
    ]
    assert {note["author"] for note in operator["data"]["incident"]["notes"]} == {"environment-supervisor"}
    assert len(supervisor["data"]["incident"]["notes"]) == 3


@pytest.mark.parametrize(
    ("roles", "visibility"), [(("operator",), "RESTRICTED"), (("public_information_officer",), "PUBLIC")]
)
def test_given_a_note_above_the_writers_reach_when_added_then_forbidden(
    client: Client, container: Container, token: Token, roles: tuple[str, ...], visibility: str
) -> None:
    store(container, incident(1))
    note = {"incidentId": "inc-environment-1", "text": "a note", "visibility": visibility}

    assert error_codes(answer(post(client, ADD_NOTE, token(roles=roles), input=note))) == ["FORBIDDEN"]


# --- audit ----------------------------------------------------------------------------------------


class CountingAudit:
    """Wraps the container's audit log to count the writes of each request."""

    def __init__(self, container: Container) -> None:
        self.log = container.audit
        self.batches: list[int] = []
        container.audit = self  # type: ignore[assignment]

    def record(self, entries: list[Any]) -> None:
        self.batches.append(len(entries))
        self.log.record(entries)

    def trail(self, incident_id: str, limit: int) -> list[Any]:
        return self.log.trail(incident_id, limit)


def test_given_a_restricted_read_by_the_owner_when_served_then_one_audit_entry_names_the_fields_read(
    client: Client, container: Container, token: Token
) -> None:
    store(container, rich_incident(1))
    audit = CountingAudit(container)
    query = "query ($id: ID!) { incident(id: $id) { title deviceIds } }"

    answer(post(client, query, token(roles=SUPERVISOR), id="inc-environment-1"))
    answer(post(client, INCIDENT_BRIEF, token(roles=("operator",)), id="inc-environment-1"))

    [entry] = container.audit.trail("inc-environment-1", 10)
    assert audit.batches == [1]
    assert (entry.subject, entry.basis, entry.level) == (
        "environment-supervisor",
        "owner",
        AccessLevel.RESTRICTED,
    )
    assert entry.fields == ("Incident.deviceIds", "Incident.title")


def test_given_a_non_owner_reading_a_list_when_served_then_its_reads_are_audited_in_one_batch(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2), incident(3))
    policy = share(container, AccessLevel.SUMMARY)
    audit = CountingAudit(container)

    answer(post(client, INCIDENTS, token(agency="police")))
    answer(post(client, INCIDENTS, None))

    assert audit.batches == [3]
    entries = [
        entry for number in (1, 2, 3) for entry in container.audit.trail(f"inc-environment-{number}", 10)
    ]
    assert {(entry.agency, entry.basis) for entry in entries} == {("police", f"policy:{policy.policy_id}")}
    assert "Incident.location" not in entries[0].fields
    assert "Incident.title" in entries[0].fields


class UnavailableAudit:
    def record(self, entries: list[Any]) -> None:
        raise RuntimeError("audit table unavailable")

    def trail(self, incident_id: str, limit: int) -> list[Any]:
        return []


def test_given_the_audit_log_cannot_be_written_when_a_restricted_field_is_read_then_nothing_is_served(
    client: Client, container: Container, token: Token
) -> None:
    store(container, rich_incident(1))
    container.audit = UnavailableAudit()  # type: ignore[assignment]
    query = "query ($id: ID!) { incident(id: $id) { deviceIds } }"

    response = post(client, query, token(roles=SUPERVISOR), id="inc-environment-1")

    assert response.status_code == 500
    assert "aq-0001" not in response.body.decode()


def test_given_audited_reads_when_asking_for_the_trail_then_only_the_owners_supervisors_get_it(
    client: Client, container: Container, token: Token
) -> None:
    store(container, rich_incident(1))
    share(container, AccessLevel.SUMMARY)
    answer(post(client, INCIDENT_BRIEF, token(agency="police"), id="inc-environment-1"))
    query = "query ($id: ID!) { auditTrail(incidentId: $id) { agency subject basis level fields } }"

    trail = answer(post(client, query, token(roles=SUPERVISOR), id="inc-environment-1"))
    refusals = [
        answer(post(client, query, bearer, id="inc-environment-1"))
        for bearer in (token(roles=("operator",)), token(agency="police", roles=SUPERVISOR), None)
    ]

    assert trail["data"]["auditTrail"] == [
        {
            "agency": "police",
            "subject": "police-operator",
            "basis": "policy:pol-1",
            "level": "SUMMARY",
            "fields": ["Incident.accessLevel", "Incident.id", "Incident.title"],
        }
    ]
    assert [error_codes(body) for body in refusals] == [["FORBIDDEN"]] * 3


# --- mutations ------------------------------------------------------------------------------------


def act(
    client: Client, bearer: str | None, action: str, version: int, incident_id: str = "inc-environment-1"
) -> Any:
    query = f"""mutation ($input: IncidentChangeInput!) {{
      {action}Incident(input: $input) {{ incident {{ status version publicStatus }} }}
    }}"""
    return answer(post(client, query, bearer, input={"incidentId": incident_id, "expectedVersion": version}))


def test_given_an_incident_when_its_owner_walks_the_lifecycle_then_status_and_version_move_on(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1))
    operator, supervisor = token(), token(roles=SUPERVISOR)

    verified = act(client, operator, "verify", 0)["data"]["verifyIncident"]["incident"]
    resolved = act(client, operator, "resolve", 1)["data"]["resolveIncident"]["incident"]
    reopened = act(client, supervisor, "reopen", 2)["data"]["reopenIncident"]["incident"]

    assert verified == {"status": "VERIFIED", "version": 1, "publicStatus": "ACTIVE"}
    assert resolved == {"status": "RESOLVED", "version": 2, "publicStatus": "CLOSED"}
    assert reopened == {"status": "OPEN", "version": 3, "publicStatus": "ACTIVE"}


def test_given_a_stale_expected_version_when_changing_then_conflict_carries_the_current_version(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1, version=4))

    body = act(client, token(), "verify", 3)

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "CONFLICT", "currentVersion": 4}


@pytest.mark.parametrize(
    ("agency", "roles", "action", "code"),
    [
        ("environment", ("operator",), "reopen", "FORBIDDEN"),
        ("environment", ("public_information_officer",), "verify", "FORBIDDEN"),
        ("police", ("supervisor",), "verify", "FORBIDDEN"),
        (None, (), "dismiss", "FORBIDDEN"),
    ],
)
def test_given_a_caller_without_the_right_when_changing_an_incident_then_refused(
    client: Client,
    container: Container,
    token: Token,
    agency: str | None,
    roles: tuple[str, ...],
    action: str,
    code: str,
) -> None:
    store(container, incident(1))

    body = act(client, token(agency=agency, roles=roles) if agency else None, action, 0)

    assert error_codes(body) == [code]
    assert container.incidents.get("inc-environment-1").status == IncidentStatus.OPEN  # type: ignore[union-attr]


def test_given_a_resolved_incident_when_verified_then_the_transition_is_refused(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1, status=IncidentStatus.RESOLVED))

    assert error_codes(act(client, token(), "verify", 0)) == ["INVALID_TRANSITION"]


def test_given_a_supervisor_flags_an_incident_sensitive_when_the_public_reads_then_it_is_gone(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1))
    flag = "mutation ($input: FlagIncidentSensitiveInput!) { flagIncidentSensitive(input: $input) { incident { sensitive version } } }"
    flag_input = {"incidentId": "inc-environment-1", "sensitive": True, "expectedVersion": 0}

    refused = answer(post(client, flag, token(), input=flag_input))
    flagged = answer(post(client, flag, token(roles=SUPERVISOR), input=flag_input))

    assert error_codes(refused) == ["FORBIDDEN"]
    assert flagged["data"]["flagIncidentSensitive"]["incident"] == {"sensitive": True, "version": 1}
    assert answer(post(client, INCIDENT_BRIEF, None, id="inc-environment-1")) == {"data": {"incident": None}}


POLICY_FIELDS = "id level version granteeAgency"
CREATE_POLICY = f"mutation ($input: SharingPolicyInput!) {{ createSharingPolicy(input: $input) {{ policy {{ {POLICY_FIELDS} }} }} }}"
UPDATE_POLICY = f"""mutation ($id: ID!, $v: Int!, $input: SharingPolicyInput!) {{
  updateSharingPolicy(id: $id, expectedVersion: $v, input: $input) {{ policy {{ {POLICY_FIELDS} }} }}
}}"""
DELETE_POLICY = (
    "mutation ($id: ID!, $v: Int!) { deleteSharingPolicy(id: $id, expectedVersion: $v) { deletedId } }"
)
POLICIES = f"{{ sharingPolicies {{ {POLICY_FIELDS} }} }}"


def test_given_sharing_policies_when_created_updated_and_deleted_then_versions_guard_every_change(
    client: Client, token: Token
) -> None:
    admin = token(roles=("admin",))
    draft = {"granteeAgency": "police", "category": "environment", "level": "SUMMARY"}

    created = answer(post(client, CREATE_POLICY, admin, input=draft))["data"]["createSharingPolicy"]["policy"]
    policy_id = created["id"]
    updated = answer(
        post(client, UPDATE_POLICY, admin, id=policy_id, v=1, input=draft | {"level": "OPERATIONAL"})
    )
    stale_update = answer(post(client, UPDATE_POLICY, admin, id=policy_id, v=1, input=draft))
    seen_by_grantee = answer(post(client, POLICIES, token(agency="police")))
    stale_delete = answer(post(client, DELETE_POLICY, admin, id=policy_id, v=1))
    deleted = answer(post(client, DELETE_POLICY, admin, id=policy_id, v=2))

    assert (created["level"], created["version"]) == ("SUMMARY", 1)
    assert updated["data"]["updateSharingPolicy"]["policy"] | {"id": None} == {
        "id": None,
        "level": "OPERATIONAL",
        "version": 2,
        "granteeAgency": "police",
    }
    assert [error["extensions"] for error in stale_update["errors"] + stale_delete["errors"]] == [
        {"code": "CONFLICT", "currentVersion": 2}
    ] * 2
    assert [policy["id"] for policy in seen_by_grantee["data"]["sharingPolicies"]] == [policy_id]
    assert deleted["data"]["deleteSharingPolicy"] == {"deletedId": policy_id}
    assert answer(post(client, POLICIES, admin))["data"]["sharingPolicies"] == []


@pytest.mark.parametrize(
    ("bearer_of", "draft_change", "code"),
    [
        ({"roles": ("operator",)}, {}, "FORBIDDEN"),
        (None, {}, "FORBIDDEN"),
        ({"roles": ("admin",)}, {"granteeAgency": "nobody"}, "INVALID_GRANTEE"),
        ({"roles": ("admin",)}, {"category": "weather"}, "INVALID_POLICY"),
    ],
)
def test_given_a_policy_the_caller_may_not_create_when_created_then_refused_with_a_code(
    client: Client, token: Token, bearer_of: dict[str, Any] | None, draft_change: dict[str, str], code: str
) -> None:
    draft = {"granteeAgency": "police", "category": "environment", "level": "SUMMARY"} | draft_change

    body = answer(post(client, CREATE_POLICY, token(**bearer_of) if bearer_of else None, input=draft))

    assert error_codes(body) == [code]


def test_given_a_grant_when_created_listed_and_revoked_then_the_owners_supervisors_see_its_history(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1))
    supervisor = token(roles=SUPERVISOR)
    grant_id = grant(client, token, "inc-environment-1", NOW + timedelta(days=1))
    grants = "query ($id: ID!) { grants(incidentId: $id) { id granteeAgency revokedBy } }"
    on_incident = "query ($id: ID!) { incident(id: $id) { grants { id } } }"

    revoked = answer(post(client, REVOKE_GRANT, supervisor, id=grant_id))
    again = answer(post(client, REVOKE_GRANT, supervisor, id=grant_id))
    listed = answer(post(client, grants, supervisor, id="inc-environment-1"))
    refused = [
        answer(post(client, grants, bearer, id="inc-environment-1"))
        for bearer in (token(), token(roles=("admin",)), token(agency="police", roles=SUPERVISOR), None)
    ]

    assert revoked["data"]["revokeGrant"]["grant"]["revokedBy"] == "environment-supervisor"
    assert error_codes(again) == ["CONFLICT"]
    assert listed["data"]["grants"] == [
        {"id": grant_id, "granteeAgency": "police", "revokedBy": "environment-supervisor"}
    ]
    assert answer(post(client, on_incident, supervisor, id="inc-environment-1"))["data"]["incident"] == {
        "grants": [{"id": grant_id}]
    }
    assert [error_codes(body) for body in refused] == [["FORBIDDEN"]] * 4


@pytest.mark.parametrize(
    ("roles", "expires_in", "code"),
    [(("operator",), timedelta(hours=1), "FORBIDDEN"), (SUPERVISOR, timedelta(days=31), "INVALID_GRANT")],
)
def test_given_a_grant_the_caller_may_not_make_when_created_then_refused(
    client: Client,
    container: Container,
    token: Token,
    roles: tuple[str, ...],
    expires_in: timedelta,
    code: str,
) -> None:
    store(container, incident(1))
    grant_input = {
        "incidentId": "inc-environment-1",
        "granteeAgency": "police",
        "level": "OPERATIONAL",
        "expiresAt": (NOW + expires_in).isoformat(),
        "reason": "joint operation",
    }

    assert error_codes(answer(post(client, CREATE_GRANT, token(roles=roles), input=grant_input))) == [code]


def test_given_the_public_when_asking_for_agencies_then_forbidden_while_agencies_get_the_directory(
    client: Client, token: Token
) -> None:
    query = "{ agencies { id name } }"

    assert error_codes(answer(post(client, query, None))) == ["FORBIDDEN"]
    assert {"id": "police", "name": "City Police"} in answer(post(client, query, token()))["data"]["agencies"]
