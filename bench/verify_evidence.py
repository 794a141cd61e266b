"""Benchmark: full re-verification (`manage.py verify_evidence`, checker.check()) of a log of
1,000,000 leaves that stand for real rows: generated guarantees, each with its
"guarantee.state" leaf, so the record comparison runs over every one of them as well as the
tree, under one signed head.

Target (evidence log issue): ≥ 200,000 leaves/s, leaves over the whole wall time of
checker.check(). BENCH_VERIFY_LEAVES scales it.
"""

import os
import time

from bench import evidence_data

LEAVES = int(os.environ.get("BENCH_VERIFY_LEAVES", "1000000"))
TARGET = 200_000


def measure(leaves):
    from eguarantee.evidence import audit_chain, checker, services
    from eguarantee.evidence.records import recorder

    started = time.perf_counter()
    evidence_data.generate_guarantees(leaves)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    state = recorder("guarantee.state")
    size = evidence_data.append_leaves((state.kind, pk, pk, data) for pk, data in state.rows())
    audit_chain.checkpoint()
    services.publish_head()
    logged = time.perf_counter() - started
    report = checker.check()
    return {
        "generate_s": round(generated, 1),
        "log_s": round(logged, 1),
        "tree_size": size,
        "leaves": report.leaves,
        "records": report.records,
        "audit_rows": report.audit_rows,
        "problems": report.problems[:5],
        "seconds": round(report.seconds, 2),
        "leaves_per_second": round(report.rate),
    }


def main(seconds=None, repeats=None):
    result = evidence_data.run_fresh("eguarantee_bench_verify", "bench.verify_evidence:measure", leaves=LEAVES)
    return {
        "name": "verify_evidence",
        "database": evidence_data.database_label(),
        **result,
        "targets": {"leaves_per_second": TARGET, "problems": 0},
        "meets_targets": result["leaves_per_second"] >= TARGET and not result["problems"],
    }
