"""Benchmark: appending to the evidence log through the real path, against pymerkle's
SqliteTree in the same run.

Ours: services.record("guarantee.state", pks) inside transaction.atomic(), over generated
guarantees, in transactions of 1 leaf and of 1,000 leaves; the sequencer then runs once,
as the worker's beat does in production, and writes the subtrees (timed too), so a leaf
counts once it has its index. pymerkle 7 SqliteTree (a file next to ours, its defaults):
append_entry() one leaf at a time (one commit each) and append_entries() 1,000 at a time
(one transaction each), with the same leaf data. pymerkle stores leaves only, no subtrees:
its appends are cheaper and its proofs dearer (see evidence_proofs).

Each of the four runs for BENCH_SECONDS. There is no issue target for the rate; the figures
are for the comparison.
"""

import os

from bench import evidence_data

POOL = int(os.environ.get("BENCH_APPEND_POOL", "20000"))  # guarantees whose states are recorded
BATCH = 1000


def measure(seconds, pool):
    import itertools
    import tempfile
    import time

    from django.db import transaction
    from pymerkle import SqliteTree

    from eguarantee.evidence import services, tree
    from eguarantee.evidence.models import Entry
    from eguarantee.evidence.records import recorder
    from eguarantee.guarantees.models import Guarantee

    evidence_data.generate_guarantees(pool)
    pks = list(Guarantee.objects.order_by("pk").values_list("pk", flat=True))
    datas = [data.encode() for _, data in recorder("guarantee.state").rows()]

    def ours(batch):
        chunks = itertools.cycle([pks[i : i + batch] for i in range(0, len(pks) - batch + 1, batch)])
        appended, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            with transaction.atomic():
                services.record("guarantee.state", next(chunks))
            appended += batch
        tree.integrate()  # the worker's beat sequences what the transactions wrote: timed too
        elapsed = time.perf_counter() - started
        assert tree.size() == Entry.objects.count(), "the sequencer left leaves behind"
        return round(appended / elapsed)

    def theirs(reference, batch):
        chunks = itertools.cycle([datas[i : i + batch] for i in range(0, len(datas) - batch + 1, batch)])
        appended, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            if batch == 1:
                reference.append_entry(next(chunks)[0])
            else:
                reference.append_entries(next(chunks))
            appended += batch
        return round(appended / (time.perf_counter() - started))

    result = {"ours_1": ours(1), f"ours_{BATCH}": ours(BATCH)}
    with tempfile.TemporaryDirectory(dir=evidence_data.var_dir()) as scratch:
        with SqliteTree(os.path.join(scratch, "pymerkle.db"), algorithm="sha256") as reference:
            result["pymerkle_1"] = theirs(reference, 1)
            result[f"pymerkle_{BATCH}"] = theirs(reference, BATCH)
    result["tree_size"] = tree.size()
    result["leaf_bytes"] = round(sum(map(len, datas)) / len(datas))
    return result


def main(seconds=10.0, repeats=None):
    job = "bench.evidence_append:measure"
    result = evidence_data.run_fresh("eguarantee_bench_append", job, seconds=seconds, pool=POOL)
    return {
        "name": "evidence_append",
        "database": evidence_data.database_label(),
        "hash": "sm3 (ours, the platform's setting); sha256 (pymerkle has no SM3)",
        "seconds_per_run": seconds,
        "leaf_bytes": result["leaf_bytes"],
        "leaves_per_second": {
            "ours, 1 leaf per transaction": result["ours_1"],
            f"ours, {BATCH} leaves per transaction": result[f"ours_{BATCH}"],
            "pymerkle SqliteTree.append_entry, 1 per commit": result["pymerkle_1"],
            f"pymerkle SqliteTree.append_entries, {BATCH} per commit": result[f"pymerkle_{BATCH}"],
        },
        "tree_size_after": result["tree_size"],
        "targets": {},  # the issue sets none: the figures are for the comparison
        "meets_targets": None,
    }
