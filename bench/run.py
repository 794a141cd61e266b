"""`make bench`: run every benchmark in bench/ and print one JSON document.

BENCH_SECONDS × BENCH_REPEATS is the measuring time per load (default 10 × 3; the list-page
and verify-page benchmarks spend it in alternating slices, the PDF benchmark in rounds whose
median counts; evidence_append runs each of its four ways for BENCH_SECONDS).
BENCH_ONLY is a comma-separated list of the benchmarks to run (list_page, pdf_render,
issue_throughput, release_job, guarantee_list, evidence_append, evidence_proofs,
verify_evidence, verify_page; default all). Runs on SQLite unless DATABASE_URL is set; the
issue targets are stated for PostgreSQL. pdf_render needs no database. The evidence
benchmarks each make a database of their own next to DATABASE_URL's (or an SQLite file) and
drop it afterwards.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    evidence_append,
    evidence_proofs,
    guarantee_list,
    issue_throughput,
    list_page,
    pdf_render,
    release_job,
    verify_evidence,
    verify_page,
)

BENCHMARKS = {
    "list_page": list_page.main,
    "guarantee_list": guarantee_list.main,
    "pdf_render": pdf_render.main,
    "issue_throughput": issue_throughput.main,
    "release_job": release_job.main,
    "evidence_append": evidence_append.main,
    "evidence_proofs": evidence_proofs.main,
    "verify_evidence": verify_evidence.main,
    "verify_page": verify_page.main,
}


def main():
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    unknown = sorted(set(only) - BENCHMARKS.keys())
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    results = []
    for name, run in BENCHMARKS.items():
        if not only or name in only:
            results.append(run(seconds=seconds, repeats=repeats))
    print(json.dumps({"benchmarks": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
