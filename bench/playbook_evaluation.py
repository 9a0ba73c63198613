"""µs to decide which playbooks an incident newly triggers, as done once per absorbed event.

Generated playbooks (seeded, varied): every sub-category, some by category; severity, confidence and
min_sources thresholds; a third restricted to H3 area cells at resolutions 6-8 around London
(51.5072, -0.1276), some to camera zones; a few disabled. INCIDENTS synthetic incidents (1-4 sources,
zones on some events, spread over ~15 km) are evaluated against a 200-playbook and a 2,000-playbook
index, interleaved per incident, the order rotated each round. Every evaluation is timed on its own
(perf_counter_ns); the report gives median and p99 µs per evaluation over all rounds, against a
≤ 1 ms median target, and how many playbooks matched on average.

Run: .venv/bin/python -m bench.playbook_evaluation   (BENCH_ROUNDS, default 5; BENCH_INCIDENTS, default 3000)
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import h3

from chalicelib.domain.categories import CATEGORIES, Severity
from chalicelib.domain.incidents.correlation import absorb, open_incident
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.response.playbook_matching import PlaybookIndex, fired_key, newly_triggered
from chalicelib.domain.response.playbooks import Playbook, parse_playbook

LONDON = (51.5072, -0.1276)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
INCIDENTS = int(os.environ.get("BENCH_INCIDENTS", "3000"))
SIZES = (200, 2000)
TARGET_MEDIAN_US = 1000
SUB_CATEGORIES = sorted(CATEGORIES)
CATEGORY_NAMES = sorted({spec.category for spec in CATEGORIES.values()})
ZONES = [f"zone-{n}" for n in range(12)]
SEVERITIES = list(Severity)
AT = datetime(2025, 6, 1, tzinfo=UTC)


def near_london(rng: random.Random, spread: float = 0.07) -> tuple[float, float]:
    return LONDON[0] + rng.uniform(-spread, spread), LONDON[1] + rng.uniform(-spread * 1.6, spread * 1.6)


def trigger(rng: random.Random) -> dict[str, Any]:
    found: dict[str, Any] = {"min_severity": rng.choice(SEVERITIES).value}
    if rng.random() < 0.15:
        found["categories"] = [rng.choice(CATEGORY_NAMES)]
    else:
        found["sub_categories"] = rng.sample(SUB_CATEGORIES, rng.choice((1, 1, 2)))
    found["min_confidence"] = rng.choice((0.0, 0.0, 0.5, 0.8))
    found["min_sources"] = rng.choice((1, 1, 1, 2, 3))
    if rng.random() < 0.35:
        cells = {
            h3.latlng_to_cell(*near_london(rng), rng.choice((6, 7, 8))) for _ in range(rng.randint(1, 8))
        }
        found["area_cells"] = sorted(cells)
    if rng.random() < 0.15:
        found["zones"] = rng.sample(ZONES, 2)
    return found


def playbooks(count: int, seed: int = 5) -> list[Playbook]:
    rng = random.Random(seed)
    task = {"type": "create_task", "id": "respond", "agency": "owner", "template": "Respond near {area}"}
    escalate = {
        "type": "escalate_if_unacknowledged",
        "id": "escalate",
        "task": "respond",
        "after_minutes": 15,
    }
    notify = {"type": "notify", "id": "tell", "agencies": ["owner"], "roles": ["operator", "supervisor"]}
    actions = [task | {"sla_minutes": 60}, escalate | {"levels": [["supervisor"], ["admin"]]}, notify]
    return [
        parse_playbook(
            {"id": f"playbook-{n:04d}", "name": f"Playbook {n}", "enabled": rng.random() > 0.05}
            | {"trigger": trigger(rng), "actions": actions}
        )
        for n in range(count)
    ]


def incidents(count: int, seed: int = 9) -> list[Incident]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        sub_category, lat_lon = rng.choice(SUB_CATEGORIES), near_london(rng)
        current: Incident | None = None
        for k in range(rng.randint(1, 4)):
            zone = {"zone": rng.choice(ZONES)} if rng.random() < 0.3 else {}
            event = DetectionEvent(
                f"evt_{n}_{k}", f"src-{rng.randint(0, 3)}", sub_category, rng.choice(SEVERITIES),
                rng.random(), 1.0, *lat_lon, AT + timedelta(minutes=k), "bench", "synthetic", zone,
            )  # fmt: skip
            current = absorb(current, event) if current else open_incident(event, f"inc_{n}", "police")
        assert current is not None
        out.append(current)
    return out


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    built_ms, indexes = {}, {}
    for size in SIZES:
        generated = playbooks(size)
        started = time.perf_counter()
        indexes[size] = PlaybookIndex(generated)
        built_ms[size] = round((time.perf_counter() - started) * 1000, 1)
    subjects = incidents(INCIDENTS)
    fired = [
        frozenset(fired_key(p) for p in indexes[SIZES[0]].playbooks[n % 7 :: 37]) for n in range(INCIDENTS)
    ]
    timings: dict[int, list[float]] = {size: [] for size in SIZES}
    matched: dict[int, int] = dict.fromkeys(SIZES, 0)
    for round_number in range(ROUNDS):
        order = SIZES if round_number % 2 == 0 else SIZES[::-1]
        for subject, already in zip(subjects, fired, strict=True):
            for size in order:
                started = time.perf_counter_ns()
                found = newly_triggered(indexes[size], subject, already)
                timings[size].append((time.perf_counter_ns() - started) / 1000)
                matched[size] += len(found)
    report = {
        "incidents": INCIDENTS,
        "rounds": ROUNDS,
        "target_median_us": TARGET_MEDIAN_US,
        "results": {
            f"{size}_playbooks": {
                "enabled": len(indexes[size]),
                "index_build_ms": built_ms[size],
                "median_us": round(statistics.median(timings[size]), 1),
                "p99_us": round(percentile(timings[size], 0.99), 1),
                "mean_newly_triggered": round(matched[size] / len(timings[size]), 2),
                "meets_target": statistics.median(timings[size]) <= TARGET_MEDIAN_US,
            }
            for size in SIZES
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
