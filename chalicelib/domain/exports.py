"""What a context package exports to the other contexts, loaded lazily (PEP 562).

Each context package (`chalicelib/domain/<context>/__init__.py`) lists in `__all__` the names other
contexts may use, imports them under TYPE_CHECKING for the type checker, and at run time gets its
`__getattr__` from `lazy_exports`: a name is imported from its module on first use. Importing a
context therefore costs nothing, and the API function never loads a module (h3, pydantic, numpy)
because a neighbour of it is exported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `homes` maps each exported name to its module in it."""

    def __getattr__(name: str) -> Any:
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # found once: later lookups skip __getattr__
        return value

    return __getattr__
