"""In-memory camera configurations and analytics state: the fake of the camera repository, versioned like
adapters/dynamodb/cameras/cameras.py."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.cameras.config import CameraConfig
from chalicelib.domain.cameras.state import CameraState
from chalicelib.domain.errors import Conflict


class MemoryCameraRepository:
    def __init__(self) -> None:
        self.configs: dict[str, CameraConfig] = {}
        self.states: dict[str, CameraState] = {}

    def get_config(self, camera_id: str) -> CameraConfig | None:
        return self.configs.get(camera_id)

    def save_config(self, config: CameraConfig, expected_version: int | None) -> CameraConfig:
        current = self.configs.get(config.camera_id)
        current_version = current.version if current else 0
        if expected_version is not None and expected_version != current_version:
            raise Conflict(f"camera {config.camera_id} is at version {current_version}", current_version)
        saved = replace(config, version=current_version + 1)
        self.configs[config.camera_id] = saved
        return saved

    def get_state(self, camera_id: str) -> CameraState:
        return self.states.get(camera_id) or CameraState(camera_id)

    def save_state(self, state: CameraState) -> bool:
        current = self.states.get(state.camera_id)
        if (current.version if current else 0) != state.version:
            return False
        self.states[state.camera_id] = replace(state, version=state.version + 1)
        return True
