"""Benchmark: inclusion and consistency proofs from a log of 1,000,000 leaves, ours against
pymerkle's SqliteTree holding the same leaves.

Ours (tree.inclusion_proof / tree.consistency_proof) fetch the O(log n) complete subtrees a
proof needs in one query. pymerkle 7 stores leaves only and rebuilds every subtree a proof
needs from its leaves, keeping those of 128 leaves or more in an LRU cache; it is built
with append_entries() (its bulk append), and each kind of proof is timed on a tree object
opened afresh: its cache holds what the earlier proofs of the run put there, as in a
process that serves proofs, so its first proof is the slowest ("first_ms"). Both use
SHA-256 here (pymerkle has no SM3), so the two roots are compared, our inclusion proofs
are compared with pymerkle's, and each of ours is verified against the root.

The log is written in bulk (Entry and Node rows as the sequencer would write them, see
evidence_data.append_leaves): this measures proofs, not appending. BENCH_PROOF_LEAVES sets
the size; 10,000,000 took 6 minutes and 5.9 GB on PostgreSQL on the 2-core bench machine
(pymerkle's p50 136 ms, ours 0.8 ms), too long for every `make bench`.

Target (evidence log issue): ours ≥ 10× faster than pymerkle, at the p50 and the p95.
BENCH_PROOF_COUNT proofs of each kind (default 200), at random leaves and old sizes.
"""

import os

from bench import evidence_data

LEAVES = int(os.environ.get("BENCH_PROOF_LEAVES", "1000000"))
COUNT = int(os.environ.get("BENCH_PROOF_COUNT", "200"))
SPEEDUP = 10


def _leaf(i):
    # The size of a credit record's leaf, give or take.
    return f'{{"id":{i},"kind":"bench.leaf","note":"{i:012d}{"x" * 180}"}}'


def measure(leaves, count):
    import random
    import statistics
    import tempfile
    import time

    from pymerkle import SqliteTree

    from eguarantee.evidence import merkle, tree

    started = time.perf_counter()
    evidence_data.append_leaves(("bench.leaf", i, None, _leaf(i)) for i in range(leaves))
    ours_built = time.perf_counter() - started
    h = tree.hasher()
    rng = random.Random(20261128)
    indexes = [rng.randrange(leaves) for _ in range(count)]
    olds = [rng.randrange(1, leaves) for _ in range(count)]

    def timed(prove, cases):
        times, proofs = [], []
        for case in cases:
            started = time.perf_counter()
            proofs.append(prove(case))
            times.append(time.perf_counter() - started)
        first = times[0]
        times.sort()
        return proofs, {
            "p50_ms": round(statistics.median(times) * 1000, 3),
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 3),
            "first_ms": round(first * 1000, 3),  # pymerkle's with an empty cache
        }

    with tempfile.TemporaryDirectory(dir=evidence_data.var_dir()) as scratch:
        path = os.path.join(scratch, "pymerkle.db")
        started = time.perf_counter()
        with SqliteTree(path, algorithm="sha256") as reference:
            reference.append_entries(_leaf(i).encode() for i in range(leaves))
        theirs_built = time.perf_counter() - started

        root = tree.root(leaves)
        reference = SqliteTree(path, algorithm="sha256")
        try:
            assert reference.get_root(leaves) == root, "pymerkle and ours disagree on the root"
            ours_inclusion, ours_inc = timed(lambda i: tree.inclusion_proof(i, leaves), indexes)
            ours_consistency, ours_con = timed(lambda m: tree.consistency_proof(m, leaves), olds)
            theirs_inclusion, theirs_inc = timed(lambda i: reference.prove_inclusion(i + 1, leaves), indexes)
            caches = [reference.get_cache_info()]
        finally:
            reference.close()
        with SqliteTree(path, algorithm="sha256") as reference:  # its cache empty again
            _, theirs_con = timed(lambda m: reference.prove_consistency(m, leaves), olds)
            caches.append(reference.get_cache_info())

    for index, proof, theirs in zip(indexes, ours_inclusion, theirs_inclusion, strict=True):
        leaf_hash = h.leaf(_leaf(index).encode())
        merkle.verify_inclusion(h, index, leaves, leaf_hash, proof, root)
        assert theirs.path[1:] == proof, "pymerkle's inclusion path differs from ours"
    for old, proof in zip(olds, ours_consistency, strict=True):
        merkle.verify_consistency(h, old, leaves, tree.root(old), root, proof)
    return {
        "ours_build_s": round(ours_built, 1),
        "pymerkle_build_s": round(theirs_built, 1),
        "ours": {"inclusion": ours_inc, "consistency": ours_con},
        "pymerkle": {"inclusion": theirs_inc, "consistency": theirs_con},
        "pymerkle_cache": {
            kind: {"hits": cache.hits, "misses": cache.misses, "mib": round(cache.size / 2**20, 1)}
            for kind, cache in zip(("inclusion", "consistency"), caches, strict=True)
        },
    }


def main(seconds=None, repeats=None):
    result = evidence_data.run_fresh(
        "eguarantee_bench_proofs",
        "bench.evidence_proofs:measure",
        extra_env={"EVIDENCE_HASH": "sha256"},
        leaves=LEAVES,
        count=COUNT,
    )
    speedup = {
        kind: {
            stat: round(result["pymerkle"][kind][stat] / result["ours"][kind][stat], 1) for stat in ("p50_ms", "p95_ms")
        }
        for kind in ("inclusion", "consistency")
    }
    return {
        "name": "evidence_proofs",
        "database": evidence_data.database_label(),
        "pymerkle_database": "sqlite",
        "hash": "sha256 (both)",
        "leaves": LEAVES,
        "proofs_each": COUNT,
        **result,
        "speedup": speedup,
        "targets": {"speedup": SPEEDUP},
        "meets_targets": all(value >= SPEEDUP for stats in speedup.values() for value in stats.values()),
    }
