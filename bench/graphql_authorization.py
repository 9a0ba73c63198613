"""What field-level authorisation costs a GraphQL read, and what Strawberry costs over bare graphql-core.

One data set: 50 incidents of one agency, 10 recent events and 3 devices each, read with QUERY by two
callers: a supervisor of the owner (RESTRICTED: nothing redacted) and an operator of an agency the owner
shares with at SUMMARY by a policy (location, events, deviceIds … redacted). Repository answers are read
once before timing (Replayed), so every figure is GraphQL execution over loaded data: no storage reads,
no HTTP, no JSON encoding.

Authorisation variants, all on the production schema:
- on: what /graphql runs: GraphQLContext.for_request, schema.execute_sync, the audit entries;
- decisions_only: real decisions and redaction, but no redacted-path or audit bookkeeping;
- off: every decision RESTRICTED (objects built unredacted) and no bookkeeping;
- off_at_caller_level: decisions fixed at the caller's own level, no bookkeeping: the same response as on.
Seams, no production change: FixedAccess (an AccessResolver with one decision) in the context, and
serving._record (the walk that records redacted paths and audited reads) made a no-op.

Strawberry vs graphql-core: the same pre-built IncidentType objects (the owner's), served by a Strawberry
schema of the production types and by a bare graphql-core schema with the same fields, no extensions.
`production_off_over_strawberry` is what the production schema adds on top: its resolvers' work (the
page, decisions, building the objects, signed cursors) and its extensions (query limits, error rewriting).

Variants are interleaved, their order rotated every round; ms are medians over ROUNDS rounds of BATCH
queries, ratios the medians of per-round ratios (with their interquartile range: the machine is noisy).

Run: .venv/bin/python -m bench.graphql_authorization   (BENCH_ROUNDS, BENCH_BATCH to change the sampling)
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from typing import Any

import graphql as gq
import h3
import strawberry
from strawberry.types import ExecutionResult

from chalicelib.bootstrap import Container, build_memory_container
from chalicelib.bootstrap.use_cases import GraphQLUseCases
from chalicelib.domain.access.decisions import AccessDecision
from chalicelib.domain.access.sharing import SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import RECENT_EVENTS, Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role
from chalicelib.gql.access_directive import AccessLevelEnum
from chalicelib.gql.common import PublicStatus
from chalicelib.gql.context import GraphQLContext, RedactedPaths
from chalicelib.gql.incidents import serving as presenting
from chalicelib.gql.incidents.pagination import IncidentConnection, IncidentEdge, PageInfo
from chalicelib.gql.incidents.types import IncidentType, Related, events_shown
from chalicelib.gql.response.task_loader import TaskLoader
from chalicelib.gql.schema import schema
from chalicelib.gql.view import ALLOWED_OPERATIONS
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.access.audit_reads import ReadAudit
from chalicelib.services.incidents.query_incidents import list_incidents

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
BATCH = int(os.environ.get("BENCH_BATCH", "3"))
INCIDENTS, DEVICES, TARGET_OVERHEAD_PCT = 50, 3, 10
OWNER, READER = "environment", "transport"
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
QUERY = """{ incidents(first: 50) { edges { node {
  id category subCategory publicStatus area ownerAgency accessLevel title status severity confidence
  firstSeen lastSeen eventCount version h3Cell description sensitive peakMagnitude
  location { lat lon } approximateLocation { lat lon }
  events { id severity description observedAt } deviceIds } } } }"""
CALLERS = {
    "owner_restricted": Principal("bench-supervisor", OWNER, frozenset({Role.SUPERVISOR})),
    "shared_summary": Principal("bench-operator", READER, frozenset({Role.OPERATOR})),
}


def incident(number: int) -> Incident:
    lat, lon, seen = 51.45 + number * 0.002, -0.2 + number * 0.003, NOW - timedelta(minutes=number)
    events = [
        DetectionEvent(
            f"evt-{number}-{k}",
            f"aq-{number}-{k % DEVICES}",
            "airPollution",
            Severity.HIGH,
            0.9,
            120.0 + k,
            lat,
            lon,
            seen - timedelta(minutes=k),
            "threshold",
            f"PM2.5 at {120 + k} ug/m3",
            {"metric": "pm2_5", "value": 120.0 + k},
        )
        for k in range(RECENT_EVENTS)
    ]
    return Incident(
        f"inc-{number:03d}", OWNER, "airPollution", IncidentStatus.OPEN, Severity.HIGH, 0.9,
        f"Air pollution {number}", lat, lon, str(h3.latlng_to_cell(lat, lon, 9)),
        seen - timedelta(hours=1), seen, RECENT_EVENTS, 130.0,
        source_confidence={f"aq-{number}-{k}": 0.9 for k in range(DEVICES)},
        description=events[0].description, recent_events=events,
    )  # fmt: skip


class Replayed:
    """A repository whose answers are read once, before timing: timed queries read no storage."""

    def __init__(self, repository: Any) -> None:
        self._repository = repository
        self._answers: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def replay(*args: Any, **kwargs: Any) -> Any:
            key = repr((name, args, kwargs))
            if key not in self._answers:
                self._answers[key] = getattr(self._repository, name)(*args, **kwargs)
            return self._answers[key]

        return replay


def loaded_container() -> Container:
    container = build_memory_container(clock=lambda: NOW)
    for number in range(INCIDENTS):
        container.incidents.put(incident(number))  # type: ignore[attr-defined]
    policy = SharingPolicy("pol-bench", OWNER, READER, "environment", None, AccessLevel.SUMMARY)
    container.sharing.put_policy(policy, None)
    container.incidents, container.sharing = Replayed(container.incidents), Replayed(container.sharing)
    return container


class FixedAccess(AccessResolver):
    """Every incident at one level, as if there were no access decisions."""

    def __init__(self, principal: Principal, container: Container, level: AccessLevel) -> None:
        super().__init__(principal, container.clock(), container.sharing, container.tasks)
        self._decision = AccessDecision(level, "owner")

    def decide(self, incident: Incident) -> AccessDecision:
        return self._decision


@contextmanager
def no_bookkeeping() -> Iterator[None]:
    """No redacted paths and no audited reads recorded: serving skips its per-object walk."""
    original = presenting._record
    presenting._record = lambda *_args: None
    try:
        yield
    finally:
        presenting._record = original


def production_run(
    principal: Principal, container: Container, fixed: AccessLevel | None, bookkeeping: bool
) -> Callable[[], tuple[ExecutionResult, GraphQLContext]]:
    """One request's GraphQL work on the production schema; fixed=None: the caller's real decisions."""

    def run() -> tuple[ExecutionResult, GraphQLContext]:
        if fixed is None:
            context = GraphQLContext.for_request(principal, container, "bench")
        else:
            resolver = FixedAccess(principal, container, fixed)
            audit, tasks = ReadAudit(resolver, "bench"), TaskLoader(container.tasks)
            use = GraphQLUseCases(container, principal, resolver, audit)
            context = GraphQLContext(principal, use, resolver, audit, tasks, RedactedPaths())
        with nullcontext() if bookkeeping else no_bookkeeping():
            result = schema.execute_sync(
                QUERY, context_value=context, allowed_operation_types=ALLOWED_OPERATIONS
            )
        context.audit.entries()  # what the view's flush computes before its one write
        return result, context

    return run


def prebuilt_connection(container: Container, principal: Principal) -> IncidentConnection:
    resolver = AccessResolver(principal, NOW, container.sharing, container.tasks)
    page = list_incidents(resolver, container.incidents, container.cursors, first=INCIDENTS)
    nodes = [IncidentType.from_domain(item, Related(events=True)) for item in page.items]
    edges = [IncidentEdge(cursor=node.id, node=node) for node in nodes]
    return IncidentConnection(edges=edges, page_info=PageInfo(has_next_page=False, end_cursor=None))


def strawberry_schema(connection: IncidentConnection) -> strawberry.Schema:
    @strawberry.type
    class PrebuiltQuery:
        @strawberry.field
        def incidents(self, first: int = 20) -> IncidentConnection:
            return connection

    return strawberry.Schema(query=PrebuiltQuery)


def graphql_core_schema(connection: IncidentConnection) -> gq.GraphQLSchema:
    def of(name: str, kind: Any) -> gq.GraphQLField:  # a field read from the object's python attribute
        return gq.GraphQLField(kind, resolve=lambda source, _info: getattr(source, name))

    def enum(name: str, values: Any) -> gq.GraphQLEnumType:
        return gq.GraphQLEnumType(name, values, names_as_values=None)

    def events(node: IncidentType, _info: Any, first: int) -> Any:
        return None if node.recent_events is None else node.recent_events[: events_shown(first)]

    req, many = gq.GraphQLNonNull, gq.GraphQLList
    text, number, ident = gq.GraphQLString, gq.GraphQLFloat, gq.GraphQLID
    instant = gq.GraphQLScalarType("DateTime", coerce_output_value=datetime.isoformat)
    severity = enum("Severity", Severity)
    point = gq.GraphQLObjectType(
        "GeoPoint", {"lat": gq.GraphQLField(req(number)), "lon": gq.GraphQLField(req(number))}
    )
    event = gq.GraphQLObjectType("DetectionEvent", {
        "id": gq.GraphQLField(ident), "severity": gq.GraphQLField(severity),
        "description": gq.GraphQLField(text), "observedAt": of("observed_at", instant),
    })  # fmt: skip
    node = gq.GraphQLObjectType("Incident", {
        "id": gq.GraphQLField(req(ident)), "category": gq.GraphQLField(req(text)),
        "subCategory": of("sub_category", req(text)),
        "publicStatus": of("public_status", req(enum("PublicStatus", PublicStatus))),
        "area": gq.GraphQLField(req(text)), "ownerAgency": of("owner_agency", req(text)),
        "accessLevel": of("access_level", req(enum("AccessLevel", AccessLevelEnum))),
        "title": gq.GraphQLField(text), "status": gq.GraphQLField(enum("IncidentStatus", IncidentStatus)),
        "severity": gq.GraphQLField(severity), "confidence": gq.GraphQLField(number),
        "firstSeen": of("first_seen", instant), "lastSeen": of("last_seen", instant),
        "eventCount": of("event_count", gq.GraphQLInt), "version": gq.GraphQLField(gq.GraphQLInt),
        "h3Cell": of("h3_cell", text), "description": gq.GraphQLField(text),
        "sensitive": gq.GraphQLField(gq.GraphQLBoolean), "peakMagnitude": of("peak_magnitude", number),
        "location": gq.GraphQLField(point), "approximateLocation": of("approximate_location", point),
        "events": gq.GraphQLField(
            many(req(event)), {"first": gq.GraphQLArgument(req(gq.GraphQLInt), default_value=10)}, events
        ),
        "deviceIds": of("device_ids", many(req(ident))),
    })  # fmt: skip
    edge = gq.GraphQLObjectType("IncidentEdge", {"node": gq.GraphQLField(req(node))})
    page = gq.GraphQLObjectType("IncidentConnection", {"edges": gq.GraphQLField(req(many(req(edge))))})
    size = {"first": gq.GraphQLArgument(req(gq.GraphQLInt), default_value=20)}
    root = {"incidents": gq.GraphQLField(req(page), size, lambda _root, _info, first: connection)}
    return gq.GraphQLSchema(gq.GraphQLObjectType("Query", root))


def resolved_fields(value: Any) -> int:
    """Fields resolved to produce `value`: one per key of every object in the response."""
    if isinstance(value, dict):
        return sum(1 + resolved_fields(item) for item in value.values())
    return sum(resolved_fields(item) for item in value) if isinstance(value, list) else 0


def timed(runs: dict[str, Callable[[], Any]]) -> dict[str, list[float]]:
    """ms per query of each run, one sample per round: interleaved, the order rotated every round."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    gc.collect()
    gc.freeze()  # the schema and the loaded data: long-lived, kept out of every collection's way
    for round_ in range(ROUNDS):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            started = time.perf_counter()
            for _ in range(BATCH):
                runs[name]()
            samples[name].append((time.perf_counter() - started) * 1000 / BATCH)
    return samples


def ratio(samples: dict[str, list[float]], slower: str, faster: str) -> dict[str, Any]:
    """The median of per-round ratios (each round's two figures were taken moments apart), with its IQR."""
    ratios = [a / b for a, b in zip(samples[slower], samples[faster], strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return {"ratio": round(statistics.median(ratios), 3), "ratio_iqr": [round(low, 3), round(high, 3)]}


def served(outcome: Any) -> tuple[dict[str, Any], GraphQLContext | None]:
    """The response data of one run (and its context, for production runs); errors stop the benchmark."""
    result, context = outcome if isinstance(outcome, tuple) else (outcome, None)
    if result.errors:
        raise RuntimeError(f"the benchmark query failed: {result.errors}")
    return result.data, context


def figures(samples: list[float], data: dict[str, Any]) -> dict[str, float]:
    ms, fields = statistics.median(samples), resolved_fields(data)
    return {
        "ms_per_query": round(ms, 3),
        "resolved_fields": fields,
        "us_per_field": round(ms * 1000 / fields, 2),
    }


def production_runs(container: Container) -> dict[str, Callable[[], Any]]:
    runs: dict[str, Callable[[], Any]] = {}
    for caller, principal in CALLERS.items():
        runs[f"{caller}/on"] = production_run(principal, container, None, True)
        runs[f"{caller}/decisions_only"] = production_run(principal, container, None, False)
        runs[f"{caller}/off"] = production_run(principal, container, AccessLevel.RESTRICTED, False)
    reader = CALLERS["shared_summary"]
    runs["shared_summary/off_at_caller_level"] = production_run(reader, container, AccessLevel.SUMMARY, False)
    return runs


def authorisation_figures(
    caller: str, samples: dict[str, list[float]], outcomes: dict[str, tuple[dict[str, Any], Any]]
) -> dict[str, Any]:
    """The overhead is judged against the OFF run serving the same response: for a caller below RESTRICTED,
    OFF (unredacted) resolves more fields than ON and is reported, but is no baseline."""
    data, context = outcomes[f"{caller}/on"]
    baseline = next(name for name in (f"{caller}/off_at_caller_level", f"{caller}/off") if name in samples)
    overhead = ratio(samples, f"{caller}/on", baseline)
    return {
        "access_level": data["incidents"]["edges"][0]["node"]["accessLevel"],
        "redacted_paths": len(context.redacted.paths),
        "audit_entries": len(context.audit.entries()),
        **{
            name.split("/")[1]: figures(values, outcomes[name][0])
            for name, values in samples.items()
            if name.startswith(f"{caller}/")
        },
        "overhead_baseline": baseline.split("/")[1],
        "overhead_pct": round((overhead["ratio"] - 1) * 100, 1),
        "within_target": overhead["ratio"] <= 1 + TARGET_OVERHEAD_PCT / 100,
        "on_over_baseline": overhead,
        **(
            {}
            if baseline.endswith("/off")
            else {"on_over_off": ratio(samples, f"{caller}/on", f"{caller}/off")}
        ),
        "decisions_only_over_baseline": ratio(samples, f"{caller}/decisions_only", baseline),
        "on_over_decisions_only": ratio(samples, f"{caller}/on", f"{caller}/decisions_only"),
    }


def main() -> None:
    container = loaded_container()
    prebuilt = prebuilt_connection(container, CALLERS["owner_restricted"])
    straw, core = strawberry_schema(prebuilt), graphql_core_schema(prebuilt)
    runs = production_runs(container)
    runs["strawberry"] = lambda: straw.execute_sync(QUERY)
    runs["graphql_core"] = lambda: gq.graphql_sync(core, QUERY)
    outcomes = {name: served(run()) for name, run in runs.items()}  # also the warm-up
    data = {name: value for name, (value, _) in outcomes.items()}
    owner, shared = "owner_restricted", "shared_summary"
    assert data[f"{owner}/on"] == data[f"{owner}/off"] == data["strawberry"] == data["graphql_core"]
    assert data[f"{shared}/on"] == data[f"{shared}/off_at_caller_level"] != data[f"{shared}/off"]
    samples = timed(runs)
    authorisation = {caller: authorisation_figures(caller, samples, outcomes) for caller in CALLERS}
    report = {
        "benchmark": "graphql_authorization",
        "query": "incidents(first: 50): every scalar field of Incident, location, approximateLocation, "
        "events { id severity description observedAt } (10 each), deviceIds",
        "rounds": ROUNDS,
        "queries_per_round": BATCH,
        "target_overhead_pct": TARGET_OVERHEAD_PCT,
        "seams": "OFF runs: FixedAccess (one decision for all) in GraphQLContext, serving._record "
        "a no-op; no production code changed",
        "authorisation": authorisation,
        "strawberry_vs_graphql_core": {
            "data": "the owner's 50 pre-built IncidentType objects; no schema extensions on either",
            "strawberry": figures(samples["strawberry"], data["strawberry"]),
            "graphql_core": figures(samples["graphql_core"], data["graphql_core"]),
            "strawberry_over_graphql_core": ratio(samples, "strawberry", "graphql_core"),
            "production_off_over_strawberry": ratio(samples, f"{owner}/off", "strawberry"),
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
