"""Benchmark: the daily release job (解保) on 100,000 expired guarantees among 1,000,000.

Target (issue 4): ≤ 60 s on PostgreSQL. BENCH_RELEASE_TOTAL / BENCH_RELEASE_EXPIRED scale it.
"""

import os

from bench.guarantee_data import run_in_fresh_database

TOTAL = int(os.environ.get("BENCH_RELEASE_TOTAL", "1000000"))
EXPIRED = int(os.environ.get("BENCH_RELEASE_EXPIRED", "100000"))


def main(seconds=None, repeats=None):
    code = f"""
from eguarantee.guarantees import services
from eguarantee.guarantees.models import GuaranteeEvent
started = time.perf_counter()
generate_for({TOTAL}, {EXPIRED})
generated = time.perf_counter() - started
started = time.perf_counter()
released = services.release_expired()
elapsed = time.perf_counter() - started
again = services.release_expired()
print(json.dumps({{"generated_s": round(generated, 1), "released": released, "seconds": round(elapsed, 1),
    "second_run_released": again, "events": GuaranteeEvent.objects.filter(action="release").count()}}))
"""
    result = run_in_fresh_database("eguarantee_bench_release", code)
    return {
        "name": "release_job",
        "database": "postgresql",
        "guarantees": TOTAL,
        "expired": EXPIRED,
        "generate_seconds": result["generated_s"],
        "released": result["released"],
        "seconds": result["seconds"],
        "second_run_released": result["second_run_released"],
        "release_events": result["events"],
        "targets": {"seconds": 60, "released": EXPIRED},
        "meets_targets": result["released"] == EXPIRED
        and result["seconds"] <= 60
        and result["second_run_released"] == 0,
    }
