"""A field crew's photo, uploaded to evidence/{incident}/{task}/… through requestPhotoUpload, becomes
evidence of the incident: checked like a camera upload (bad input to quarantine), faces blurred into
`redacted/evidence/…`; the original stays the owning agency's. `evidence_photos` lists them."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.cameras import EVIDENCE_KEY, RejectedMedia, redacted_key_of
from chalicelib.services.cameras.analyse_upload import (
    UploadDependencies,
    UploadOutcome,
    check_object,
    quarantining,
    write_derivative,
)

FACE_MODEL = "centerface"


def process_evidence(key: str, event_time: datetime, deps: UploadDependencies) -> UploadOutcome:
    return quarantining(_process, key, event_time, deps)


def _process(key: str, event_time: datetime, deps: UploadDependencies) -> UploadOutcome:
    match = EVIDENCE_KEY.match(key)
    if match is None:
        raise RejectedMedia(f"{key!r} is not an evidence key", "MALFORMED_KEY")
    stored = deps.media.head(key)
    if stored is None:
        return UploadOutcome(key, "missing")
    task = deps.tasks.get(match["task"]) if deps.tasks else None
    if task is None or task.incident_id != match["incident"]:
        raise RejectedMedia(f"no task {match['task']!r} on incident {match['incident']!r}", "UNKNOWN_TASK")
    check_object(stored, deps.max_bytes)
    frames = deps.decode(deps.media.read(key), stored.content_type, event_time)
    if len(frames) != 1:
        raise RejectedMedia("a field photo is one still image", "NOT_A_STILL")
    redacted = redacted_key_of(key, stored.content_type)
    if deps.media.head(redacted) is not None:
        return UploadOutcome(key, "already_analysed", redacted_key=redacted)
    faces = [
        box for box in deps.detectors.detector(FACE_MODEL).detect(frames[0].pixels) if box.label == "face"
    ]
    write_derivative(deps, key, redacted, frames, [faces], stored.content_type)
    return UploadOutcome(
        key, "analysed", faces=len(faces), redacted_key=redacted, incidents={task.incident_id}
    )
