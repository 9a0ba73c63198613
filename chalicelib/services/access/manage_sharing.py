"""Owners manage what they share: standing policies (admins, supervisors) and ad-hoc grants (supervisors)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import h3

from chalicelib.domain.access.agencies import Agency
from chalicelib.domain.access.ports import AgencyDirectory, SharingRepository
from chalicelib.domain.access.sharing import MAX_POLICY_CELLS, Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import CATEGORIES
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.incidents import IncidentRepository
from chalicelib.domain.principal import Principal, Role

POLICY_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
GRANT_ROLES = frozenset({Role.SUPERVISOR})
MAX_GRANT_DURATION = timedelta(days=30)
SHAREABLE_LEVELS = (AccessLevel.SUMMARY, AccessLevel.OPERATIONAL, AccessLevel.RESTRICTED)


@dataclass(frozen=True)
class PolicyDraft:
    grantee_agency: str
    category: str
    sub_category: str | None
    level: AccessLevel
    area_cells: frozenset[str] = frozenset()


def save_policy(
    draft: PolicyDraft,
    principal: Principal,
    sharing: SharingRepository,
    agencies: AgencyDirectory,
    policy_id: str | None = None,
    expected_version: int | None = None,
) -> SharingPolicy:
    """Create a policy (no id) or replace one of the caller's agency at `expected_version`."""
    _require(principal, POLICY_ROLES, "manage sharing policies")
    _check_grantee(draft.grantee_agency, principal, agencies)
    _check_level(draft.level)
    categories = {spec.category for spec in CATEGORIES.values()}
    if draft.category not in categories:
        raise InvalidInput(f"category must be one of {', '.join(sorted(categories))}", "INVALID_POLICY")
    if draft.sub_category is not None and CATEGORIES.get(draft.sub_category, None) is None:
        raise InvalidInput(f"unknown subCategory {draft.sub_category!r}", "INVALID_POLICY")
    if len(draft.area_cells) > MAX_POLICY_CELLS or not all(h3.is_valid_cell(c) for c in draft.area_cells):
        raise InvalidInput(f"areaCells must be at most {MAX_POLICY_CELLS} valid H3 cells", "INVALID_POLICY")
    if policy_id is None:
        policy = SharingPolicy(
            f"pol_{uuid.uuid4().hex}", principal.agency, created_by=principal.subject, **vars(draft)
        )
        return sharing.put_policy(policy, None)
    current = _own_policy(policy_id, principal, sharing)
    return sharing.put_policy(replace(current, **vars(draft)), expected_version)


def delete_policy(
    policy_id: str, expected_version: int, principal: Principal, sharing: SharingRepository
) -> None:
    _require(principal, POLICY_ROLES, "manage sharing policies")
    _own_policy(policy_id, principal, sharing)
    sharing.delete_policy(policy_id, expected_version)


def create_grant(
    incident_id: str,
    grantee_agency: str,
    level: AccessLevel,
    expires_at: datetime,
    reason: str,
    principal: Principal,
    now: datetime,
    sharing: SharingRepository,
    incidents: IncidentRepository,
    agencies: AgencyDirectory,
) -> Grant:
    _require(principal, GRANT_ROLES, "grant access to an incident")
    incident = incidents.get(incident_id)
    if incident is None or incident.owner_agency != principal.agency:
        raise NotFound(f"no incident {incident_id} of your agency", "NOT_FOUND")
    _check_grantee(grantee_agency, principal, agencies)
    _check_level(level)
    if not now < expires_at <= now + MAX_GRANT_DURATION:
        raise InvalidInput("expiresAt must lie in the future, at most 30 days ahead", "INVALID_GRANT")
    if not reason.strip():
        raise InvalidInput("a grant needs a reason (it is audited)", "INVALID_GRANT")
    grant = Grant(
        f"gra_{uuid.uuid4().hex}",
        incident_id,
        principal.agency,
        grantee_agency,
        level,
        expires_at,
        reason.strip(),
        principal.subject,
        now,
    )
    sharing.add_grant(grant)
    return grant


def revoke_grant(grant_id: str, principal: Principal, now: datetime, sharing: SharingRepository) -> Grant:
    _require(principal, GRANT_ROLES, "revoke grants")
    grant = sharing.get_grant(grant_id)
    if grant is None or grant.owner_agency != principal.agency:
        raise NotFound(f"no grant {grant_id} of your agency", "NOT_FOUND")
    return sharing.revoke_grant(grant_id, principal.subject, now)


def visible_policies(principal: Principal, sharing: SharingRepository) -> list[SharingPolicy]:
    """Policies sharing with the caller's agency; its supervisors and admins also see their own agency's."""
    policies = sharing.policies_for_grantee(principal.agency)
    if POLICY_ROLES & principal.roles:
        policies = sharing.policies_of_owner(principal.agency) + policies
    return policies


def grants_of_incident(
    incident_id: str, principal: Principal, incidents: IncidentRepository, sharing: SharingRepository
) -> list[Grant]:
    """Every grant of an incident, revoked ones included, for the owning agency's supervisors."""
    incident = incidents.get(incident_id)
    if incident is None or incident.owner_agency != principal.agency or not GRANT_ROLES & principal.roles:
        raise Forbidden("grants are for the owning agency's supervisors", "FORBIDDEN")
    return sharing.grants_of_incident(incident.incident_id)


def _own_policy(policy_id: str, principal: Principal, sharing: SharingRepository) -> SharingPolicy:
    policy = sharing.get_policy(policy_id)
    if policy is None or policy.owner_agency != principal.agency:
        raise NotFound(f"no sharing policy {policy_id} of your agency", "NOT_FOUND")
    return policy


def _require(principal: Principal, roles: frozenset[Role], what: str) -> None:
    if principal.is_public or not roles & principal.roles:
        names = " or ".join(sorted(role.value for role in roles))
        raise Forbidden(f"only a {names} may {what}", "FORBIDDEN")


def _check_grantee(grantee: str, principal: Principal, agencies: AgencyDirectory) -> None:
    if grantee == principal.agency:
        raise InvalidInput("an agency does not share with itself", "INVALID_GRANTEE")
    if grantee not in {agency.agency_id for agency in agencies.list()}:
        raise InvalidInput(f"unknown agency {grantee!r}", "INVALID_GRANTEE")


def _check_level(level: AccessLevel) -> None:
    if level not in SHAREABLE_LEVELS:
        raise InvalidInput("share at SUMMARY, OPERATIONAL or RESTRICTED", "INVALID_LEVEL")


def city_agencies(principal: Principal, agencies: AgencyDirectory) -> list[Agency]:
    """The city's agencies, for agencies' users only."""
    if principal.is_public:
        raise Forbidden("sign in with an agency account to do this", "FORBIDDEN")
    return agencies.list()
