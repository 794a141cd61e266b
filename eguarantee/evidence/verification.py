"""保函查验 (Q/GCDB 3—2020 6.1.2, 6.3.3): anyone holding a guarantee checks it, by 保函编号
and 验真码 or by uploading the PDF, and gets the platform's record with the evidence log's
proof that the document was recorded when it was issued.

Reads only; the one write is the per-IP counter in the cache. A lookup that does not match
answers one generic message, whether the number is unknown, the code is wrong or the file
was altered, so the page cannot be used to learn which guarantee numbers exist.
"""

import datetime
import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core import signing as django_signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from eguarantee.core.exceptions import Conflict, RateLimited, ServiceError
from eguarantee.core.uploads import check_upload
from eguarantee.guarantees.choices import IN_FORCE_STATES, ISSUED_STATES, GuaranteeStatus, in_force
from eguarantee.guarantees.models import Guarantee, GuaranteeDocument

from . import keys, merkle, selectors, services, signing, tree
from .lookup_cache import LOOKUPS
from .models import Cosignature, Entry, TreeHead, Witness

log = logging.getLogger(__name__)

NOT_GENUINE = "未能核验：该保函不存在或信息不符。"
DOCUMENT_KIND = "guarantee.document"
PDF_ONLY = {"pdf": {"application/pdf"}}
NUMBER_MAX = 40  # Guarantee.number
CODE_MAX = 16  # Guarantee.verification_code
BUNDLE_SALT = "eguarantee.evidence.verification.bundle"
BUNDLE_TOKEN_SECONDS = 3600
OFFLINE_COMMAND = "python -m eguarantee.evidence.verify bundle.json --document 保函.pdf"
# Compared against when the number is unknown, so both misses cost the same.
_NO_CODE = b"\x00" * 8


# ---------------------------------------------------------------- results


@dataclass
class Evidence:
    """The document's leaf and the proof that it is in the log, checked before it is shown.

    state: "verified" (proof checked against a signed head), "pending" (recorded, not yet
    under a signed head), "missing" (no leaf: the record was not written by the platform)
    or "failed" (the proof or the head's signature did not check out)."""

    state: str
    entry: Entry | None = None
    head: object = None  # TreeHead
    path: list = field(default_factory=list)
    leaf_hash: bytes = b""
    confirmed: bool = False
    cosignatures: list = field(default_factory=list)  # [{"witness", "key_id", "timestamp", "signature"}]
    witnesses: int = 0  # active witnesses (n)
    quorum: int = 0  # co-signatures that confirm a head (k needed)
    token: str = ""  # lets its holder download the proof bundle, for a while

    @property
    def verified(self):
        return self.state == "verified"

    @property
    def index(self):
        return self.entry.index if self.entry else None

    @property
    def size(self):
        return self.head.size if self.head else None

    @property
    def algorithm(self):
        return self.head.algorithm if self.head else ""

    @property
    def root(self):
        return bytes(self.head.root) if self.head else b""

    @property
    def signed_at(self):
        if self.head is None:
            return None
        return datetime.datetime.fromtimestamp(self.head.timestamp / 1000, tz=datetime.UTC)

    @property
    def witness_names(self):
        return [c["witness"] for c in self.cosignatures]

    @property
    def message(self):
        return {
            "verified": "该保函文件的存证已通过默克尔树包含证明校验，签名树头有效。",
            "pending": "该保函文件已记入证据日志，尚待纳入下一个签名树头，请稍后再查。",
            "missing": "证据日志中没有该保函文件的存证记录，请联系平台核实。",
            "failed": "该保函文件的存证校验未通过，请联系平台核实。",
        }[self.state]


@dataclass
class Result:
    genuine: bool
    message: str
    verdict: str = ""  # valid | expired | released | surrendered | claimed | superseded …
    number: str = ""
    status: str = ""
    status_label: str = ""
    in_force: bool = False
    guarantee_type: str = ""
    applicant: str = ""
    guarantor: str = ""
    beneficiary: str = ""
    amount: Decimal | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    issued_at: datetime.datetime | None = None
    version: int | None = None  # of the document checked
    document_sha256: str = ""
    document_amount: Decimal | None = None  # as the checked version states them
    document_end_date: datetime.date | None = None
    document_issued_at: datetime.datetime | None = None
    superseded: bool = False
    superseded_at: datetime.datetime | None = None
    current_version: int | None = None
    evidence: Evidence | None = None
    # Set on a result kept in memory (lookup_cache): names it for as long as it is kept, so
    # that its renderings can be kept with it (rendered()).
    key: tuple | None = field(default=None, compare=False, repr=False)
    renderings: dict = field(default_factory=dict, compare=False, repr=False)


def rendered(result, name, render):
    """render() of a kept result, once for each `name` for as long as the result is kept
    (the page's and the API's answers); called every time for any other result."""
    if result.key is None:
        return render()
    value = result.renderings.get(name)
    if value is None:
        value = result.renderings[name] = render()
    return value


def not_genuine():
    return Result(genuine=False, message=NOT_GENUINE)


# ---------------------------------------------------------------- lookups


def by_number(number, code, ip):
    """The guarantee whose 保函编号 and 验真码 both match, with its current document's proof."""
    number, code = (number or "").strip(), (code or "").strip().upper()
    if not number:
        raise ServiceError("请输入保函编号。", code="number_required", field="number")
    if not code:
        raise ServiceError("请输入验真码。", code="code_required", field="code")
    count(ip)
    return _kept(("number", number, code), lambda: _by_number(number, code))


def _by_number(number, code):
    rows = []
    # Nothing that long (or holding a NUL, which PostgreSQL refuses in a query) was ever issued.
    if len(number) <= NUMBER_MAX and len(code) <= CODE_MAX and "\x00" not in number:
        rows = _lookup("number", number)
    expected = rows[0].verification_code.upper().encode() if rows else _NO_CODE
    if not hmac.compare_digest(expected, code.encode()) or not rows:
        return not_genuine()
    current = next((row for row in rows if row.superseded_at is None), rows[0])
    return _genuine(rows, current)


def plain_number_and_code(data):
    """(number, code), stripped, when `data` (a JSON object or a form's QueryDict) holds both
    as printable ASCII strings within their lengths, which every real lookup does; else
    None, and the caller's form or serializer says what is wrong. Either way the lookup is
    the same: this only spares building one."""
    if not isinstance(data, dict):
        return None
    number, code = data.get("number"), data.get("code")
    if _plain(number, NUMBER_MAX) and _plain(code, CODE_MAX):
        return number.strip(), code.strip()
    return None


def _plain(value, limit):
    return isinstance(value, str) and value.isascii() and value.isprintable() and 0 < len(value.strip()) <= limit


def _kept(lookup, read):
    """read()'s result for `lookup`, or the one kept for it (lookup_cache). Kept under the
    lookup, today (whether it is in force), this minute (its bundle token's age) and the
    epoch it was read at, which is also what its renderings are kept under. A miss is never
    kept: guesses would only crowd out real lookups."""
    epoch = LOOKUPS.epoch()  # None: nothing may be kept now
    key = (*lookup, timezone.localdate(), int(time.time() // 60), epoch)
    kept = LOOKUPS.get(key) if epoch is not None else None
    if kept is not None:
        return kept
    result = read()
    if result.genuine and epoch is not None:
        result.key = key
        LOOKUPS.put(key, result, epoch)
    return result


def by_document(upload, ip):
    """The guarantee whose issued document is this very file (SHA-256 of its bytes).

    `upload` is an uploaded file, or the bytes themselves. Only PDFs are taken, within the
    platform's upload size limit."""
    if upload is None:
        raise ServiceError("请选择要上传的保函PDF文件。", code="file_required", field="file")
    if isinstance(upload, (bytes, bytearray)):
        upload = ContentFile(bytes(upload), name="document.pdf")
    count(ip)
    try:
        check_upload(upload, allowed=PDF_ONLY)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], code=exc.code or "invalid_file", field="file") from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    return _kept(("document", sha256), lambda: _by_document(sha256))


def _by_document(sha256):
    rows = _lookup("document", sha256)
    document = next((row for row in rows if row.sha256 == sha256), None)  # rows are newest first
    return _genuine(rows, document) if document is not None else not_genuine()


# ---------------------------------------------------------------- the lookup's one query


class _Row(NamedTuple):
    """One document version of the guarantee looked up (newest first), with the guarantee,
    its type's and parties' names, the version's newest leaf and the log's generation
    (generation_of) repeated on each."""

    guarantee_id: int
    number: str
    status: str
    amount: Decimal
    start_date: datetime.date
    end_date: datetime.date
    issued_at: datetime.datetime
    beneficiary_name: str
    verification_code: str
    guarantee_type: str
    applicant: str
    guarantor: str | None
    pk: int | None  # the document version; None when the guarantee has none
    version: int | None
    sha256: str | None
    document_amount: Decimal | None
    document_end_date: datetime.date | None
    document_issued_at: datetime.datetime | None
    superseded_at: datetime.datetime | None
    leaf_id: int | None
    leaf_index: int | None
    leaf_data: str | None
    log_newest: int | None
    log_newest_root: bytes | None
    log_confirmed: int | None
    log_confirmed_root: bytes | None
    log_cosigned: int | None
    log_witnesses: int


def _lookup(by, value):
    """The _Rows of the issued guarantee with this number (by="number") or with a document
    of this SHA-256 (by="document"): all a lookup shows, in one query. In SQL on a plain
    cursor: the public lookup is read far more than anything else, and the ORM spent longer
    compiling and building models than the database spent answering."""
    sql, converters = _lookup_sql(connection.vendor, by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [DOCUMENT_KIND] * 3 + [value, *ISSUED_STATES])
        found = cursor.fetchall()
    rows = []
    for values in found:
        if converters:
            values = list(values)
            for i, expression, functions in converters:
                if values[i] is not None:
                    for function in functions:
                        values[i] = function(values[i], expression, connection)
        rows.append(_Row(*values))
    return rows


@lru_cache(maxsize=4)
def _lookup_sql(vendor, by):
    """(SQL, converters) of _lookup; converters lists (column, expression, functions) for
    the columns this database returns in another type than the field's (SQLite's text dates
    and decimals), as the ORM would convert them."""
    q = connection.ops.quote_name
    g, d = Guarantee._meta, GuaranteeDocument._meta
    organizations = q(g.get_field("applicant").related_model._meta.db_table)
    types = q(g.get_field("guarantee_type").related_model._meta.db_table)
    entries, heads = q(Entry._meta.db_table), q(TreeHead._meta.db_table)
    cosignatures, witnesses = q(Cosignature._meta.db_table), q(Witness._meta.db_table)

    def column(alias, meta, name):
        field = meta.get_field(name)
        return f"{alias}.{q(field.column)}", field.get_col(alias)

    # Every name here is a model's own table or column: nothing from a request.
    def leaf(name):
        return (
            f"(SELECT e.{q(name)} FROM {entries} e"  # noqa: S608
            f" WHERE e.{q('kind')} = %s AND e.{q('object_id')} = d.{q('id')}"
            f" ORDER BY e.{q('id')} DESC LIMIT 1)",
            Entry._meta.get_field(name).get_col("e"),
        )

    def newest_head(name, where=""):
        sql = f"(SELECT h.{q(name)} FROM {heads} h {where} ORDER BY h.{q('size')} DESC LIMIT 1)"  # noqa: S608
        return sql, TreeHead._meta.get_field(name).get_col("h")

    confirmed = f"WHERE h.{q('confirmed_at')} IS NOT NULL"
    selected = [
        *(column("g", g, name) for name in ("id", "number", "status", "amount", "start_date", "end_date")),
        *(column("g", g, name) for name in ("issued_at", "beneficiary_name", "verification_code")),
        (f"t.{q('name')}", None),
        (f"a.{q('name')}", None),
        (f"o.{q('name')}", None),
        *(column("d", d, name) for name in ("id", "version", "sha256", "amount", "end_date", "issued_at")),
        column("d", d, "superseded_at"),
        *(leaf(name) for name in ("id", "index", "data")),
        newest_head("size"),
        newest_head("root"),
        newest_head("size", confirmed),
        newest_head("root", confirmed),
        (f"(SELECT MAX(c.{q('id')}) FROM {cosignatures} c)", None),  # noqa: S608
        (f"(SELECT COUNT(*) FROM {witnesses} w WHERE w.{q('active')})", None),  # noqa: S608
    ]
    if by == "number":
        where = f"g.{q('number')} = %s"
    else:
        where = f"g.{q('id')} IN (SELECT s.{q('guarantee_id')} FROM {q(d.db_table)} s WHERE s.{q('sha256')} = %s)"  # noqa: S608
    states = ", ".join(["%s"] * len(ISSUED_STATES))
    sql = (
        f"SELECT {', '.join(sql for sql, _ in selected)} FROM {q(g.db_table)} g"  # noqa: S608
        f" JOIN {types} t ON t.{q('id')} = g.{q('guarantee_type_id')}"
        f" JOIN {organizations} a ON a.{q('id')} = g.{q('applicant_id')}"
        f" LEFT JOIN {organizations} o ON o.{q('id')} = g.{q('guarantor_id')}"
        f" LEFT JOIN {q(d.db_table)} d ON d.{q('guarantee_id')} = g.{q('id')}"
        f" WHERE {where} AND g.{q('status')} IN ({states})"
        f" ORDER BY d.{q('version')} DESC"
    )
    converters = []
    for i, (_, expression) in enumerate(selected):
        if expression is not None:
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if functions:
                converters.append((i, expression, functions))
    return sql, tuple(converters)


def evidence_for_guarantee(guarantee):
    """The evidence panel for a guarantee's current document (departments' inspections),
    or None when no document was issued."""
    document = guarantee.versions.filter(superseded_at__isnull=True).order_by("-version").first()
    if document is None:
        document = guarantee.versions.order_by("-version").first()
    return evidence_of(document) if document else None


def _verdict(status, end_date):
    label = GuaranteeStatus(status).label
    if in_force(status, end_date):
        return "valid", "真实有效"
    if status in IN_FORCE_STATES:  # issued, but its end date has passed
        return "expired", "真实，已过失效日期"
    return status, f"真实，{label}"


# The Result's fields that are the _Row's of the same name.
_SHOWN_AS_READ = (
    *("number", "status", "guarantee_type", "applicant", "amount", "start_date", "end_date", "issued_at"),
    *("version", "document_amount", "document_end_date", "document_issued_at", "superseded_at"),
)


def _genuine(rows, document):
    """The Result for the guarantee of `rows` (_lookup), checked against `document`, one of
    them (its version's fields are None when the guarantee has no document)."""
    verdict, message = _verdict(document.status, document.end_date)
    has_document = document.pk is not None
    superseded = document.superseded_at is not None
    if superseded:
        verdict = "superseded"
        message = f"真实，但该文件（第{document.version}版）已被新版本替代"
    return Result(
        genuine=True,
        message=message,
        verdict=verdict,
        status_label=GuaranteeStatus(document.status).label,
        in_force=in_force(document.status, document.end_date),
        guarantor=document.guarantor or "",
        beneficiary=document.beneficiary_name,
        document_sha256=document.sha256 or "",
        superseded=superseded,
        **{name: getattr(document, name) for name in _SHOWN_AS_READ},
        current_version=next((row.version for row in rows if row.pk is not None and row.superseded_at is None), None),
        evidence=_evidence_of_version(document) if has_document else None,
    )


def _evidence_of_version(row):
    """evidence_of for a version read by _lookup(): its leaf and the log's generation came
    with it."""
    entry = None
    if row.leaf_id is not None:
        entry = Entry(
            pk=row.leaf_id,
            kind=DOCUMENT_KIND,
            object_id=row.pk,
            subject_id=row.guarantee_id,
            index=row.leaf_index,
            data=row.leaf_data,
        )
    return evidence_of(row, entry=entry, view=log_view(generation_of(row)))


# ---------------------------------------------------------------- evidence


@lru_cache(maxsize=256)
def _verify_head(public, body, signature):
    """A head's SM2 check, once per process for the same bytes (0.6 ms each, on every page
    that shows a proof); changed bytes are a new key, so nothing tampered hits the cache.
    A failure raises, and is never cached."""
    signing.verify(public, body, signature)


_LOOK_UP = object()


def evidence_of(document, *, entry=_LOOK_UP, view=None):
    """The newest leaf recording `document`, its proof, checked here: the leaf must name
    this file's hash, the path must lead to the head's root, and the head must carry the
    platform's signature. Only then is the proof shown as verified. `entry` and `view` (a
    LogView) are read here unless the caller read them already."""
    if entry is _LOOK_UP:
        entry = selectors.entries_of(DOCUMENT_KIND, document.pk).first()
    if entry is None:
        log.error("guarantee document %s has no evidence leaf", document.pk)
        return Evidence(state="missing")
    view = view or log_view()
    head, confirmed = view.head_for(entry.index)
    if head is None:
        return Evidence(state="pending", entry=entry)
    hasher = merkle.Hasher(head.algorithm)
    leaf_hash = hasher.leaf(entry.data.encode())
    try:
        if json.loads(entry.data).get("sha256") != document.sha256:
            raise merkle.ProofError("the leaf names another file")
        path = _checked_path(hasher, entry.index, head, leaf_hash)
        public = view.public_key(head.key_id)
        if public is None:
            raise signing.SignatureError(f"unknown signing key {head.key_id}")
        _verify_head(public, services.head_of(head).body(), bytes(head.signature))
    except LookupError:
        log.exception("evidence nodes missing for entry %s", entry.pk)
        return Evidence(state="failed", entry=entry)
    except (merkle.ProofError, signing.SignatureError, ValueError) as exc:
        # Either the database or the log was changed behind the platform: say so, show no proof.
        log.error("evidence for guarantee document %s does not verify: %s", document.pk, exc)
        return Evidence(state="failed", entry=entry)
    return Evidence(
        state="verified",
        entry=entry,
        head=head,
        path=path,
        leaf_hash=leaf_hash,
        confirmed=confirmed,
        cosignatures=view.cosignatures(head),
        witnesses=view.witnesses,
        quorum=settings.EVIDENCE_QUORUM,
        token=bundle_token(entry),
    )


# Inclusion paths that checked out, by (leaf index, tree size, root). The nodes of a tree
# under a signed root never change, and a path that leads to that root proves inclusion
# for good, so a proof is read from the database once per process; it is still checked
# against this request's leaf hash every time (some 20 hashes).
_PATHS = OrderedDict()
_PATHS_MAX = 4096
_PATHS_LOCK = threading.Lock()


def _checked_path(hasher, index, head, leaf_hash):
    root = bytes(head.root)
    key = (index, head.size, root)
    path = _PATHS.get(key)
    if path is None:
        path = tuple(tree.inclusion_proof(index, head.size))
    merkle.verify_inclusion(hasher, index, head.size, leaf_hash, list(path), root)
    with _PATHS_LOCK:
        _PATHS[key] = path
        _PATHS.move_to_end(key)
        while len(_PATHS) > _PATHS_MAX:
            _PATHS.popitem(last=False)
    return list(path)


# ---------------------------------------------------------------- the log, as of now


def generation_of(row):
    """What a proof's head depends on, as read with `row` (a _Row): the newest head and the
    newest confirmed head (size and root), the newest co-signature and the number of active
    witnesses. A head signed, confirmed or co-signed, or a witness enabled or disabled,
    changes it; so does a database restored to another log."""
    return (
        row.log_newest,
        _bytes(row.log_newest_root),
        row.log_confirmed,
        _bytes(row.log_confirmed_root),
        row.log_cosigned,
        row.log_witnesses,
    )


def _bytes(value):
    return None if value is None else bytes(value)


class LogView:
    """The heads proofs are checked against, for one generation of the log: the newest
    head and the newest confirmed one, their co-signatures, the signing keys. Every lookup
    reads the generation from the database; the rows behind it are read once per process
    per generation."""

    def __init__(self, generation):
        newest, newest_root, confirmed, confirmed_root, _cosigned, witnesses = generation
        heads = {head.size: head for head in TreeHead.objects.filter(size__in=[s for s in (newest, confirmed) if s])}
        self.newest = _same(heads.get(newest), newest_root)
        self.confirmed = _same(heads.get(confirmed), confirmed_root)
        self.witnesses = witnesses
        self._cosignatures = {}
        self._keys = {}

    def head_for(self, index):
        """(head, confirmed?): the newest confirmed head holding leaf `index`, else the
        newest signed one holding it, else (None, False)."""
        if index is None:
            return None, False
        if self.confirmed is not None and self.confirmed.size > index:
            return self.confirmed, True
        if self.newest is not None and self.newest.size > index:
            return self.newest, False
        return None, False

    def cosignatures(self, head):
        if head.pk not in self._cosignatures:
            self._cosignatures[head.pk] = selectors.cosignatures_json(head)
        return self._cosignatures[head.pk]

    def public_key(self, key_id):
        if key_id not in self._keys:
            self._keys[key_id] = keys.public_key(key_id)
        return self._keys[key_id]


def _same(head, root):
    """`head` if it is still the head the generation named (a race with a restore)."""
    return head if head is not None and bytes(head.root) == root else None


_VIEWS = OrderedDict()
_VIEWS_LOCK = threading.Lock()


def log_view(generation=None):
    """The LogView of `generation` (read now when not given)."""
    if generation is None:
        generation = _read_generation()
    with _VIEWS_LOCK:
        view = _VIEWS.get(generation)
    if view is None:
        view = LogView(generation)
        with _VIEWS_LOCK:
            _VIEWS[generation] = view
            while len(_VIEWS) > 4:
                _VIEWS.popitem(last=False)
    return view


def _read_generation():
    """generation_of() read on its own, for the pages that show one proof."""
    newest = TreeHead.objects.order_by("-size").values_list("size", "root").first() or (None, None)
    confirmed = TreeHead.objects.filter(confirmed_at__isnull=False).order_by("-size").values_list(
        "size", "root"
    ).first() or (None, None)
    cosigned = Cosignature.objects.aggregate(newest=Max("pk"))
    return (
        newest[0],
        _bytes(newest[1]),
        confirmed[0],
        _bytes(confirmed[1]),
        cosigned["newest"],
        Witness.objects.filter(active=True).count(),
    )


def bundle_token(entry):
    return django_signing.dumps({"entry": entry.pk}, salt=BUNDLE_SALT)


def bundle_for_token(token):
    """(file name, proof bundle) for a token a successful lookup handed out; the token is
    what keeps bundles from being fetched by enumerating leaves."""
    try:
        payload = django_signing.loads(token or "", salt=BUNDLE_SALT, max_age=BUNDLE_TOKEN_SECONDS)
        entry_id = int(payload["entry"])
    except django_signing.SignatureExpired:
        raise ServiceError("证明包下载链接已过期，请重新查验后下载。", code="token_expired") from None
    except (django_signing.BadSignature, KeyError, TypeError, ValueError):
        raise ServiceError("证明包下载链接无效，请重新查验后下载。", code="bad_token") from None
    entry = Entry.objects.filter(pk=entry_id, kind=DOCUMENT_KIND).first()
    bundle = selectors.bundle(entry) if entry else None
    if bundle is None:
        raise Conflict("该存证尚未纳入签名树头，请稍后再试。", code="not_yet_logged")
    data = json.loads(entry.data)
    name = f"proof-{data.get('guarantee__number') or entry.object_id}-v{data.get('version', '')}.json"
    return name, bundle


# ---------------------------------------------------------------- rate limit


def count(ip):
    """One lookup by `ip` in this minute (a fixed window in the cache); refused past
    settings.VERIFY_RATE_PER_MINUTE, which is what makes guessing codes hopeless."""
    limit = settings.VERIFY_RATE_PER_MINUTE
    if limit <= 0:
        return
    window = int(time.time() // 60)
    key = f"evidence:verify:{ip or '-'}:{window}"
    if cache.add(key, 1, timeout=120):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            used = 1
    if used > limit:
        raise RateLimited("查验过于频繁，请1分钟后再试。", code="rate_limited")
