"""The access level each field of each protected GraphQL type requires.

This table is the single source: the schema declares it with `@access(level: …)` on every field (a test
compares), docs/authorization.md shows it (a test compares), and the matrix test checks every field
of every role and sharing situation against it. A field above the caller's level is `null`.

Notes are gated twice: `Incident.notes` is PUBLIC, and each note appears only to callers whose level
on the incident reaches the note's own visibility (a RESTRICTED note is a restricted note).
"""

from __future__ import annotations

from chalicelib.domain.access_levels import AccessLevel

P, S, OP, R = AccessLevel.PUBLIC, AccessLevel.SUMMARY, AccessLevel.OPERATIONAL, AccessLevel.RESTRICTED

FIELD_LEVELS: dict[str, dict[str, AccessLevel]] = {
    "Incident": {
        "id": P,
        "category": P,
        "subCategory": P,
        "publicStatus": P,
        "area": P,
        "ownerAgency": P,
        "accessLevel": P,
        "notes": P,
        "title": S,
        "status": S,
        "severity": S,
        "confidence": S,
        "firstSeen": S,
        "lastSeen": S,
        "approximateLocation": S,
        "eventCount": S,
        "version": S,
        "location": OP,
        "h3Cell": OP,
        "description": OP,
        "sensitive": OP,
        "peakMagnitude": OP,
        "events": OP,
        "tasks": OP,
        "assignedCrews": OP,
        "deviceIds": R,
        "grants": R,
    },
    "DetectionEvent": {
        "id": OP,
        "subCategory": OP,
        "severity": OP,
        "confidence": OP,
        "magnitude": OP,
        "observedAt": OP,
        "detector": OP,
        "description": OP,
        "location": OP,
        "sensorValues": OP,
        "deviceId": R,
    },
    "Task": {"id": OP, "agency": OP, "crewId": OP, "status": OP},
    "Note": {"id": P, "text": P, "authorAgency": P, "createdAt": P, "visibility": P, "author": OP},
}
