"""RFC 9162 Merkle trees (merkle.py): the Certificate Transparency reference vectors, SM3,
properties over random trees for both algorithms, and agreement with pymerkle."""

import hashlib
import random

import pymerkle
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eguarantee.evidence import merkle
from eguarantee.evidence.merkle import CompactRange, Hasher, ProofError

ALGORITHMS = ("sm3", "sha256")
HASHERS = {name: Hasher(name) for name in ALGORITHMS}
SHA256 = HASHERS["sha256"]
SM3 = HASHERS["sm3"]

FEW = settings(max_examples=15, deadline=None)
SOME = settings(max_examples=40, deadline=None)


def h(text):
    return bytes.fromhex(text)


# ---------------------------------------------------------------- RFC 6962 / 9162 reference data
#
# The test tree every Certificate Transparency implementation checks itself against (the C++
# reference log, certificate-transparency-go, transparency-dev/merkle): eight leaves, the
# root of each prefix, and the published inclusion and consistency proofs. SHA-256.

CT_LEAVES = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]

CT_ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# (leaf index from 0, tree size, audit path)
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (old size, new size, consistency proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

CT_LEAF_HASHES = [SHA256.leaf(data) for data in CT_LEAVES]
CT_NODES = merkle.all_nodes(SHA256, CT_LEAF_HASHES)


@pytest.mark.parametrize("size", range(9))
def test_ct_roots(size):
    assert merkle.root(SHA256, CT_NODES, size).hex() == CT_ROOTS[size]
    assert merkle.mth(SHA256, CT_LEAF_HASHES[:size]).hex() == CT_ROOTS[size]


def test_ct_empty_tree_and_single_leaf():
    assert SHA256.empty.hex() == CT_ROOTS[0]  # MTH({}) = SHA-256()
    assert SHA256.leaf(b"").hex() == CT_ROOTS[1]  # the 0x00 leaf prefix
    assert SHA256.node(CT_LEAF_HASHES[0], CT_LEAF_HASHES[1]).hex() == CT_ROOTS[2]  # the 0x01 node prefix


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_ct_inclusion_vectors(index, size, path):
    proof = merkle.inclusion_proof(SHA256, CT_NODES, index, size)
    assert [p.hex() for p in proof] == path
    merkle.verify_inclusion(SHA256, index, size, CT_LEAF_HASHES[index], [h(p) for p in path], h(CT_ROOTS[size]))


@pytest.mark.parametrize(("old", "new", "path"), CT_CONSISTENCY)
def test_ct_consistency_vectors(old, new, path):
    proof = merkle.consistency_proof(SHA256, CT_NODES, old, new)
    assert [p.hex() for p in proof] == path
    merkle.verify_consistency(SHA256, old, new, h(CT_ROOTS[old]), h(CT_ROOTS[new]), [h(p) for p in path])


@pytest.mark.parametrize(("index", "size", "path"), [v for v in CT_INCLUSION if v[2]])
def test_ct_inclusion_vectors_reject_corruption(index, size, path):
    """The probes of the reference verifier tests: wrong index, size, leaf or root, garbage
    before or after, a flipped bit, a removed or inserted component."""
    proof = [h(p) for p in path]
    root, leaf = h(CT_ROOTS[size]), CT_LEAF_HASHES[index]
    some_hash = h("abacaba000000000000000000000000000000000000000000060061e00123456")
    probes = [
        (index - 1, size, leaf, proof, root),
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, b"WrongLeaf", proof, root),
        (index, size, leaf, proof, SHA256.empty),
        (index, size, leaf, proof, some_hash),
        (index, size, leaf, [*proof, b""], root),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [b"", *proof], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root),
    ]
    if len(proof) > 1:
        probes.append((index, size, leaf, [proof[0], some_hash, *proof[1:]], root))
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, leaf, flipped, root))
    for probe_index, probe_size, probe_leaf, probe_proof, probe_root in probes:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(SHA256, probe_index, probe_size, probe_leaf, probe_proof, probe_root)


@pytest.mark.parametrize(("old", "new", "path"), [v for v in CT_CONSISTENCY if v[2]])
def test_ct_consistency_vectors_reject_corruption(old, new, path):
    proof = [h(p) for p in path]
    root1, root2 = h(CT_ROOTS[old]), h(CT_ROOTS[new])
    probes = [
        (old - 1, new, root1, root2, proof),
        (old + 1, new, root1, root2, proof),
        (old ^ 2, new, root1, root2, proof),
        (old, new * 2, root1, root2, proof),
        (old, new // 2, root1, root2, proof),
        (old, new, b"WrongRoot", root2, proof),
        (old, new, root1, b"WrongRoot", proof),
        (old, new, root2, root1, proof),
        (old, new, root1, root2, []),
        (old, new, root1, root2, [*proof, b""]),
        (old, new, root1, root2, [*proof, root1]),
        (old, new, root1, root2, [*proof, root2]),
        (old, new, root1, root2, [b"", *proof]),
        (old, new, root1, root2, [root1, *proof]),
        (old, new, root1, root2, [root2, *proof]),
        (old, new, root1, root2, [proof[0], *proof]),
        (old, new, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((old, new, root1, root2, flipped))
    for probe_old, probe_new, probe_root1, probe_root2, probe_proof in probes:
        with pytest.raises(ProofError):
            merkle.verify_consistency(SHA256, probe_old, probe_new, probe_root1, probe_root2, probe_proof)


def test_consistency_edge_cases_of_the_reference_verifier():
    root1, root2 = b"don't care 1", b"don't care 2"
    empty = SHA256.empty
    # always consistent
    merkle.verify_consistency(SHA256, 0, 0, root1, root1, [])
    merkle.verify_consistency(SHA256, 0, 1, root1, root2, [])
    merkle.verify_consistency(SHA256, 1, 1, root2, root2, [])
    for old, new, r1, r2, proof in [
        (0, 0, root1, root2, []),  # same size, different roots
        (1, 1, root1, root2, []),
        (1, 0, root1, root2, []),  # time travel
        (2, 1, root1, root2, []),
        (1, 2, root1, root2, []),  # empty proof
        (0, 0, empty, root2, []),
        (1, 1, empty, root2, []),
        (0, 0, empty, empty, [empty]),  # roots match but the proof is not empty
        (0, 1, empty, empty, [empty]),
        (1, 1, empty, empty, [empty]),
        (-1, 1, empty, empty, []),
    ]:
        with pytest.raises(ProofError):
            merkle.verify_consistency(SHA256, old, new, r1, r2, proof)


def test_inclusion_edge_cases_of_the_reference_verifier():
    some = SHA256.leaf(b"data")
    merkle.verify_inclusion(SHA256, 0, 1, some, [], some)  # a one-leaf tree: the leaf is the root
    for index, size, leaf, root in [
        (0, 1, some, b""),
        (0, 1, b"", some),
        (0, 0, some, SHA256.empty),
        (1, 0, some, some),
        (2, 1, some, some),
        (1, 1, some, some),
        (-1, 1, some, some),
    ]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(SHA256, index, size, leaf, [], root)


# Which stored nodes a proof takes, as listed for the RFC 6962 example trees in
# transparency-dev/merkle (proof/proof_test.go): (level, index) of complete subtrees.
NODE_ID_INCLUSION = [
    (1, 0, set()),
    (2, 0, {(0, 1)}),
    (2, 1, {(0, 0)}),
    (3, 1, {(0, 0), (0, 2)}),
    (7, 0, {(0, 1), (1, 1), (0, 6), (1, 2)}),
    (7, 1, {(0, 0), (1, 1), (0, 6), (1, 2)}),
    (7, 2, {(0, 3), (1, 0), (0, 6), (1, 2)}),
    (7, 3, {(0, 2), (1, 0), (0, 6), (1, 2)}),
    (7, 4, {(0, 5), (0, 6), (2, 0)}),
    (7, 5, {(0, 4), (0, 6), (2, 0)}),
    (7, 6, {(1, 2), (2, 0)}),
    (4, 2, {(0, 3), (1, 0)}),
    (5, 3, {(0, 2), (1, 0), (0, 4)}),
    (6, 3, {(0, 2), (1, 0), (1, 2)}),
    (6, 4, {(0, 5), (2, 0)}),
    (15, 10, {(0, 11), (1, 4), (0, 14), (1, 6), (3, 0)}),
    (31, 24, {(0, 25), (1, 13), (0, 30), (1, 14), (3, 2), (4, 0)}),
    (95, 81, {(0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)}),
]

NODE_ID_CONSISTENCY = [
    (1, 2, {(0, 1)}),
    (1, 4, {(0, 1), (1, 1)}),
    (1, 6, {(0, 1), (1, 1), (1, 2)}),
    (2, 3, {(0, 2)}),
    (2, 8, {(1, 1), (2, 1)}),
    (3, 7, {(0, 2), (0, 3), (1, 0), (0, 6), (1, 2)}),
    (4, 7, {(0, 6), (1, 2)}),
    (5, 7, {(0, 4), (0, 5), (0, 6), (2, 0)}),
    (6, 7, {(1, 2), (0, 6), (2, 0)}),
    (7, 8, {(0, 6), (0, 7), (1, 2), (2, 0)}),
    (1, 1, set()),
    (4, 4, set()),
    (8, 8, set()),
    (2, 4, {(1, 1)}),
    (3, 5, {(0, 2), (0, 3), (1, 0), (0, 4)}),
    (3, 6, {(0, 2), (0, 3), (1, 0), (1, 2)}),
    (4, 6, {(1, 2)}),
    (1, 7, {(0, 1), (1, 1), (0, 6), (1, 2)}),
    (10, 15, {(1, 4), (1, 5), (0, 14), (1, 6), (3, 0)}),
    (24, 31, {(3, 2), (0, 30), (1, 14), (2, 6), (4, 0)}),
    (81, 95, {(0, 80), (0, 81), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)}),
]


@pytest.mark.parametrize(("size", "index", "nodes"), NODE_ID_INCLUSION)
def test_inclusion_nodes_match_the_reference_layout(size, index, nodes):
    assert merkle.inclusion_nodes(index, size) == nodes


@pytest.mark.parametrize(("old", "new", "nodes"), NODE_ID_CONSISTENCY)
def test_consistency_nodes_match_the_reference_layout(old, new, nodes):
    assert merkle.consistency_nodes(old, new) == nodes


def test_proof_requests_that_cannot_exist():
    for index, size in [(0, 0), (1, 0), (2, 1), (3, 0), (8, 7), (-1, 5)]:
        with pytest.raises(ProofError):
            merkle.inclusion_ranges(index, size)
    for old, new in [(5, 0), (9, 8), (0, 3), (0, 0), (-1, 2)]:
        with pytest.raises(ProofError):
            merkle.consistency_ranges(old, new)


# ---------------------------------------------------------------- SM3


def test_sm3_known_answer():
    # GB/T 32905-2016, appendix A.1
    assert SM3._h(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert SM3.algorithm == "sm3" and Hasher().algorithm == "sm3"  # SM3 is the default


def test_sm3_prefixes():
    left, right = SM3.leaf(b"a"), SM3.leaf(b"b")
    assert SM3.leaf(b"abc") == SM3._h(b"\x00abc")
    assert SM3.node(left, right) == SM3._h(b"\x01" + left + right)
    assert SM3.empty == SM3._h(b"")
    assert len(SM3.leaf(b"")) == 32
    # domain separation: a leaf never hashes like the node over the same bytes
    assert SM3.leaf(left + right) != SM3.node(left, right)


def test_unknown_algorithm():
    with pytest.raises(ValueError, match="unknown hash algorithm"):
        Hasher("md5")


# ---------------------------------------------------------------- RFC 9162 §2.1 as written


def ref_path(hasher, m, leaves):
    """PATH(m, D[n]), RFC 9162 §2.1.3.1, straight from the definition."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*ref_path(hasher, m, leaves[:k]), merkle.mth(hasher, leaves[k:])]
    return [*ref_path(hasher, m - k, leaves[k:]), merkle.mth(hasher, leaves[:k])]


def ref_subproof(hasher, m, leaves, complete):
    """SUBPROOF(m, D[n], b), RFC 9162 §2.1.4.1, straight from the definition."""
    n = len(leaves)
    if m == n:
        return [] if complete else [merkle.mth(hasher, leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*ref_subproof(hasher, m, leaves[:k], complete), merkle.mth(hasher, leaves[k:])]
    return [*ref_subproof(hasher, m - k, leaves[k:], False), merkle.mth(hasher, leaves[:k])]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_proof_of_small_trees_is_the_rfcs(algorithm):
    hasher = HASHERS[algorithm]
    leaves = [hasher.leaf(b"leaf %d" % i) for i in range(33)]
    nodes = merkle.all_nodes(hasher, leaves)
    for n in range(1, len(leaves) + 1):
        assert merkle.root(hasher, nodes, n) == merkle.mth(hasher, leaves[:n])
        for i in range(n):
            assert merkle.inclusion_proof(hasher, nodes, i, n) == ref_path(hasher, i, leaves[:n])
        for m in range(1, n + 1):
            assert merkle.consistency_proof(hasher, nodes, m, n) == ref_subproof(hasher, m, leaves[:n], True)


# ---------------------------------------------------------------- properties over random trees


class Tree:
    """A random tree held in memory: leaf data distinct (each starts with its index)."""

    def __init__(self, algorithm, size, seed):
        self.hasher = HASHERS[algorithm]
        rng = random.Random(seed)
        self.data = [i.to_bytes(2, "big") + rng.randbytes(rng.randrange(0, 24)) for i in range(size)]
        self.leaves = [self.hasher.leaf(d) for d in self.data]
        self.nodes = merkle.all_nodes(self.hasher, self.leaves)
        self.size = size
        self.root = merkle.root(self.hasher, self.nodes, size)

    def __repr__(self):
        return f"Tree({self.hasher.algorithm!r}, size={self.size})"


@st.composite
def trees(draw, min_size=1, max_size=300, algorithms=ALGORITHMS):
    return Tree(
        draw(st.sampled_from(algorithms)),
        draw(st.integers(min_size, max_size)),
        draw(st.integers(0, 2**32)),
    )


def flip(value, bit):
    bit %= len(value) * 8
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def raises(check, *args):
    try:
        check(*args)
    except ProofError:
        return True
    return False


@FEW
@given(trees())
def test_root_is_mth_for_every_prefix(tree):
    assert tree.root == merkle.mth(tree.hasher, tree.leaves)
    # the stored subtrees of a tree also give the root of every earlier size
    for m in sorted({1, tree.size // 3, tree.size // 2, tree.size - 1} - {0}):
        assert merkle.root(tree.hasher, tree.nodes, m) == merkle.mth(tree.hasher, tree.leaves[:m])


@FEW
@given(trees())
def test_every_inclusion_proof_verifies(tree):
    for i in range(tree.size):
        proof = merkle.inclusion_proof(tree.hasher, tree.nodes, i, tree.size)
        merkle.verify_inclusion(tree.hasher, i, tree.size, tree.leaves[i], proof, tree.root)


@FEW
@given(trees())
def test_every_consistency_proof_verifies(tree):
    for old in range(1, tree.size + 1):
        old_root = merkle.root(tree.hasher, tree.nodes, old)
        proof = merkle.consistency_proof(tree.hasher, tree.nodes, old, tree.size)
        merkle.verify_consistency(tree.hasher, old, tree.size, old_root, tree.root, proof)
    merkle.verify_consistency(tree.hasher, 0, tree.size, tree.hasher.empty, tree.root, [])


@SOME
@given(trees(max_size=120), st.data())
def test_proofs_are_the_rfcs(tree, data):
    i = data.draw(st.integers(0, tree.size - 1))
    m = data.draw(st.integers(1, tree.size))
    assert merkle.inclusion_proof(tree.hasher, tree.nodes, i, tree.size) == ref_path(tree.hasher, i, tree.leaves)
    assert merkle.consistency_proof(tree.hasher, tree.nodes, m, tree.size) == ref_subproof(
        tree.hasher, m, tree.leaves, True
    )


@SOME
@given(trees(min_size=2), st.data())
def test_a_tampered_inclusion_proof_fails(tree, data):
    hasher, n = tree.hasher, tree.size
    i = data.draw(st.integers(0, n - 1), label="index")
    leaf = tree.leaves[i]
    proof = merkle.inclusion_proof(hasher, tree.nodes, i, n)
    bit = data.draw(st.integers(0, 255), label="bit")
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra")

    def fails(index=i, size=n, leaf_hash=leaf, path=proof, root=tree.root):
        return raises(merkle.verify_inclusion, hasher, index, size, leaf_hash, path, root)

    assert not fails()
    for j in range(len(proof)):
        assert fails(path=[*proof[:j], flip(proof[j], bit), *proof[j + 1 :]]), f"bit flip in element {j}"
        assert fails(path=proof[:j] + proof[j + 1 :]), f"element {j} dropped"
    for j in range(len(proof) + 1):
        assert fails(path=[*proof[:j], extra, *proof[j:]]), f"extra element at {j}"
    assert fails(leaf_hash=flip(leaf, bit))
    assert fails(root=flip(tree.root, bit))
    assert fails(root=hasher.empty)
    for wrong in {i - 1, i + 1, i ^ 1, i ^ 2, n, n + 1, -1} - {i}:
        assert fails(index=wrong), f"index {wrong}"
    # A size is bound by the signed head, not by the path: a path verifies for every size
    # whose path has the same shape (RFC 9162's algorithm, see the test below). Sizes with a
    # different shape, or too small to hold the leaf, never verify.
    for wrong in {1, i, n - 1, n + 1, n * 2, n // 2, 2 ** n.bit_length()} - {n}:
        if wrong <= i or len(merkle.inclusion_ranges(i, wrong)) != len(proof):
            assert fails(size=wrong), f"size {wrong}"


@SOME
@given(trees(min_size=2), st.data())
def test_a_tampered_consistency_proof_fails(tree, data):
    hasher, n = tree.hasher, tree.size
    old = data.draw(st.integers(1, n - 1), label="old")
    old_root = merkle.root(hasher, tree.nodes, old)
    proof = merkle.consistency_proof(hasher, tree.nodes, old, n)
    bit = data.draw(st.integers(0, 255), label="bit")
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra")

    def fails(old_size=old, new_size=n, first=old_root, second=tree.root, path=proof):
        return raises(merkle.verify_consistency, hasher, old_size, new_size, first, second, path)

    assert not fails()
    for j in range(len(proof)):
        assert fails(path=[*proof[:j], flip(proof[j], bit), *proof[j + 1 :]]), f"bit flip in element {j}"
        assert fails(path=proof[:j] + proof[j + 1 :]), f"element {j} dropped"
    for j in range(len(proof) + 1):
        assert fails(path=[*proof[:j], extra, *proof[j:]]), f"extra element at {j}"
    assert fails(path=[])
    assert fails(first=flip(old_root, bit))
    assert fails(second=flip(tree.root, bit))
    assert fails(first=tree.root, second=old_root)
    assert fails(old_size=n + 1)
    assert fails(old_size=-1)
    for wrong_old in {old - 1, old + 1, old ^ 2, 2 * old} - {old, 0}:
        if wrong_old > n or len(merkle.consistency_ranges(wrong_old, n)) != len(proof):
            assert fails(old_size=wrong_old), f"old size {wrong_old}"
    for wrong_new in {n - 1, n + 1, 2 * n, n // 2} - {n}:
        if wrong_new < old or len(merkle.consistency_ranges(old, wrong_new)) != len(proof):
            assert fails(new_size=wrong_new), f"new size {wrong_new}"


def test_proofs_alone_do_not_bind_the_tree_size():
    """RFC 9162 verification checks a hash chain whose shape comes from the sizes it is told,
    so a path also verifies for other sizes of the same shape; the signed head is what binds
    a root to its size (the offline verifier takes the size from it)."""
    leaves = CT_LEAF_HASHES
    nodes = CT_NODES
    proof = merkle.inclusion_proof(SHA256, nodes, 0, 5)
    root5 = merkle.root(SHA256, nodes, 5)
    merkle.verify_inclusion(SHA256, 0, 5, leaves[0], proof, root5)
    merkle.verify_inclusion(SHA256, 0, 6, leaves[0], proof, root5)  # same shape, same chain
    with pytest.raises(ProofError):
        merkle.verify_inclusion(SHA256, 0, 9, leaves[0], proof, root5)  # one level deeper


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2**64), st.data())
def test_stored_nodes_per_proof_are_logarithmic(size, data):
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(1, size))
    bound = 2 * size.bit_length()
    assert len(merkle.root_nodes(size)) == bin(size).count("1") <= size.bit_length()
    assert len(merkle.inclusion_nodes(index, size)) <= bound
    assert len(merkle.consistency_nodes(old, size)) <= bound
    # every named node is a complete subtree inside the tree
    for level, i in merkle.inclusion_nodes(index, size) | merkle.consistency_nodes(old, size):
        assert (i + 1) << level <= size


@FEW
@given(trees(max_size=200), st.data())
def test_the_named_nodes_suffice(tree, data):
    """A store fetches exactly *_nodes() and builds the proof from them alone."""
    hasher, n = tree.hasher, tree.size
    i = data.draw(st.integers(0, n - 1))
    old = data.draw(st.integers(1, n))

    def only(names):
        return {name: tree.nodes[name] for name in names}

    assert merkle.root(hasher, only(merkle.root_nodes(n)), n) == tree.root
    assert merkle.inclusion_proof(hasher, only(merkle.inclusion_nodes(i, n)), i, n) == merkle.inclusion_proof(
        hasher, tree.nodes, i, n
    )
    assert merkle.consistency_proof(hasher, only(merkle.consistency_nodes(old, n)), old, n) == (
        merkle.consistency_proof(hasher, tree.nodes, old, n)
    )


# ---------------------------------------------------------------- pymerkle agrees (SHA-256)


def pymerkle_tree(data):
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    for item in data:
        tree.append_entry(item)
    return tree


def test_pymerkle_same_roots_and_inclusion_paths():
    data = [b"entry %d" % i for i in range(70)]
    leaves = [SHA256.leaf(d) for d in data]
    nodes = merkle.all_nodes(SHA256, leaves)
    theirs = pymerkle_tree(data)
    assert theirs.get_root(0) == SHA256.empty
    for n in range(1, len(data) + 1):
        assert theirs.get_root(n) == merkle.root(SHA256, nodes, n)
        for i in range(n):
            # pymerkle's path starts with the leaf hash itself, then the RFC's audit path
            path = theirs.prove_inclusion(i + 1, n).path
            assert path[0] == leaves[i]
            assert path[1:] == merkle.inclusion_proof(SHA256, nodes, i, n)


def test_pymerkle_agrees_on_the_ct_tree():
    theirs = pymerkle_tree(CT_LEAVES)
    for n in range(1, 9):
        assert theirs.get_root(n).hex() == CT_ROOTS[n]


@FEW
@given(trees(algorithms=("sha256",)), st.data())
def test_pymerkle_consistency_proofs_cross_verify(tree, data):
    """pymerkle lays out consistency paths its own way (and splits m = k the other way), so the
    paths are not comparable element by element; each side's proof must verify against the
    other side's roots instead."""
    theirs = pymerkle_tree(tree.data)
    n = tree.size
    assert theirs.get_root() == tree.root
    for old in {1, n // 3 or 1, n // 2 or 1, max(n - 1, 1), n, data.draw(st.integers(1, n))}:
        old_root = merkle.root(SHA256, tree.nodes, old)
        assert theirs.get_root(old) == old_root
        pymerkle.verify_consistency(old_root, tree.root, theirs.prove_consistency(old, n))
        ours = merkle.consistency_proof(SHA256, tree.nodes, old, n)
        merkle.verify_consistency(SHA256, old, n, theirs.get_root(old), theirs.get_root(n), ours)
    i = data.draw(st.integers(0, n - 1))
    pymerkle.verify_inclusion(tree.leaves[i], tree.root, theirs.prove_inclusion(i + 1, n))


# ---------------------------------------------------------------- CompactRange


def complete_subtrees(size):
    return {(level, i) for level in range(size.bit_length()) for i in range(size >> level)}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_compact_range_yields_exactly_the_complete_subtrees(algorithm):
    hasher = HASHERS[algorithm]
    leaves = [hasher.leaf(b"%d" % i) for i in range(70)]
    compact = CompactRange(hasher)
    assert compact.root() == hasher.empty == merkle.mth(hasher, [])
    seen = {}
    for n, leaf in enumerate(leaves, start=1):
        made = compact.append(leaf)
        # the subtrees ending at leaf n-1: one per trailing one bit of n-1, plus the leaf
        assert [(level, i) for level, i, _ in made] == [(level, (n - 1) >> level) for level in range(len(made))]
        assert len(made) == 1 + ((n - 1) ^ n).bit_length() - 1
        for level, i, value in made:
            assert (level, i) not in seen
            assert value == merkle.mth(hasher, leaves[i << level : (i + 1) << level])
            seen[(level, i)] = value
        assert set(seen) == complete_subtrees(n)
        assert compact.size == n
        assert compact.root() == merkle.mth(hasher, leaves[:n])
        assert compact.hashes == [seen[node] for node in merkle.root_nodes(n)]
    assert seen == merkle.all_nodes(hasher, leaves)


@FEW
@given(trees(max_size=200), st.data())
def test_compact_range_resumes_from_stored_hashes(tree, data):
    """What a store keeps (size and the root_nodes hashes) rebuilds the range, which grows on
    exactly as if it had never stopped."""
    m = data.draw(st.integers(0, tree.size))
    resumed = CompactRange(tree.hasher, m, [tree.nodes[node] for node in merkle.root_nodes(m)])
    assert resumed.root() == merkle.mth(tree.hasher, tree.leaves[:m])
    for leaf in tree.leaves[m:]:
        resumed.append(leaf)
    assert resumed.size == tree.size
    assert resumed.root() == tree.root


def test_compact_range_constructor_validation():
    hasher = SM3
    a, b, c = (hasher.leaf(x) for x in (b"a", b"b", b"c"))
    CompactRange(hasher, 0)
    CompactRange(hasher, 5, [a, b])  # 0b101
    CompactRange(hasher, 7, [a, b, c])  # 0b111
    for size, hashes in [(0, [a]), (1, []), (5, [a]), (5, [a, b, c]), (4, [a, b]), (-1, [a]), (-3, [a, b])]:
        with pytest.raises(ValueError):
            CompactRange(hasher, size, hashes)


def test_compact_range_with_sha256_gives_the_ct_roots():
    compact = CompactRange(SHA256)
    for n, data in enumerate(CT_LEAVES, start=1):
        compact.append(SHA256.leaf(data))
        assert compact.root().hex() == CT_ROOTS[n]
    assert hashlib.sha256(b"").hexdigest() == CT_ROOTS[0]
