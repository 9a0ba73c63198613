"""The bounded JSON reader every route parses request bodies with (chalicelib/domain/json_bodies.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from chalicelib.domain.errors import InvalidInput, PayloadTooLarge
from chalicelib.domain.json_bodies import MAX_JSON_DEPTH, MAX_NUMBER_CHARS, parse_json, read_json

ROOT = Path(__file__).resolve().parents[2]


def code_of(body: bytes, **options: bool) -> str:
    with pytest.raises(InvalidInput) as refused:
        parse_json(body, **options)
    return refused.value.code


def test_given_a_body_nested_a_million_deep_then_too_deep_without_recursing():
    assert code_of(b"[" * 1_000_000 + b"]" * 1_000_000) == "JSON_TOO_DEEP"
    assert code_of(b'{"a":' * 100_000) == "JSON_TOO_DEEP"  # truncated too: depth is refused first


def test_given_the_deepest_allowed_document_then_parsed_and_one_more_level_refused():
    deepest = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH

    expected: list = []
    for _ in range(MAX_JSON_DEPTH - 1):
        expected = [expected]

    assert parse_json(deepest.encode()) == expected
    assert code_of(f"[{deepest}]".encode()) == "JSON_TOO_DEEP"


def test_given_brackets_and_escaped_quotes_inside_strings_then_they_do_not_nest():
    text = '["\\"[[[[", {"k\\\\": "]]]{{{"}, "\\\\"]'
    body = ('{"s": ' + '"' + "[{" * 50_000 + '", "t": ' + text + "}").encode()

    assert parse_json(body)["t"] == ['"[[[[', {"k\\": "]]]{{{"}, "\\"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "MALFORMED_JSON"),
        (b'{"a": 1', "MALFORMED_JSON"),
        (b'{"a": "\xff"}', "MALFORMED_JSON"),
        (b"[1]]]]", "MALFORMED_JSON"),
        (b'{"n": NaN}', "MALFORMED_JSON"),
        (b'{"n": -Infinity}', "MALFORMED_JSON"),
        (b'{"n": 1e999}', "MALFORMED_JSON"),
        (b'{"n": ' + b"9" * (MAX_NUMBER_CHARS + 1) + b"}", "JSON_NUMBER_TOO_LONG"),
        (b'{"n": 0.' + b"1" * MAX_NUMBER_CHARS + b"}", "JSON_NUMBER_TOO_LONG"),
    ],
)
def test_given_a_malformed_body_then_a_coded_invalid_input(body, code):
    assert code_of(body) == code


def test_given_non_finite_numbers_allowed_then_they_come_back_as_floats():
    parsed = parse_json(b"[NaN, Infinity, -Infinity, 1e999]", non_finite=True)

    assert math.isnan(parsed[0]) and parsed[1:] == [math.inf, -math.inf, math.inf]


def test_given_the_longest_number_allowed_then_parsed_exactly():
    assert parse_json(b"9" * MAX_NUMBER_CHARS) == int("9" * MAX_NUMBER_CHARS)


def test_given_a_body_over_the_limit_then_payload_too_large_before_it_is_read():
    with pytest.raises(PayloadTooLarge):
        read_json(b"[" * 101, max_bytes=100)
    assert read_json('{"a": [1, 2.5, "x", null, true]}', max_bytes=100) == {"a": [1, 2.5, "x", None, True]}


def test_given_the_runtime_code_then_request_bodies_are_read_only_through_the_bounded_reader():
    """`raw_body` only inside `bounded_body(...)`, never Chalice's unbounded `json_body`, and no
    `json.loads` in the HTTP rooms (app.py, api, gql)."""
    offending = []
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        http_room = path.name == "app.py" or path.parent.name in ("api", "gql") or "gql" in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            unbounded = "raw_body" in line and "bounded_body(" not in line
            if unbounded or "json_body" in line or (http_room and "json.loads(" in line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == [], "read request bodies with chalicelib/domain/json_bodies.py"
