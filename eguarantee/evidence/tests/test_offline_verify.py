"""The offline verifier (verify.py) on bundles built here from merkle.py and signing.py: a good
bundle passes, through the function and `python -m` (with Django made unimportable); each kind
of tampering fails with exit status 1 and names the check; an unreadable bundle exits 2."""

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import gmssl_pyx
import pytest

from eguarantee.evidence import merkle, verify
from eguarantee.evidence.signing import Head, KeyPair, b64, cosign_body, unb64

ROOT_DIR = Path(__file__).resolve().parents[3]
ORIGIN = "eguarantee.test/evidence"
HEAD_TIME = 1764300000000
DOCUMENT = "保函 / guarantee letter №42\n".encode() + bytes(range(256))
INDEX = 5


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(
        log=KeyPair.generate(),
        alpha=KeyPair.generate(),
        beta=KeyPair.generate(),
        other=KeyPair.generate(),
    )


def canonical(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def leaf_text(i):
    if i == INDEX:
        return canonical(
            {
                "kind": "guarantee.document",
                "id": i,
                "name": "保函.pdf",
                "sha256": hashlib.sha256(DOCUMENT).hexdigest(),
                "sm3": gmssl_pyx.sm3_hash(DOCUMENT).hex(),
            }
        )
    return canonical({"kind": "guarantee.event", "id": i, "amount": f"{1000 * i}.00", "note": "开立"})


class Log:
    """A log held in memory that makes heads, co-signatures and bundles the way the platform does."""

    def __init__(self, keys, algorithm="sm3", size=9):
        self.keys = keys
        self.hasher = merkle.Hasher(algorithm)
        self.texts = [leaf_text(i) for i in range(size)]
        self.leaves = [self.hasher.leaf(t.encode()) for t in self.texts]
        self.nodes = merkle.all_nodes(self.hasher, self.leaves)
        self.algorithm = algorithm

    def head(self, size=None, timestamp=HEAD_TIME):
        size = len(self.leaves) if size is None else size
        return Head(ORIGIN, size, merkle.root(self.hasher, self.nodes, size), self.algorithm, timestamp)

    def cosignature(self, head, name, pair=None, timestamp=HEAD_TIME + 123):
        pair = pair or getattr(self.keys, name)
        return {
            "witness": name,
            "key_id": pair.key_id,
            "timestamp": timestamp,
            "signature": b64(pair.sign(cosign_body(head, name, timestamp))),
        }

    def bundle(self, index=INDEX, size=None, quorum=2):
        head = self.head(size)
        k = self.keys
        return {
            "format": "eguarantee-proof-bundle/v1",
            "leaf": {"index": index, "kind": json.loads(self.texts[index])["kind"], "data": self.texts[index]},
            "inclusion_proof": [b64(p) for p in merkle.inclusion_proof(self.hasher, self.nodes, index, head.size)],
            "head": {**head.as_json(), "key_id": k.log.key_id, "signature": b64(k.log.sign(head.body()))},
            "cosignatures": [self.cosignature(head, "alpha"), self.cosignature(head, "beta")],
            "keys": {
                "log": [{"key_id": k.log.key_id, "public_key": k.log.public_hex}],
                "witnesses": [
                    {"name": "alpha", "key_id": k.alpha.key_id, "public_key": k.alpha.public_hex, "active": True},
                    {"name": "beta", "key_id": k.beta.key_id, "public_key": k.beta.public_hex, "active": True},
                ],
            },
            "quorum": quorum,
        }


@pytest.fixture(scope="module")
def log(keys):
    return Log(keys)


@pytest.fixture
def bundle(log):
    return log.bundle()


def pinned(keys):
    return {
        "log_keys": [keys.log.public_hex],
        "witness_keys": {"alpha": keys.alpha.public_hex, "beta": keys.beta.public_hex},
    }


def run_cli(*args, tmp_path, bundle=None, document=None, code=None):
    """`python -m eguarantee.evidence.verify` in a fresh interpreter; `code` replaces the -m."""
    argv = []
    if bundle is not None:
        path = tmp_path / "bundle.json"
        path.write_text(bundle if isinstance(bundle, str) else json.dumps(bundle, ensure_ascii=False), "utf-8")
        argv.append(str(path))
    if document is not None:
        doc = tmp_path / "document.bin"
        doc.write_bytes(document)
        argv += ["--document", str(doc)]
    argv += list(args)
    command = (
        [sys.executable, "-c", code, *argv] if code else [sys.executable, "-m", "eguarantee.evidence.verify", *argv]
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(command, cwd=ROOT_DIR, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)


def run_main(capsys, bundle, *args, tmp_path, document=None):
    path = tmp_path / "bundle.json"
    path.write_text(bundle if isinstance(bundle, str) else json.dumps(bundle, ensure_ascii=False), "utf-8")
    argv = [str(path), *args]
    if document is not None:
        doc = tmp_path / "document.bin"
        doc.write_bytes(document)
        argv += ["--document", str(doc)]
    status = verify.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------- a good bundle


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_good_bundle_passes(keys, algorithm):
    report = verify.check_bundle(Log(keys, algorithm).bundle(), document=DOCUMENT)
    assert report.ok, report.lines
    names = [c.name for c in report.checks]
    assert names == [
        verify.LEAF_HASH,
        verify.LEAF_KIND,
        verify.INCLUSION,
        verify.HEAD_SIGNATURE,
        f"{verify.COSIGNATURE} alpha",
        f"{verify.COSIGNATURE} beta",
        verify.QUORUM,
        verify.DOCUMENT_SHA256,
        verify.DOCUMENT_SM3,
    ]
    text = "\n".join(report.lines)
    assert "✔ 叶子数据哈希 / leaf hash" in text
    assert "✘" not in text
    # the bundle's own keys were trusted, and it says so with their key_ids
    assert "/evidence/keys" in text
    assert keys.log.key_id in text and keys.alpha.key_id in text and keys.beta.key_id in text


def test_every_leaf_of_every_size_verifies(keys):
    log = Log(keys, size=12)
    for size in (1, 2, 7, 12):
        for index in range(size):
            report = verify.check_bundle(log.bundle(index=index, size=size))
            assert report.ok, (index, size, report.lines)


def test_pinned_keys_replace_the_bundles(keys, bundle):
    report = verify.check_bundle(bundle, document=DOCUMENT, **pinned(keys))
    assert report.ok, report.lines
    assert not any("/evidence/keys" in line for line in report.lines)
    # pinned keys are all that is trusted: the bundle may even leave its keys out
    del bundle["keys"]
    assert verify.check_bundle(bundle, **pinned(keys)).ok


def test_cli_passes_a_good_bundle(tmp_path, keys, bundle):
    result = run_cli(tmp_path=tmp_path, bundle=bundle, document=DOCUMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✔ 包含证明 / inclusion proof" in result.stdout
    assert "全部验证通过" in result.stdout

    args = ["--log-key", keys.log.public_hex, "--witness-key", f"alpha={keys.alpha.public_hex}"]
    args += ["--witness-key", f"beta={keys.beta.public_hex}", "--json"]
    result = run_cli(*args, tmp_path=tmp_path, bundle=bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert all(c["ok"] for c in report["checks"])


def test_cli_runs_without_django(tmp_path, bundle):
    """The verifier imports the standard library, merkle and signing, nothing else of ours."""
    code = (
        "import sys, runpy\n"
        "sys.modules['django'] = None\n"
        "sys.argv = ['verify', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('eguarantee.evidence.verify', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    ours = sorted(m for m in sys.modules if m.startswith('eguarantee'))\n"
        "    print('MODULES', ','.join(ours))\n"
        "    raise\n"
    )
    result = run_cli(tmp_path=tmp_path, bundle=bundle, document=DOCUMENT, code=code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "全部验证通过" in result.stdout
    modules = result.stdout.split("MODULES ")[1].strip().split(",")
    assert set(modules) <= {
        "eguarantee",
        "eguarantee.evidence",
        "eguarantee.evidence.merkle",
        "eguarantee.evidence.signing",
        "eguarantee.evidence.verify",
    }


# ---------------------------------------------------------------- tampering fails, naming the check


def flip_b64(text, bit=0):
    raw = bytearray(unb64(text))
    raw[bit // 8] ^= 1 << (bit % 8)
    return b64(bytes(raw))


def alter_leaf_data(b, log):
    b["leaf"]["data"] = b["leaf"]["data"].replace("保函.pdf", "保函2.pdf")


def alter_proof(b, log):
    b["inclusion_proof"][1] = flip_b64(b["inclusion_proof"][1], 77)


def drop_proof_node(b, log):
    b["inclusion_proof"].pop()


def extra_proof_node(b, log):
    b["inclusion_proof"].append(b["inclusion_proof"][0])


def alter_index(b, log):
    b["leaf"]["index"] = 4


def alter_root(b, log):
    b["head"]["root"] = flip_b64(b["head"]["root"], 3)


def alter_size(b, log):
    # 10 leaves give the same path shape for leaf 5 as 9 do: only the signature catches it
    b["head"]["size"] = 10


def alter_timestamp(b, log):
    b["head"]["timestamp"] += 1


def sign_with_another_key(b, log):
    head = Head.from_json(b["head"])
    b["head"]["signature"] = b64(log.keys.other.sign(head.body()))


def unknown_key_id(b, log):
    b["head"]["key_id"] = log.keys.other.key_id


def signature_of_another_head(b, log):
    b["head"]["signature"] = b64(log.keys.log.sign(log.head(size=8).body()))


def cosignature_moved_from_another_head(b, log):
    b["cosignatures"][0] = log.cosignature(log.head(size=8), "alpha")


def cosignature_of_another_witness_name(b, log):
    # beta's signature, made as "alpha", presented as beta's: the name is inside what is signed
    b["cosignatures"][1] = {**log.cosignature(log.head(), "alpha", pair=log.keys.beta), "witness": "beta"}


def cosignature_timestamp_altered(b, log):
    b["cosignatures"][1]["timestamp"] += 1


def cosignature_by_another_key(b, log):
    b["cosignatures"][1] = {**log.cosignature(log.head(), "beta", pair=log.keys.other), "key_id": log.keys.beta.key_id}


def quorum_not_met(b, log):
    b["quorum"] = 3


def one_cosignature_missing(b, log):
    b["cosignatures"].pop()


def the_same_witness_twice(b, log):
    b["cosignatures"][1] = log.cosignature(log.head(), "alpha", timestamp=HEAD_TIME + 999)


def witness_inactive(b, log):
    b["keys"]["witnesses"][1]["active"] = False


def kind_relabelled(b, log):
    b["leaf"]["kind"] = "guarantee.event"


def stated_leaf_hash_wrong(b, log):
    b["leaf"]["hash"] = b64(log.hasher.leaf(b"something else"))


def algorithm_switched(b, log):
    b["head"]["algorithm"] = "sha256"


COSIGNED = [f"{verify.COSIGNATURE} alpha", f"{verify.COSIGNATURE} beta", verify.QUORUM]

TAMPERING = [
    (alter_leaf_data, [verify.INCLUSION]),
    (alter_proof, [verify.INCLUSION]),
    (drop_proof_node, [verify.INCLUSION]),
    (extra_proof_node, [verify.INCLUSION]),
    (alter_index, [verify.INCLUSION]),
    (alter_root, [verify.INCLUSION, verify.HEAD_SIGNATURE, *COSIGNED]),
    (alter_size, [verify.HEAD_SIGNATURE, *COSIGNED]),
    (alter_timestamp, [verify.HEAD_SIGNATURE, *COSIGNED]),
    (sign_with_another_key, [verify.HEAD_SIGNATURE]),
    (unknown_key_id, [verify.HEAD_SIGNATURE]),
    (signature_of_another_head, [verify.HEAD_SIGNATURE]),
    (cosignature_moved_from_another_head, [f"{verify.COSIGNATURE} alpha", verify.QUORUM]),
    (cosignature_of_another_witness_name, [f"{verify.COSIGNATURE} beta", verify.QUORUM]),
    (cosignature_timestamp_altered, [f"{verify.COSIGNATURE} beta", verify.QUORUM]),
    (cosignature_by_another_key, [f"{verify.COSIGNATURE} beta", verify.QUORUM]),
    (quorum_not_met, [verify.QUORUM]),
    (one_cosignature_missing, [verify.QUORUM]),
    (the_same_witness_twice, [verify.QUORUM]),
    (witness_inactive, [verify.QUORUM]),
    (kind_relabelled, [verify.LEAF_KIND]),
    (stated_leaf_hash_wrong, [verify.LEAF_HASH]),
    (algorithm_switched, [verify.INCLUSION, verify.HEAD_SIGNATURE, *COSIGNED]),
]


@pytest.mark.parametrize(("tamper", "failing"), TAMPERING, ids=[t.__name__ for t, _ in TAMPERING])
def test_tampering_fails_and_names_the_check(tamper, failing, log, bundle, tmp_path, capsys):
    tamper(bundle, log)
    report = verify.check_bundle(copy.deepcopy(bundle), document=DOCUMENT)
    assert not report.ok
    assert report.failed == failing, report.lines
    for name in failing:
        assert any(line.startswith(f"✘ {name}") for line in report.lines), (name, report.lines)

    status, out, err = run_main(capsys, bundle, tmp_path=tmp_path, document=DOCUMENT)
    assert status == 1, out + err
    assert f"✘ {failing[0]}" in out
    assert "验证失败" in out


def test_wrong_document_fails(bundle, tmp_path, capsys):
    report = verify.check_bundle(bundle, document=DOCUMENT + b"\n")
    assert report.failed == [verify.DOCUMENT_SHA256, verify.DOCUMENT_SM3]
    status, out, _ = run_main(capsys, bundle, tmp_path=tmp_path, document=b"another file")
    assert status == 1
    assert "✘ 文件 SHA-256 / document SHA-256" in out
    assert "✘ 文件 SM3 / document SM3" in out


def test_document_check_needs_digests_in_the_leaf(keys, log):
    bundle = log.bundle(index=2)  # an event: no document digests in its data
    report = verify.check_bundle(bundle, document=DOCUMENT)
    assert report.failed == [verify.DOCUMENT_SHA256, verify.DOCUMENT_SM3]
    assert verify.check_bundle(bundle).ok  # without --document, nothing to compare


def test_cli_exit_1_in_a_fresh_interpreter(tmp_path, log, bundle):
    cosignature_moved_from_another_head(bundle, log)
    result = run_cli(tmp_path=tmp_path, bundle=bundle)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "✘ 见证联署 / co-signature alpha" in result.stdout
    assert "✘ 见证法定数 / witness quorum" in result.stdout


def test_a_substituted_log_key_passes_only_unpinned(keys, bundle):
    """Whoever rewrites a bundle can also rewrite its keys: self-consistent, it verifies
    against itself (hence the note to compare key_ids), but not against a pinned key."""
    forged = copy.deepcopy(bundle)
    head = Head.from_json(forged["head"])
    forged["head"]["key_id"] = keys.other.key_id
    forged["head"]["signature"] = b64(keys.other.sign(head.body()))
    forged["keys"]["log"] = [{"key_id": keys.other.key_id, "public_key": keys.other.public_hex}]
    unpinned = verify.check_bundle(forged)
    assert unpinned.ok
    assert any(keys.other.key_id in line and "/evidence/keys" in line for line in unpinned.lines)
    assert verify.check_bundle(forged, log_keys=[keys.log.public_hex]).failed == [verify.HEAD_SIGNATURE]


def test_pinned_witness_keys(keys, bundle):
    # a wrong pinned key for beta: beta's co-signature fails
    report = verify.check_bundle(bundle, witness_keys={"alpha": keys.alpha.public_hex, "beta": keys.other.public_hex})
    assert report.failed == [f"{verify.COSIGNATURE} beta", verify.QUORUM]
    # beta not pinned at all: skipped, not trusted, and the quorum of 2 is not met
    report = verify.check_bundle(bundle, witness_keys={"alpha": keys.alpha.public_hex})
    assert report.failed == [verify.QUORUM]
    assert any("beta" in line and "skipped" in line for line in report.lines)
    # ...unless fewer witnesses are asked for
    assert verify.check_bundle(bundle, witness_keys={"alpha": keys.alpha.public_hex}, quorum=1).ok


def test_pinned_keys_on_the_command_line(keys, bundle, tmp_path, capsys):
    status, out, _ = run_main(capsys, bundle, "--log-key", keys.other.public_hex, tmp_path=tmp_path)
    assert status == 1
    assert "✘ 树头签名 / tree head signature" in out
    args = ["--witness-key", f"alpha={keys.alpha.public_hex}", "--quorum", "1"]
    status, out, _ = run_main(capsys, bundle, *args, tmp_path=tmp_path)
    assert status == 0, out


def test_quorum_zero_passes_with_a_warning(log):
    bundle = log.bundle(quorum=0)
    bundle["cosignatures"] = []
    report = verify.check_bundle(bundle)
    assert report.ok
    assert any("quorum of 0" in line for line in report.lines)


# ---------------------------------------------------------------- unreadable bundles exit 2


def test_malformed_json_exits_2(tmp_path):
    result = run_cli(tmp_path=tmp_path, bundle='{"format": "eguarantee-proof-bundle/v1", "leaf": ')
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "JSON" in result.stderr
    assert result.stdout == ""


MALFORMED = {
    "not an object": lambda b: [b],
    "another format": lambda b: {**b, "format": "eguarantee-proof-bundle/v2"},
    "no leaf": lambda b: {k: v for k, v in b.items() if k != "leaf"},
    "leaf index a string": lambda b: {**b, "leaf": {**b["leaf"], "index": "5"}},
    "leaf index a bool": lambda b: {**b, "leaf": {**b["leaf"], "index": True}},
    "leaf data not a string": lambda b: {**b, "leaf": {**b["leaf"], "data": {"a": 1}}},
    "proof not a list": lambda b: {**b, "inclusion_proof": "abc"},
    "proof node not base64": lambda b: {**b, "inclusion_proof": ["not base64!"]},
    "head missing": lambda b: {k: v for k, v in b.items() if k != "head"},
    "head size a float": lambda b: {**b, "head": {**b["head"], "size": 9.0}},
    "head size negative": lambda b: {**b, "head": {**b["head"], "size": -1}},
    "head root not base64": lambda b: {**b, "head": {**b["head"], "root": "%%%"}},
    "head without key_id": lambda b: {**b, "head": {k: v for k, v in b["head"].items() if k != "key_id"}},
    "unknown algorithm": lambda b: {**b, "head": {**b["head"], "algorithm": "md5"}},
    "cosignatures not a list": lambda b: {**b, "cosignatures": {"alpha": 1}},
    "cosignature without timestamp": lambda b: {**b, "cosignatures": [{"witness": "alpha", "signature": "AA=="}]},
    "keys not an object": lambda b: {**b, "keys": "log"},
    "log key not a key": lambda b: {**b, "keys": {**b["keys"], "log": [{"key_id": "x", "public_key": "04zz"}]}},
    "no quorum": lambda b: {k: v for k, v in b.items() if k != "quorum"},
    "negative quorum": lambda b: {**b, "quorum": -1},
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_bundles_exit_2(change, bundle, tmp_path, capsys):
    broken = change(copy.deepcopy(bundle))
    with pytest.raises(verify.BundleError):
        verify.check_bundle(broken)
    status, out, err = run_main(capsys, broken, tmp_path=tmp_path)
    assert status == 2, out + err
    assert out == ""
    assert "✘" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["{missing}"],
        ["{bundle}", "--document", "{missing}"],
        ["{bundle}", "--witness-key", "alpha"],
        ["{bundle}", "--log-key", "not hex"],
        ["{bundle}", "--quorum", "-1"],
    ],
)
def test_unreadable_inputs_exit_2(argv, bundle, tmp_path, capsys):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), "utf-8")
    names = {"bundle": str(path), "missing": str(tmp_path / "nowhere.json")}
    status = verify.main([a.format(**names) for a in argv])
    _, err = capsys.readouterr()
    assert status == 2
    assert "✘" in err


def test_empty_and_binary_files_exit_2(tmp_path, capsys):
    for content in (b"", b"\xff\xfe\x00garbage"):
        path = tmp_path / "bundle.json"
        path.write_bytes(content)
        assert verify.main([str(path)]) == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err
