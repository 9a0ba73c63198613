"""Access: who sees what of an incident (decisions, field levels), sharing policies and grants, the
audit trail of reads, the agencies.

Other contexts import the names below from the package, never from its modules; each is imported
from its module on first use (chalicelib/domain/exports.py), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.exports import lazy_exports

if TYPE_CHECKING:
    from chalicelib.domain.access.agencies import Agency
    from chalicelib.domain.access.audit import AuditEntry
    from chalicelib.domain.access.decisions import AccessDecision, CrewAssignment
    from chalicelib.domain.access.field_levels import FIELD_LEVELS
    from chalicelib.domain.access.ports import AgencyDirectory, AuditLog, SharingRepository, TokenVerifier
    from chalicelib.domain.access.sharing import Grant, SharingPolicy

__all__ = [
    "FIELD_LEVELS",
    "AccessDecision",
    "Agency",
    "AgencyDirectory",
    "AuditEntry",
    "AuditLog",
    "CrewAssignment",
    "Grant",
    "SharingPolicy",
    "SharingRepository",
    "TokenVerifier",
]

_HOMES = {
    "Agency": "agencies",
    "AuditEntry": "audit",
    "AccessDecision": "decisions",
    "CrewAssignment": "decisions",
    "FIELD_LEVELS": "field_levels",
    "AgencyDirectory": "ports",
    "AuditLog": "ports",
    "SharingRepository": "ports",
    "TokenVerifier": "ports",
    "Grant": "sharing",
    "SharingPolicy": "sharing",
}

if not TYPE_CHECKING:  # the type checker reads the imports above
    __getattr__ = lazy_exports(__name__, _HOMES)
