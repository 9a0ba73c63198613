"""Request bodies read as JSON within bounds: the one reader every route uses.

`bounded_body` refuses a body over the route's byte limit before anything else looks at it;
`parse_json` then refuses what is not UTF-8, arrays and objects nested deeper than `MAX_JSON_DEPTH`
(checked by a flat scan before the parser, whose recursion a deep document would exhaust), numbers
longer than `MAX_NUMBER_CHARS` (Python converts long integers in quadratic time) and, unless the caller
asks for them, the NaN and Infinity literals JSON does not have. `read_json` does both.

Every refusal is a domain error with a code: PAYLOAD_TOO_LARGE (413), JSON_TOO_DEEP,
JSON_NUMBER_TOO_LONG and MALFORMED_JSON (400).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from chalicelib.domain.errors import InvalidInput, PayloadTooLarge

MAX_JSON_DEPTH = 32  # arrays and objects, the outermost one counted: no legitimate body nests past ~10
MAX_NUMBER_CHARS = 64  # a float64 needs at most 24 characters; an int64, 20

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_OPENERS = frozenset("[{")


def read_json(
    body: bytes | str | None, max_bytes: int, *, max_depth: int = MAX_JSON_DEPTH, non_finite: bool = False
) -> Any:
    """The JSON document of a request body, within `max_bytes` and `max_depth`."""
    return parse_json(bounded_body(body, max_bytes), max_depth=max_depth, non_finite=non_finite)


def bounded_body(body: bytes | str | None, max_bytes: int) -> bytes:
    """The body as bytes; PayloadTooLarge if it is over `max_bytes`."""
    raw = body.encode() if isinstance(body, str) else body or b""
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the request body is {len(raw)} bytes; the limit is {max_bytes}")
    return raw


def parse_json(body: bytes, *, max_depth: int = MAX_JSON_DEPTH, non_finite: bool = False) -> Any:
    """Parse a body already bounded in size. `non_finite` lets NaN and ±Infinity (literals or numbers
    too large for a float) through as floats, for callers that reject such values one by one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the body must be UTF-8 encoded JSON", "MALFORMED_JSON") from None
    check_depth(text, max_depth)
    try:
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=lambda literal: _finite(float(_short(literal)), literal, non_finite),
            parse_constant=lambda literal: _finite(float(literal), literal, non_finite),
        )
    except json.JSONDecodeError as error:
        message = f"the body is not valid JSON: {error.msg} at position {error.pos}"
        raise InvalidInput(message, "MALFORMED_JSON") from None


def check_depth(text: str, max_depth: int) -> None:
    """Refuse arrays and objects nested deeper than `max_depth`, without recursing: brackets inside
    strings are skipped; whether the brackets balance is left to the parser."""
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in _OPENERS else -1
        if depth > max_depth:
            message = f"arrays and objects are nested deeper than {max_depth} levels"
            raise InvalidInput(message, "JSON_TOO_DEEP")


def _short(literal: str) -> str:
    if len(literal) > MAX_NUMBER_CHARS:
        message = f"a number in the body has {len(literal)} characters; at most {MAX_NUMBER_CHARS} are read"
        raise InvalidInput(message, "JSON_NUMBER_TOO_LONG")
    return literal


def _integer(literal: str) -> int:
    return int(_short(literal))


def _finite(value: float, literal: str, allowed: bool) -> float:
    if not allowed and not math.isfinite(value):
        raise InvalidInput(f"{literal[:16]} is not a JSON number a float can hold", "MALFORMED_JSON")
    return value
