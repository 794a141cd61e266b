"""Offline verification of an evidence proof bundle: no platform, no database, no Django.

    python -m eguarantee.evidence.verify bundle.json [--document FILE]
        [--log-key HEX ...] [--witness-key NAME=HEX ...] [--quorum N] [--json]

A bundle (selectors.bundle(), downloaded from the platform) holds one leaf of the log, its
inclusion proof, the signed tree head it is proved against, the witnesses' co-signatures of
that head and the public keys. The checks:

  leaf hash          Hasher(head.algorithm).leaf(UTF-8 bytes of leaf.data)
  inclusion proof    RFC 9162 §2.1.3.2 from that leaf hash to head.root, with the head's size
  head signature     SM2 of the head's text by the log key whose key_id is head.key_id
  co-signatures      SM2 of cosign_body(head, witness, timestamp) by each witness's key
  quorum             at least `quorum` distinct witnesses co-signed this very head
  document           (--document FILE) the file's SHA-256 and SM3 are those in the leaf data

Keys given with --log-key / --witness-key are the only ones trusted for that role; without
them the bundle's own keys are used, and their key_ids are printed so they can be compared
with the platform's /evidence/keys page (or with keys obtained some other way).

Exit status: 0 everything verifies, 1 a check failed, 2 the bundle (or an argument) cannot
be read. Only the standard library and the two pure-Python modules beside this one are
imported, so the file set {merkle.py, signing.py, verify.py} plus gmssl-pyx is all a
verifier needs.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field

from eguarantee.evidence import merkle, signing

FORMAT = "eguarantee-proof-bundle/v1"

LEAF_HASH = "叶子数据哈希 / leaf hash"
LEAF_KIND = "叶子类型 / leaf kind"
INCLUSION = "包含证明 / inclusion proof"
HEAD_SIGNATURE = "树头签名 / tree head signature"
COSIGNATURE = "见证联署 / co-signature"
QUORUM = "见证法定数 / witness quorum"
DOCUMENT_SHA256 = "文件 SHA-256 / document SHA-256"
DOCUMENT_SM3 = "文件 SM3 / document SM3"


class BundleError(ValueError):
    """The bundle cannot be read: not JSON, another format, a field missing or mistyped."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""

    @property
    def line(self):
        return f"{'✔' if self.ok else '✘'} {self.name}" + (f": {self.detail}" if self.detail else "")


@dataclass
class Report:
    """The checks in the order they ran, with informational lines between them."""

    entries: list = field(default_factory=list)  # Check or str

    def check(self, name, ok, detail=""):
        self.entries.append(Check(name, bool(ok), detail))
        return bool(ok)

    def info(self, text):
        self.entries.append(text)

    @property
    def checks(self):
        return [e for e in self.entries if isinstance(e, Check)]

    @property
    def notes(self):
        return [e for e in self.entries if isinstance(e, str)]

    @property
    def failed(self):
        return [c.name for c in self.checks if not c.ok]

    @property
    def ok(self):
        return bool(self.checks) and not self.failed

    @property
    def lines(self):
        lines = [e.line if isinstance(e, Check) else e for e in self.entries]
        if self.ok:
            lines.append("结论 / result: 全部验证通过 / everything verifies")
        else:
            lines.append("结论 / result: 验证失败 / verification FAILED — " + "；".join(self.failed))
        return lines

    def as_json(self):
        return {
            "ok": self.ok,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "notes": self.notes,
        }


# ---------------------------------------------------------------- reading the bundle


def _field(obj, key, kind, where):
    if not isinstance(obj, dict):
        raise BundleError(f"{where} 不是 JSON 对象 / is not a JSON object")
    if key not in obj:
        raise BundleError(f"缺少字段 / missing field {where}.{key}")
    value = obj[key]
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise BundleError(f"字段类型错误 / field {where}.{key} is not {kind.__name__}")
    return value


def _unb64(text, where):
    try:
        return signing.unb64(text)
    except signing.SignatureError:
        raise BundleError(f"{where} 不是 base64 / is not base64") from None


@dataclass
class _Cosignature:
    witness: str
    timestamp: int
    signature: str
    key_id: str | None


@dataclass
class _Bundle:
    index: int
    kind: str | None
    data: str
    leaf_hash: str | None
    proof: list
    head: signing.Head
    key_id: str
    signature: str
    cosignatures: list
    quorum: int
    raw: dict


def _parse(bundle):
    if not isinstance(bundle, dict):
        raise BundleError("证明包不是 JSON 对象 / the bundle is not a JSON object")
    if bundle.get("format") != FORMAT:
        raise BundleError(f"不支持的格式 / unsupported format {bundle.get('format')!r}, expected {FORMAT!r}")

    leaf = _field(bundle, "leaf", dict, "bundle")
    index = _field(leaf, "index", int, "leaf")
    data = _field(leaf, "data", str, "leaf")
    kind = leaf.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise BundleError("字段类型错误 / field leaf.kind is not str")
    leaf_hash = leaf.get("hash")
    if leaf_hash is not None and not isinstance(leaf_hash, str):
        raise BundleError("字段类型错误 / field leaf.hash is not str")

    proof_json = _field(bundle, "inclusion_proof", list, "bundle")
    proof = []
    for i, node in enumerate(proof_json):
        if not isinstance(node, str):
            raise BundleError(f"字段类型错误 / inclusion_proof[{i}] is not str")
        proof.append(_unb64(node, f"inclusion_proof[{i}]"))

    head_json = _field(bundle, "head", dict, "bundle")
    for key, kind_ in (("origin", str), ("size", int), ("root", str), ("algorithm", str), ("timestamp", int)):
        _field(head_json, key, kind_, "head")
    if head_json["size"] < 0:
        raise BundleError("head.size 为负数 / is negative")
    if head_json["algorithm"] not in merkle.HASHES:
        raise BundleError(f"未知哈希算法 / unknown hash algorithm {head_json['algorithm']!r}")
    _unb64(head_json["root"], "head.root")
    try:
        head = signing.Head.from_json(head_json)
    except signing.SignatureError as exc:
        raise BundleError(f"树头格式错误 / malformed tree head: {exc}") from None
    key_id = _field(head_json, "key_id", str, "head")
    signature = _field(head_json, "signature", str, "head")

    if not isinstance(bundle.get("cosignatures", []), list):
        raise BundleError("字段类型错误 / field bundle.cosignatures is not list")
    cosignatures = []
    for i, c in enumerate(bundle.get("cosignatures") or []):
        where = f"cosignatures[{i}]"
        key = c.get("key_id") if isinstance(c, dict) else None
        if key is not None and not isinstance(key, str):
            raise BundleError(f"字段类型错误 / field {where}.key_id is not str")
        cosignatures.append(
            _Cosignature(
                witness=_field(c, "witness", str, where),
                timestamp=_field(c, "timestamp", int, where),
                signature=_field(c, "signature", str, where),
                key_id=key,
            )
        )

    quorum = _field(bundle, "quorum", int, "bundle")
    if quorum < 0:
        raise BundleError("quorum 为负数 / is negative")
    return _Bundle(index, kind, data, leaf_hash, proof, head, key_id, signature, cosignatures, quorum, bundle)


@dataclass
class _Key:
    public: bytes
    key_id: str
    active: bool = True


def _key(public, where):
    try:
        pub = signing.normalize_public(public)
    except signing.SignatureError:
        raise BundleError(f"{where} 不是 SM2 公钥 / is not an SM2 public key") from None
    return _Key(pub, signing.key_id(pub))


def _bundle_keys(bundle, role):
    keys = bundle.get("keys")
    if keys is None:
        return []
    if not isinstance(keys, dict):
        raise BundleError("keys 不是 JSON 对象 / is not a JSON object")
    return _field(keys, role, list, "keys") if role in keys else []


def _log_keys(parsed, pinned, report):
    if pinned is not None:
        return [_key(k, "--log-key") for k in pinned]
    found = []
    for i, entry in enumerate(_bundle_keys(parsed.raw, "log")):
        where = f"keys.log[{i}]"
        key = _key(_field(entry, "public_key", str, where), where)
        listed = entry.get("key_id")
        if listed is not None and listed != key.key_id:
            report.info(f"⚠ {where}: 标注的 key_id {listed} 与公钥不符 / does not match its public key ({key.key_id})")
        found.append(key)
    return found


def _witness_keys(parsed, pinned, report):
    """{name: [_Key]}"""
    found = {}
    if pinned is not None:
        for name, publics in pinned.items():
            if isinstance(publics, (str, bytes, bytearray)):
                publics = [publics]
            found[name] = [_key(p, f"--witness-key {name}") for p in publics]
        return found
    for i, entry in enumerate(_bundle_keys(parsed.raw, "witnesses")):
        where = f"keys.witnesses[{i}]"
        name = _field(entry, "name", str, where)
        key = _key(_field(entry, "public_key", str, where), where)
        key.active = entry.get("active", True) is not False
        listed = entry.get("key_id")
        if listed is not None and listed != key.key_id:
            report.info(f"⚠ {where}: 标注的 key_id {listed} 与公钥不符 / does not match its public key ({key.key_id})")
        found.setdefault(name, []).append(key)
    return found


def _when(ms):
    try:
        moment = datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return f"{ms} ms"
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _verifies(keys, message, signature_b64):
    """The key_id of the key among `keys` whose SM2 signature `signature_b64` is, or None."""
    try:
        signature = signing.unb64(signature_b64)
    except signing.SignatureError:
        return None
    for key in keys:
        try:
            signing.verify(key.public, message, signature)
        except signing.SignatureError:
            continue
        return key.key_id
    return None


# ---------------------------------------------------------------- the checks


def check_bundle(bundle, *, document=None, log_keys=None, witness_keys=None, quorum=None):
    """Verify a proof bundle (the parsed JSON). Raises BundleError when it cannot be read.

    log_keys: SM2 public keys (hex or bytes) to trust for the head signature instead of the
    bundle's; witness_keys: {witness name: public key or list of them} likewise for the
    co-signatures; quorum: the number of witnesses to require instead of the bundle's."""
    report = Report()
    parsed = _parse(bundle)
    head = parsed.head
    hasher = merkle.Hasher(head.algorithm)
    data = parsed.data.encode("utf-8")

    label = f"（{parsed.kind}）" if parsed.kind else ""
    report.info(f"叶子 / leaf #{parsed.index}{label}，{len(data)} 字节 / bytes")
    report.info(
        f"树头 / tree head: {head.origin}，大小 / size {head.size}，{head.algorithm}，{_when(head.timestamp)}，"
        f"根 / root {signing.b64(head.root)}"
    )

    # leaf hash (and, when the bundle states it, that it is the one stated)
    leaf_hash = hasher.leaf(data)
    if parsed.leaf_hash is None:
        report.check(LEAF_HASH, True, f"{head.algorithm} {signing.b64(leaf_hash)}")
    else:
        stated = _unb64(parsed.leaf_hash, "leaf.hash")
        report.check(
            LEAF_HASH,
            stated == leaf_hash,
            f"{head.algorithm} {signing.b64(leaf_hash)}"
            + ("" if stated == leaf_hash else f"，证明包写的是 / the bundle says {parsed.leaf_hash}"),
        )

    # the kind the bundle labels the leaf with is the one inside the (proved) data
    try:
        content = json.loads(parsed.data)
    except ValueError:
        content = None
    if parsed.kind is not None and isinstance(content, dict) and "kind" in content:
        report.check(
            LEAF_KIND,
            content["kind"] == parsed.kind,
            parsed.kind if content["kind"] == parsed.kind else f"数据中为 / the data says {content['kind']!r}",
        )

    # inclusion proof against the signed head's root and size
    try:
        merkle.verify_inclusion(hasher, parsed.index, head.size, leaf_hash, parsed.proof, head.root)
    except merkle.ProofError as exc:
        report.check(INCLUSION, False, str(exc))
    else:
        report.check(INCLUSION, True, f"{len(parsed.proof)} 个节点 / nodes → 树根 / root")

    # head signature
    log = _log_keys(parsed, log_keys, report)
    candidates = [k for k in log if k.key_id == parsed.key_id]
    if not candidates:
        known = ", ".join(k.key_id for k in log) or "无 / none"
        report.check(
            HEAD_SIGNATURE,
            False,
            f"没有 key_id 为 {parsed.key_id} 的日志公钥 / no log key with this key_id (known: {known})",
        )
    else:
        signer = _verifies(candidates, head.body(), parsed.signature)
        report.check(
            HEAD_SIGNATURE,
            signer is not None,
            f"SM2, key_id {parsed.key_id}" if signer else f"签名无效 / invalid signature for key_id {parsed.key_id}",
        )

    # co-signatures and the quorum
    witnesses = _witness_keys(parsed, witness_keys, report)
    valid = set()
    for c in parsed.cosignatures:
        name = f"{COSIGNATURE} {c.witness}"
        keys = witnesses.get(c.witness)
        if not keys:
            report.info(f"– {name}: 未知见证者，已跳过 / unknown witness, skipped")
            continue
        if c.key_id is not None:
            keys = [k for k in keys if k.key_id == c.key_id]
            if not keys:
                report.check(name, False, f"见证者没有 key_id 为 {c.key_id} 的公钥 / the witness has no such key")
                continue
        signer = _verifies(keys, signing.cosign_body(head, c.witness, c.timestamp), c.signature)
        if signer is None:
            report.check(name, False, "签名无效或不属于此树头 / invalid, or not a signature of this head")
            continue
        active = all(k.active for k in keys if k.key_id == signer)
        report.check(
            name,
            True,
            f"key_id {signer}，{_when(c.timestamp)}" + ("" if active else "（已停用，不计入 / inactive, not counted）"),
        )
        if active:
            valid.add(c.witness)
    required = parsed.quorum if quorum is None else quorum
    report.check(
        QUORUM,
        len(valid) >= required,
        f"{len(valid)} / {required}" + (f"（{', '.join(sorted(valid))}）" if valid else ""),
    )
    if required == 0:
        report.info("⚠ 法定数为 0：没有见证者确认也算通过 / a quorum of 0 asks no witness at all")

    # the document the leaf describes
    if document is not None:
        if not isinstance(content, dict):
            content = {}
        for name, field_name, actual in (
            (DOCUMENT_SHA256, "sha256", hashlib.sha256(document).hexdigest()),
            (DOCUMENT_SM3, "sm3", merkle.HASHES["sm3"](document).hex()),
        ):
            expected = content.get(field_name)
            if not isinstance(expected, str):
                report.check(name, False, f"叶子数据中没有 {field_name} / the leaf data has no {field_name}")
            elif expected.lower() == actual:
                report.check(name, True, actual)
            else:
                report.check(name, False, f"文件为 / the file has {actual}，叶子数据为 / the leaf says {expected}")

    # whom the result rests on
    if log_keys is None:
        ids = ", ".join(k.key_id for k in log) or "无 / none"
        report.info(
            f"ℹ 日志公钥取自证明包本身 / the bundle's own log keys were trusted (key_id {ids})；"
            "请与平台 /evidence/keys 页面核对，或用 --log-key 指定 / compare with the platform's "
            "/evidence/keys page, or pin them with --log-key"
        )
    if witness_keys is None:
        ids = ", ".join(f"{name}={k.key_id}" for name, keys in sorted(witnesses.items()) for k in keys) or "无 / none"
        report.info(
            f"ℹ 见证者公钥取自证明包本身 / the bundle's own witness keys were trusted ({ids})；"
            "请核对，或用 --witness-key 指定 / compare them, or pin them with --witness-key"
        )
    return report


# ---------------------------------------------------------------- command line


def _parse_witness_keys(values):
    pinned = {}
    for value in values:
        name, sep, public = value.partition("=")
        if not sep or not name or not public:
            raise BundleError(f"--witness-key 应写作 NAME=HEX / is written NAME=HEX: {value!r}")
        pinned.setdefault(name, []).append(public)
    return pinned


@contextlib.contextmanager
def _quiet_gmssl():
    """GmSSL writes a trace to file descriptor 2 for every signature that does not verify;
    the report says it better, so the command line keeps that descriptor closed meanwhile."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        saved = None
    if saved is None:
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def main(argv=None):
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = argparse.ArgumentParser(
        prog="python -m eguarantee.evidence.verify",
        description="离线验证存证证明包 / verify an evidence proof bundle offline",
    )
    parser.add_argument("bundle", help="证明包 JSON 文件，- 为标准输入 / the bundle JSON file, - for stdin")
    parser.add_argument("--document", metavar="FILE", help="叶子所记录的文件 / the document the leaf records")
    parser.add_argument(
        "--log-key", metavar="HEX", action="append", help="只信任此日志公钥（可重复）/ trust only this log key"
    )
    parser.add_argument(
        "--witness-key",
        metavar="NAME=HEX",
        action="append",
        help="只信任这些见证者公钥（可重复）/ trust only these witness keys",
    )
    parser.add_argument(
        "--quorum", type=int, metavar="N", help="要求的见证者数 / witnesses required (default: the bundle's)"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出 / print the report as JSON")
    args = parser.parse_args(argv)

    try:
        if args.bundle == "-":
            text = sys.stdin.read()
        else:
            with open(args.bundle, encoding="utf-8") as handle:
                text = handle.read()
        try:
            bundle = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise BundleError(f"不是有效的 JSON / not valid JSON: {exc}") from None
        document = None
        if args.document is not None:
            with open(args.document, "rb") as handle:
                document = handle.read()
        witness_keys = _parse_witness_keys(args.witness_key) if args.witness_key else None
        if args.quorum is not None and args.quorum < 0:
            raise BundleError("--quorum 不能为负 / cannot be negative")
        with _quiet_gmssl():
            report = check_bundle(
                bundle, document=document, log_keys=args.log_key, witness_keys=witness_keys, quorum=args.quorum
            )
    except (OSError, UnicodeDecodeError) as exc:
        print(f"✘ 无法读取 / cannot read: {exc}", file=sys.stderr)
        return 2
    except BundleError as exc:
        print(f"✘ 无法读取证明包 / cannot read the bundle: {exc}", file=sys.stderr)
        return 2
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        print(f"✘ 证明包格式错误 / malformed bundle: {exc!r}", file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
