"""Sensing: devices and their signed requests, readings, metrics, baselines, thresholds, detection.

Other contexts import the names below from the package, never from its modules; each is imported
from its module on first use (chalicelib/domain/exports.py), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.exports import lazy_exports

if TYPE_CHECKING:
    from chalicelib.domain.sensing.devices import Device, SignedRequest
    from chalicelib.domain.sensing.ports import (
        BaselineRepository,
        DeviceKeyring,
        DeviceRepository,
        NonceStore,
        ReadingQueue,
        ReadingStore,
    )
    from chalicelib.domain.sensing.readings import Reading

__all__ = [
    "BaselineRepository",
    "Device",
    "DeviceKeyring",
    "DeviceRepository",
    "NonceStore",
    "Reading",
    "ReadingQueue",
    "ReadingStore",
    "SignedRequest",
]

_HOMES = {
    "Device": "devices",
    "SignedRequest": "devices",
    "BaselineRepository": "ports",
    "DeviceKeyring": "ports",
    "DeviceRepository": "ports",
    "NonceStore": "ports",
    "ReadingQueue": "ports",
    "ReadingStore": "ports",
    "Reading": "readings",
}

if not TYPE_CHECKING:  # the type checker reads the imports above
    __getattr__ = lazy_exports(__name__, _HOMES)
