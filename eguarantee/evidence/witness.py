"""A witness of the evidence log: an independent process, run by a department or a guarantor,
that co-signs the platform's tree heads only after checking that the log grew by appending.

    python -m eguarantee.evidence.witness --log-url https://eguarantee.example.org \\
        --name xm-zjj --key-file /var/lib/witness/xm-zjj.key --state /var/lib/witness/state.sqlite3

It shares no code with the platform beyond the Merkle proofs and the signed formats
(merkle.py, signing.py; no Django), keeps its own SM2 key and its own SQLite file, and meets
the platform only over the public JSON protocol (protocol.py). `--print-public-key` prints
the public key to register on the platform.

Each step (every --interval seconds; once with --once):

1. GET /evidence/head and check its SM2 signature with a pinned log key. Keys are pinned by
   the operator (--log-key), or on first use from /evidence/keys. A head signed by a key not
   pinned yet is taken only from /evidence/keys and only if the head is consistent with the
   last head this witness verified, so a key rotation is followed but a stranger's key never
   starts a history of its own. The origin and hash algorithm never change.
2. Compare with the last verified head: smaller → alarm "rollback"; same size, other root →
   alarm "fork"; larger → GET /evidence/consistency and verify the RFC 9162 proof; a proof
   that does not verify → alarm "fork".
3. Co-sign (signing.cosign_body) and POST /evidence/cosignatures; the head becomes the last
   verified one.

An alarm carries both signed heads (the evidence), is kept in the state file, POSTed signed
to /evidence/alarms (again each step until the platform takes it) and logged at CRITICAL.
The witness then co-signs nothing until the operator runs it with --clear-alarm; if the log
still contradicts the last verified head, the next step raises the alarm again. To follow a
log that was deliberately rebuilt, start from a new state file.

Network errors and the platform's refusals change nothing: the step is tried again at the
next interval.
"""

import argparse
import http.client
import json
import logging
import signal
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from eguarantee.evidence import merkle, signing

log = logging.getLogger("eguarantee.evidence.witness")

DEFAULT_TIMEOUT = 10
MAX_RESPONSE = 1024 * 1024
USER_AGENT = "eguarantee-witness/1"

# What step() returns in `status`. Only the first two mean the log is as it should be.
COSIGNED = "cosigned"  # verified and co-signed a head (new, or one the platform lacks our signature on)
UNCHANGED = "unchanged"  # the head we verified and co-signed before
REFUSED = "refused"  # would not co-sign: an alarm (then halted), or a head it cannot trust
HALTED = "halted"  # an earlier alarm stands; nothing was checked or signed
ERROR = "error"  # the platform was unreachable or refused us; retried next interval


def now_ms():
    return int(time.time() * 1000)


def alarm_body(*, witness, reason, message, data, timestamp):
    """The bytes an alarm is signed over: services.alarm_body's canonical JSON, written out
    here because the witness does not import the platform."""
    body = {"witness": witness, "reason": reason, "message": message, "data": data, "timestamp": int(timestamp)}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class StepResult:
    status: str
    reason: str = ""  # why, for refused/error: "fork", "bad_signature", a platform error code…
    message: str = ""
    size: int | None = None  # the head's size, when one was read
    confirmed: bool | None = None  # the platform's answer to a co-signature
    alarm: int | None = None  # the local alarm id, when one was raised

    @property
    def ok(self):
        return self.status in (COSIGNED, UNCHANGED)


@dataclass(frozen=True)
class SignedHead:
    head: signing.Head
    key_id: str
    signature: bytes

    def as_json(self):
        return {**self.head.as_json(), "key_id": self.key_id, "signature": signing.b64(self.signature)}


# ---------------------------------------------------------------- HTTP


class Unavailable(Exception):
    """The platform could not be reached, timed out, failed (5xx) or answered garbage."""


class Rejected(Exception):
    """The platform answered with one of its JSON errors (4xx): a stable code and a message."""

    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class Client:
    def __init__(self, log_url, timeout=DEFAULT_TIMEOUT):
        base = log_url.rstrip("/")
        if base.endswith("/evidence"):  # the protocol's own prefix given: take it either way
            base = base[: -len("/evidence")]
        scheme = urllib.parse.urlsplit(base).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"--log-url must be an http(s) URL, not {log_url!r}")
        self.base = base + "/evidence/"
        self.timeout = timeout

    def get(self, path, **params):
        url = self.base + path + (f"?{urllib.parse.urlencode(params)}" if params else "")
        return self._exchange(urllib.request.Request(url, headers=self._headers()))  # noqa: S310 (scheme checked)

    def post(self, path, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        headers = {**self._headers(), "Content-Type": "application/json"}
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method="POST")  # noqa: S310
        return self._exchange(request)

    def _headers(self):
        return {"Accept": "application/json", "User-Agent": USER_AGENT}

    def _exchange(self, request):
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked)
                raw = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:
            raw = exc.read(MAX_RESPONSE)
            exc.close()
            if exc.code >= 500 or exc.code == 429:
                raise Unavailable(f"{request.full_url}: HTTP {exc.code}") from None
            error = self._error(raw)
            raise Rejected(exc.code, error.get("code", "http_error"), error.get("message", "")) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            raise Unavailable(f"{request.full_url}: {getattr(exc, 'reason', exc)}") from None
        if len(raw) > MAX_RESPONSE:
            raise Unavailable(f"{request.full_url}: response larger than {MAX_RESPONSE} bytes")
        try:
            body = json.loads(raw)
        except ValueError:
            raise Unavailable(f"{request.full_url}: not JSON") from None
        if not isinstance(body, dict):
            raise Unavailable(f"{request.full_url}: not a JSON object")
        return body

    @staticmethod
    def _error(raw):
        try:
            error = json.loads(raw).get("error")
        except (ValueError, AttributeError):
            return {}
        return error if isinstance(error, dict) else {}


# ---------------------------------------------------------------- state


SCHEMA = """
CREATE TABLE IF NOT EXISTS head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    origin TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    signature BLOB NOT NULL,
    verified_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS log_key (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    source TEXT NOT NULL,          -- operator (--log-key), first-use, rotation
    pinned_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cosignature (
    id INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    head_timestamp INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    signature BLOB NOT NULL,
    confirmed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alarm (
    id INTEGER PRIMARY KEY,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    signature BLOB NOT NULL,
    delivered_at INTEGER,
    cleared_at INTEGER
);
"""


@dataclass
class Alarm:
    id: int
    reason: str
    message: str
    data: dict
    timestamp: int
    signature: bytes
    delivered_at: int | None
    cleared_at: int | None


class State:
    """The witness's memory, one SQLite file. Whatever one step learns is written in one
    transaction, so a crash leaves the state before or after the step, never between."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=10)
        self.db.executescript(SCHEMA)

    def close(self):
        self.db.close()

    def head(self):
        row = self.db.execute(
            "SELECT origin, size, root, algorithm, timestamp, key_id, signature FROM head WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        origin, size, root, algorithm, timestamp, key_id, sig = row
        return SignedHead(signing.Head(origin, size, bytes(root), algorithm, timestamp), key_id, bytes(sig))

    def keys(self):
        return dict(self.db.execute("SELECT key_id, public_key FROM log_key"))

    def pin(self, public_key, source):
        public = signing.normalize_public(public_key)
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO log_key (key_id, public_key, source, pinned_at) VALUES (?, ?, ?, ?)",
                (signing.key_id(public), public.hex(), source, now_ms()),
            )

    def accept(self, signed, *, new_key=None, cosignature=None):
        """The head verified: it becomes the last verified head, with the key that signed it
        pinned (when new) and our co-signature (when the platform took it)."""
        h = signed.head
        with self.db:
            if new_key is not None:
                key_id, public, source = new_key
                self.db.execute(
                    "INSERT OR IGNORE INTO log_key (key_id, public_key, source, pinned_at) VALUES (?, ?, ?, ?)",
                    (key_id, public, source, now_ms()),
                )
            self.db.execute(
                "INSERT OR REPLACE INTO head (id, origin, algorithm, size, root, timestamp, key_id, signature,"
                " verified_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                (h.origin, h.algorithm, h.size, h.root, h.timestamp, signed.key_id, signed.signature, now_ms()),
            )
            if cosignature is not None:
                timestamp, sig, confirmed = cosignature
                self.db.execute(
                    "INSERT INTO cosignature (size, root, head_timestamp, timestamp, signature, confirmed)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (h.size, h.root, h.timestamp, timestamp, sig, int(bool(confirmed))),
                )

    def cosignatures(self):
        return self.db.execute(
            "SELECT size, root, head_timestamp, timestamp, signature, confirmed FROM cosignature ORDER BY id"
        ).fetchall()

    def add_alarm(self, reason, message, data, timestamp, sig):
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO alarm (reason, message, data, timestamp, signature) VALUES (?, ?, ?, ?, ?)",
                (reason, message, json.dumps(data, ensure_ascii=False), timestamp, sig),
            )
        return cursor.lastrowid

    def alarms(self, *, open_only=False):
        rows = self.db.execute(
            "SELECT id, reason, message, data, timestamp, signature, delivered_at, cleared_at FROM alarm"
            " WHERE cleared_at IS NULL OR NOT ? ORDER BY id",
            (open_only,),
        ).fetchall()
        return [Alarm(r[0], r[1], r[2], json.loads(r[3]), r[4], bytes(r[5]), r[6], r[7]) for r in rows]

    def delivered(self, alarm_id):
        with self.db:
            self.db.execute("UPDATE alarm SET delivered_at = ? WHERE id = ?", (now_ms(), alarm_id))

    def clear_alarms(self):
        with self.db:
            return self.db.execute("UPDATE alarm SET cleared_at = ? WHERE cleared_at IS NULL", (now_ms(),)).rowcount


# ---------------------------------------------------------------- the witness


class Refusal(Exception):
    """A head this witness will not co-sign, without proof that the log misbehaved (a bad or
    unknown signature, another origin): refused each time, no alarm, no halt."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message


class Misbehaviour(Exception):
    """Two heads signed by the log that cannot both be true: an alarm."""

    def __init__(self, reason, message, data):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.data = data


class Witness:
    def __init__(self, *, log_url, name, pair, state, log_keys=(), timeout=DEFAULT_TIMEOUT):
        self.name = name
        self.pair = pair
        self.client = Client(log_url, timeout)
        self.state = state if isinstance(state, State) else State(state)
        for public in log_keys:
            self.state.pin(public, "operator")

    def close(self):
        self.state.close()

    @property
    def halted(self):
        return bool(self.state.alarms(open_only=True))

    def clear_alarms(self):
        cleared = self.state.clear_alarms()
        if cleared:
            log.warning("witness %s: operator cleared %d alarm(s); co-signing resumes", self.name, cleared)
        return cleared

    # ------------------------------------------------------------ one step

    def step(self):
        if self.halted:
            self._deliver_alarms()
            return StepResult(HALTED, reason="alarm", message="an alarm stands: run with --clear-alarm")
        try:
            return self._step()
        except Unavailable as exc:
            log.warning("witness %s: log unavailable, retrying next interval: %s", self.name, exc)
            return StepResult(ERROR, reason="unavailable", message=str(exc))
        except Rejected as exc:
            # A log with no signed head yet is a new platform, not a fault.
            level = logging.INFO if exc.code == "empty_log" else logging.ERROR
            log.log(level, "witness %s: the platform refused: %s", self.name, exc)
            return StepResult(ERROR, reason=exc.code, message=exc.message)

    def _step(self):
        body = self.client.get("head")
        try:
            signed = SignedHead(signing.Head.from_json(body), str(body["key_id"]), signing.unb64(body["signature"]))
        except (KeyError, signing.SignatureError) as exc:
            return self._refuse(Refusal("malformed_head", f"malformed tree head: {exc}"), None)
        last = self.state.head()
        try:
            new_key = self._check_signature(signed, last)
            self._check_log(signed, last, new_key)
        except Refusal as refusal:
            return self._refuse(refusal, signed.head.size)
        except Misbehaviour as alarm:
            return self._alarm(alarm, signed.head.size)
        if last is not None and last.head == signed.head and not new_key:
            cosigned_by = {c.get("witness") for c in body.get("cosignatures") or () if isinstance(c, dict)}
            if self.name in cosigned_by:
                return StepResult(UNCHANGED, size=signed.head.size, confirmed=bool(body.get("confirmed")))
            # Ours was lost (a failed POST, a restored database): the head is verified, sign again.
        return self._cosign(signed, new_key)

    def _check_signature(self, signed, last):
        """Verify the head's signature; returns (key_id, public, source) for a key to pin once
        the head proves consistent, or None for a key pinned already."""
        pinned = self.state.keys()
        public = pinned.get(signed.key_id)
        new_key = None
        if public is None:
            if last is None and pinned:
                raise Refusal("unknown_key", f"head signed by key {signed.key_id}, not the pinned log key")
            public = self._fetch_key(signed.key_id)
            new_key = (signed.key_id, public, "first-use" if last is None else "rotation")
        try:
            signing.verify(public, signed.head.body(), signed.signature)
        except signing.SignatureError:
            raise Refusal("bad_signature", f"the signature of head {signed.head.size} does not verify") from None
        return new_key

    def _fetch_key(self, key_id):
        body = self.client.get("keys")
        for entry in body.get("log") or ():
            if not isinstance(entry, dict) or entry.get("key_id") != key_id:
                continue
            try:
                public = signing.normalize_public(bytes.fromhex(str(entry.get("public_key"))))
            except (ValueError, signing.SignatureError):
                break
            if signing.key_id(public) == key_id:  # a key id is the key's own hash: nobody picks one
                return public.hex()
            break
        raise Refusal("unknown_key", f"head signed by key {key_id}, which /evidence/keys does not publish")

    def _check_log(self, signed, last, new_key):
        head = signed.head
        if head.algorithm not in merkle.HASHES:
            raise Refusal("bad_algorithm", f"unknown hash algorithm {head.algorithm!r}")
        if last is None:
            return  # the first head: trusted on first use, the start of this witness's history
        if (head.origin, head.algorithm) != (last.head.origin, last.head.algorithm):
            raise Refusal(
                "other_log",
                f"head of {head.origin} ({head.algorithm}); this witness follows "
                f"{last.head.origin} ({last.head.algorithm})",
            )
        data = {"last": last.as_json(), "head": signed.as_json()}
        if head.size < last.head.size:
            raise self._contradiction(
                new_key,
                Misbehaviour(
                    "rollback",
                    f"日志回滚：最新树头仅 {head.size} 条，而本见证节点已核验 {last.head.size} 条的树头。",
                    data,
                ),
            )
        if head.size == last.head.size:
            if head.root != last.head.root:
                raise self._contradiction(
                    new_key,
                    Misbehaviour("fork", f"日志分叉：同为 {head.size} 条的两个树头根哈希不同。", data),
                )
            return
        reply = self.client.get("consistency", first=last.head.size, second=head.size)
        try:
            if (reply.get("first"), reply.get("second")) != (last.head.size, head.size):
                raise merkle.ProofError("the proof is for other sizes")
            proof = [signing.unb64(p) for p in reply.get("proof") or ()]
            merkle.verify_consistency(
                merkle.Hasher(head.algorithm), last.head.size, head.size, last.head.root, head.root, proof
            )
        except (merkle.ProofError, signing.SignatureError, TypeError) as exc:
            data["consistency_proof"] = reply.get("proof")
            data["error"] = str(exc)
            raise self._contradiction(
                new_key,
                Misbehaviour(
                    "fork",
                    f"日志分叉：{head.size} 条的树头与已核验的 {last.head.size} 条树头不一致"
                    f"（一致性证明未通过：{exc}）。",
                    data,
                ),
            ) from None

    @staticmethod
    def _contradiction(new_key, alarm):
        # Signed by a key we were about to pin on the head's own word: no proof against the log.
        if new_key is not None:
            return Refusal("unknown_key", f"head signed by new key {new_key[0]} contradicts the verified head")
        return alarm

    def _cosign(self, signed, new_key):
        timestamp = now_ms()
        sig = self.pair.sign(signing.cosign_body(signed.head, self.name, timestamp))
        reply = self.client.post(
            "cosignatures",
            {
                "witness": self.name,
                "head": signed.head.as_json(),
                "timestamp": timestamp,
                "signature": signing.b64(sig),
            },
        )
        confirmed = bool(reply.get("confirmed"))
        self.state.accept(signed, new_key=new_key, cosignature=(timestamp, sig, confirmed))
        if new_key is not None:
            log.warning("witness %s: pinned log key %s (%s)", self.name, new_key[0], new_key[2])
        log.info(
            "witness %s: co-signed head %d of %s%s",
            self.name,
            signed.head.size,
            signed.head.origin,
            " (confirmed)" if confirmed else "",
        )
        return StepResult(COSIGNED, size=signed.head.size, confirmed=confirmed)

    def _refuse(self, refusal, size):
        log.error("witness %s: refusing to co-sign: %s", self.name, refusal.message)
        return StepResult(REFUSED, reason=refusal.reason, message=refusal.message, size=size)

    # ------------------------------------------------------------ alarms

    def _alarm(self, alarm, size):
        timestamp = now_ms()
        body = alarm_body(
            witness=self.name, reason=alarm.reason, message=alarm.message, data=alarm.data, timestamp=timestamp
        )
        alarm_id = self.state.add_alarm(alarm.reason, alarm.message, alarm.data, timestamp, self.pair.sign(body))
        log.critical(
            "witness %s: ALARM %s, halted until --clear-alarm: %s %s",
            self.name,
            alarm.reason,
            alarm.message,
            json.dumps(alarm.data, ensure_ascii=False),
        )
        self._deliver_alarms()
        return StepResult(REFUSED, reason=alarm.reason, message=alarm.message, size=size, alarm=alarm_id)

    def _deliver_alarms(self):
        for alarm in self.state.alarms(open_only=True):
            if alarm.delivered_at is not None:
                continue
            try:
                self.client.post(
                    "alarms",
                    {
                        "witness": self.name,
                        "reason": alarm.reason,
                        "message": alarm.message,
                        "data": alarm.data,
                        "timestamp": alarm.timestamp,
                        "signature": signing.b64(alarm.signature),
                    },
                )
            except (Unavailable, Rejected) as exc:
                log.error("witness %s: alarm %d not delivered, retrying next interval: %s", self.name, alarm.id, exc)
                continue
            self.state.delivered(alarm.id)
            log.warning("witness %s: alarm %d (%s) delivered to the platform", self.name, alarm.id, alarm.reason)


# ---------------------------------------------------------------- command line


def add_arguments(parser, *, log_url_default=None):
    # Which options are needed depends on what is asked (--print-public-key needs the key file
    # alone): run() checks them, not argparse.
    parser.add_argument(
        "--log-url",
        default=log_url_default,
        help="平台地址，如 https://eguarantee.example.org（协议路径 /evidence/… 自动添加）",
    )
    parser.add_argument("--name", help="在平台登记的见证节点名称")
    parser.add_argument("--key-file", help="本节点SM2私钥文件，首次运行时生成（权限0600）")
    parser.add_argument("--state", help="本节点状态文件（SQLite）：已核验的树头、固定的平台公钥、联署与告警")
    parser.add_argument(
        "--log-key",
        action="append",
        default=[],
        help="固定平台的树头签名公钥（十六进制，可多次给出）；不给则首次运行时从 /evidence/keys 获取",
    )
    parser.add_argument("--interval", type=float, default=10, help="两次核验之间的秒数")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="HTTP请求超时秒数")
    parser.add_argument("--once", action="store_true", help="只核验一次后退出")
    parser.add_argument("--print-public-key", action="store_true", help="打印本节点公钥（供平台登记）后退出")
    parser.add_argument("--clear-alarm", action="store_true", help="运维人员核查后解除告警、恢复联署，然后退出")


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m eguarantee.evidence.witness", description="证据日志见证节点")
    add_arguments(parser)
    return parser


EXIT_OK, EXIT_ERROR, EXIT_ALARM = 0, 1, 2


class UsageError(ValueError):
    pass


def _require(args, *names):
    missing = [f"--{name.replace('_', '-')}" for name in names if not getattr(args, name)]
    if missing:
        raise UsageError(f"缺少参数：{' '.join(missing)}")


def run(args, stdout=None):
    """Run the witness as the parsed options say; returns the process's exit status (with
    --once: 0 co-signed or unchanged, 2 refused or halted, 1 unreachable or rejected).
    Raises UsageError for options missing or malformed."""
    stdout = stdout or sys.stdout
    if args.print_public_key:
        _require(args, "key_file")
        print(signing.KeyPair.load_or_create(args.key_file).public_hex, file=stdout)
        return EXIT_OK
    if args.clear_alarm:
        _require(args, "state")
        state = State(args.state)
        try:
            for alarm in state.alarms(open_only=True):
                print(f"clearing alarm {alarm.id} ({alarm.reason}): {alarm.message}", file=stdout)
            cleared = state.clear_alarms()
        finally:
            state.close()
        log.warning("operator cleared %d alarm(s) in %s; co-signing resumes", cleared, args.state)
        return EXIT_OK
    _require(args, "log_url", "name", "key_file", "state")
    try:
        Client(args.log_url)
        log_keys = [signing.normalize_public(key) for key in args.log_key]
    except (ValueError, signing.SignatureError) as exc:
        raise UsageError(f"{exc}") from None
    witness = Witness(
        log_url=args.log_url,
        name=args.name,
        pair=signing.KeyPair.load_or_create(args.key_file),
        state=args.state,
        log_keys=log_keys,
        timeout=args.timeout,
    )
    try:
        if args.once:
            return _exit_status(witness.step())
        _loop(witness, args.interval)
        return EXIT_OK
    finally:
        witness.close()


def _exit_status(result):
    if result.ok:
        return EXIT_OK
    return EXIT_ALARM if result.status in (REFUSED, HALTED) else EXIT_ERROR


def _loop(witness, interval):
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    log.info("witness %s: watching %s every %ss", witness.name, witness.client.base, interval)
    while not stop.is_set():
        try:
            witness.step()
        except Exception:  # a bug or a broken state file must not end the watch silently
            log.exception("witness %s: step failed", witness.name)
        stop.wait(interval)
    log.info("witness %s: stopped", witness.name)


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        return run(parser.parse_args(argv))
    except UsageError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    sys.exit(main())
