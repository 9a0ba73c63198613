"""Camera configurations and analytics state in DynamoDB: one table, two items per camera.

`item = "config"` holds the operator's configuration (JSON, optimistic `version`); `item = "state"`
holds what the analytics remember (recent people counts, the background model), also versioned.
"""

from __future__ import annotations

import json
from dataclasses import replace

from pynamodb.attributes import (
    BinaryAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.cameras.config import CameraConfig
from chalicelib.domain.cameras.state import CameraState, CrowdObservation
from chalicelib.domain.errors import Conflict

CONFIG = "config"
STATE = "state"


class CameraModel(Model):
    class Meta:
        table_name = "cameras"

    camera_id = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)  # "config" or "state"
    version = NumberAttribute(default=0)
    body = UnicodeAttribute(default="{}")  # JSON: the configuration, or the state's observations
    background = BinaryAttribute(null=True, legacy_encoding=False)


class DynamoCameraRepository:
    def get_config(self, camera_id: str) -> CameraConfig | None:
        try:
            item = CameraModel.get(camera_id, CONFIG)
        except CameraModel.DoesNotExist:
            return None
        return replace(CameraConfig.from_dict(json.loads(item.body)), version=int(item.version))

    def save_config(self, config: CameraConfig, expected_version: int | None) -> CameraConfig:
        current = self.get_config(config.camera_id)
        current_version = current.version if current else 0
        if expected_version is not None and expected_version != current_version:
            raise Conflict(f"camera {config.camera_id} is at version {current_version}", current_version)
        saved = replace(config, version=current_version + 1)
        condition = (
            CameraModel.camera_id.does_not_exist()
            if current is None
            else CameraModel.version == current_version
        )
        item = CameraModel(config.camera_id, CONFIG, version=saved.version, body=json.dumps(saved.to_dict()))
        try:
            item.save(condition=condition)
        except PutError as error:
            if condition_failed(error):
                latest = self.get_config(config.camera_id)
                version = latest.version if latest else 0
                raise Conflict(f"camera {config.camera_id} is at version {version}", version) from None
            raise
        return saved

    def get_state(self, camera_id: str) -> CameraState:
        try:
            item = CameraModel.get(camera_id, STATE)
        except CameraModel.DoesNotExist:
            return CameraState(camera_id)
        body = json.loads(item.body)
        shape = body.get("background_shape")
        return CameraState(
            camera_id=camera_id,
            version=int(item.version),
            observations=tuple(CrowdObservation.from_dict(o) for o in body.get("observations", [])),
            background=bytes(item.background) if item.background else None,
            background_shape=(int(shape[0]), int(shape[1])) if shape else None,
            seen_frames=tuple(body.get("seen_frames", [])),
        )

    def save_state(self, state: CameraState) -> bool:
        body = {
            "observations": [o.to_dict() for o in state.observations],
            "background_shape": list(state.background_shape) if state.background_shape else None,
            "seen_frames": list(state.seen_frames),
        }
        condition = (
            CameraModel.camera_id.does_not_exist()
            if state.version == 0
            else CameraModel.version == state.version
        )
        item = CameraModel(
            state.camera_id,
            STATE,
            version=state.version + 1,
            body=json.dumps(body),
            background=state.background,
        )
        try:
            item.save(condition=condition)
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True
