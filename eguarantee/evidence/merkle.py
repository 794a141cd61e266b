"""RFC 9162 (Certificate Transparency 2.0) Merkle trees, §2.1: hashing, proofs, verification.

Pure Python with no Django, so the offline verifier and the witnesses use the very same code.

    leaf hash = H(0x00 ‖ data)          node hash = H(0x01 ‖ left ‖ right)

Storage keeps the hash of every *complete* subtree: level l, index i covers the leaves
[i·2^l, (i+1)·2^l). Any MTH(D[a:b]) that the RFC's recursion needs is either such a subtree
or folds from at most log2(n) of them, so a root, an inclusion proof and a consistency proof
each need O(log n) stored hashes. `*_nodes()` name those hashes (so a store fetches them in
one query); `root()`, `inclusion_proof()` and `consistency_proof()` build from a mapping
{(level, index): hash} that holds them.
"""

import hashlib

import gmssl_pyx

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class ProofError(ValueError):
    """A proof that does not verify, or a request for a proof that cannot exist."""


# ---------------------------------------------------------------- hash functions


def _sm3(data):
    return gmssl_pyx.sm3_hash(data)


def _sha256(data):
    return hashlib.sha256(data).digest()


# SM3 through GmSSL (gmssl-pyx, ~1 µs per leaf); SHA-256 through OpenSSL (hashlib).
HASHES = {"sm3": _sm3, "sha256": _sha256}


class Hasher:
    def __init__(self, algorithm="sm3"):
        try:
            self._h = HASHES[algorithm]
        except KeyError:
            raise ValueError(f"unknown hash algorithm {algorithm!r}; use one of {sorted(HASHES)}") from None
        self.algorithm = algorithm
        self.empty = self._h(b"")  # MTH({}) = HASH()

    def leaf(self, data):
        return self._h(LEAF_PREFIX + data)

    def node(self, left, right):
        return self._h(NODE_PREFIX + left + right)


# ---------------------------------------------------------------- which stored hashes


def _largest_power_below(n):
    """The largest power of two smaller than n (n > 1), the RFC's k."""
    return 1 << ((n - 1).bit_length() - 1)


def range_nodes(start, end):
    """The complete subtrees that MTH(D[start:end]) folds from, left to right.

    Every range the RFC's recursion produces starts on a multiple of a power of two at least
    as large as itself, so its decomposition is the binary expansion of its size."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def root_nodes(size):
    return range_nodes(0, size)


def _path_ranges(index, start, end, out):
    """The ranges whose MTH make up PATH(index, D[start:end]), leaf side first."""
    while end - start > 1:
        k = _largest_power_below(end - start)
        if index < start + k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start = start + k
    out.reverse()
    return out


def _subproof_ranges(m, start, end, complete, out):
    """The ranges of SUBPROOF(m, D[start:end], b) (RFC 9162 §2.1.4.1), in proof order."""
    n = end - start
    if m == n:
        if not complete:
            out.append((start, end))
        return out
    k = _largest_power_below(n)
    if m <= k:
        _subproof_ranges(m, start, start + k, complete, out)
        out.append((start + k, end))
    else:
        _subproof_ranges(m - k, start + k, end, False, out)
        out.append((start, start + k))
    return out


def inclusion_ranges(index, size):
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    return _path_ranges(index, 0, size, [])


def consistency_ranges(old, new):
    if not 0 < old <= new:
        raise ProofError(f"no consistency proof from size {old} to {new}")
    if old == new:
        return []
    return _subproof_ranges(old, 0, new, True, [])


def _nodes_of(ranges):
    return {node for start, end in ranges for node in range_nodes(start, end)}


def inclusion_nodes(index, size):
    return _nodes_of(inclusion_ranges(index, size))


def consistency_nodes(old, new):
    return _nodes_of(consistency_ranges(old, new))


# ---------------------------------------------------------------- building from stored hashes


def fold(hasher, hashes):
    """MTH of a range from its complete subtrees, left to right: H(a, H(b, H(c, d)))."""
    if not hashes:
        return hasher.empty
    acc = hashes[-1]
    for left in reversed(hashes[:-1]):
        acc = hasher.node(left, acc)
    return acc


def range_hash(hasher, nodes, start, end):
    return fold(hasher, [nodes[node] for node in range_nodes(start, end)])


def root(hasher, nodes, size):
    return range_hash(hasher, nodes, 0, size)


def inclusion_proof(hasher, nodes, index, size):
    return [range_hash(hasher, nodes, a, b) for a, b in inclusion_ranges(index, size)]


def consistency_proof(hasher, nodes, old, new):
    return [range_hash(hasher, nodes, a, b) for a, b in consistency_ranges(old, new)]


# ---------------------------------------------------------------- in memory (tests, witnesses, bench)


def mth(hasher, leaf_hashes):
    """MTH(D[n]) straight from the RFC's definition, for leaf hashes already computed."""
    n = len(leaf_hashes)
    if n == 0:
        return hasher.empty
    if n == 1:
        return leaf_hashes[0]
    k = _largest_power_below(n)
    return hasher.node(mth(hasher, leaf_hashes[:k]), mth(hasher, leaf_hashes[k:]))


class CompactRange:
    """The right edge of a growing tree: the hashes of the complete subtrees of root_nodes(size).

    Appending costs amortised one hash and yields every complete subtree it finishes, which is
    exactly what a store must write."""

    def __init__(self, hasher, size=0, hashes=()):
        self.hasher = hasher
        self.size = size
        self.hashes = list(hashes)  # left to right, strictly decreasing levels
        if size < 0 or len(self.hashes) != bin(size).count("1"):
            raise ValueError("a compact range of size n holds one hash per bit set in n")

    def append(self, leaf_hash):
        """Add one leaf; returns [(level, index, hash)] of the subtrees it completes."""
        index = self.size
        made = [(0, index, leaf_hash)]
        acc, level = leaf_hash, 0
        while index & 1:
            acc = self.hasher.node(self.hashes.pop(), acc)
            level += 1
            index >>= 1
            made.append((level, index, acc))
        self.hashes.append(acc)
        self.size += 1
        return made

    def root(self):
        return fold(self.hasher, self.hashes)


def all_nodes(hasher, leaf_hashes):
    """Every complete subtree of a tree held in memory, as a {(level, index): hash} mapping."""
    compact = CompactRange(hasher)
    nodes = {}
    for leaf_hash in leaf_hashes:
        for level, index, value in compact.append(leaf_hash):
            nodes[(level, index)] = value
    return nodes


# ---------------------------------------------------------------- verification (RFC 9162 §2.1.3.2, §2.1.4.2)


def verify_inclusion(hasher, index, size, leaf_hash, proof, expected_root):
    """Raise ProofError unless `proof` shows leaf `index` with `leaf_hash` in the tree of
    `size` leaves whose root is `expected_root`."""
    if index >= size or index < 0:
        raise ProofError("leaf index outside the tree")
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = hasher.node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hasher.node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof too short")
    if r != expected_root:
        raise ProofError("inclusion proof does not lead to the root")


def verify_consistency(hasher, old_size, new_size, old_root, new_root, proof):
    """Raise ProofError unless `proof` shows the tree of `old_size` with `old_root` is a
    prefix of the tree of `new_size` with `new_root`."""
    if old_size > new_size or old_size < 0:
        raise ProofError("the old tree is larger than the new one")
    if old_size == new_size:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError("same size, different roots: the log forked")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    proof = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        proof.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr = hasher.node(c, fr)
            sr = hasher.node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hasher.node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof too short")
    if fr != old_root:
        raise ProofError("consistency proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("consistency proof does not lead to the new root")
