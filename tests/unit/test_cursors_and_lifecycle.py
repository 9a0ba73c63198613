"""Signed cursors and the incident lifecycle."""

import pytest

from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.domain.incidents.lifecycle import LifecycleAction, apply_action, flag_sensitive
from chalicelib.domain.principal import Principal, Role
from chalicelib.services.cursors import CursorCodec
from tests.support.authorization_table import incident

CODEC = CursorCodec(lambda: b"k" * 32)
SCOPE = {"agency": "environment", "status": None, "category": None}


def test_given_a_cursor_when_decoded_in_its_scope_then_the_position_comes_back():
    cursor = CODEC.encode("2026-11-22T10:00:00.000Z#inc_1", SCOPE)
    assert "inc_1" not in cursor
    assert CODEC.decode(cursor, SCOPE) == "2026-11-22T10:00:00.000Z#inc_1"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-2] + ("AA" if c[-2:] != "AA" else "BB"),
        lambda c: "x" + c,
        lambda c: "not a cursor at all",
        lambda c: CursorCodec(lambda: b"another key....").encode("2026#inc_1", SCOPE),
    ],
)
def test_given_a_forged_cursor_then_it_is_refused(tamper):
    with pytest.raises(InvalidInput) as refused:
        CODEC.decode(tamper(CODEC.encode("2026#inc_1", SCOPE)), SCOPE)
    assert refused.value.code == "INVALID_CURSOR"


def test_given_a_cursor_of_another_agency_or_query_then_it_is_refused():
    cursor = CODEC.encode("2026#inc_1", SCOPE)
    for other in ({**SCOPE, "agency": "police"}, {**SCOPE, "status": "open"}):
        with pytest.raises(InvalidInput):
            CODEC.decode(cursor, other)


def person(agency="environment", *roles):
    return Principal("someone", agency, frozenset(roles or {Role.OPERATOR}))


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (IncidentStatus.OPEN, LifecycleAction.VERIFY, IncidentStatus.VERIFIED),
        (IncidentStatus.OPEN, LifecycleAction.DISMISS, IncidentStatus.DISMISSED),
        (IncidentStatus.VERIFIED, LifecycleAction.RESOLVE, IncidentStatus.RESOLVED),
    ],
)
def test_given_an_owner_operator_then_the_allowed_transitions_apply(start, action, end):
    assert apply_action(incident(status=start), action, person()).status == end


def test_given_a_resolved_incident_then_only_a_supervisor_reopens_it():
    resolved = incident(status=IncidentStatus.RESOLVED)
    with pytest.raises(Forbidden):
        apply_action(resolved, LifecycleAction.REOPEN, person())
    assert (
        apply_action(resolved, LifecycleAction.REOPEN, person("environment", Role.SUPERVISOR)).status
        == "open"
    )


def test_given_an_impossible_transition_then_invalid_transition():
    with pytest.raises(InvalidInput) as refused:
        apply_action(incident(status=IncidentStatus.RESOLVED), LifecycleAction.VERIFY, person())
    assert refused.value.code == "INVALID_TRANSITION"


def test_given_another_agency_then_it_cannot_change_or_flag_the_incident():
    with pytest.raises(Forbidden):
        apply_action(incident(), LifecycleAction.RESOLVE, person("police"))
    with pytest.raises(Forbidden):
        flag_sensitive(incident(), True, person("police", Role.SUPERVISOR))
    assert flag_sensitive(incident(), True, person("environment", Role.SUPERVISOR)).sensitive
