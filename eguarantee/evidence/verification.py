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

from eguarantee.core.exceptions import Conflict, RateLimited, ServiceError
from eguarantee.core.uploads import check_upload
from eguarantee.guarantees.choices import IN_FORCE_STATES, ISSUED_STATES
from eguarantee.guarantees.models import Guarantee, GuaranteeDocument

from . import keys, merkle, selectors, services, signing, tree
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


class Names(NamedTuple):
    guarantee_type: str
    applicant: str
    guarantor: str


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
    guarantee = None
    # Nothing that long (or holding a NUL, which PostgreSQL refuses in a query) was ever issued.
    if len(number) <= NUMBER_MAX and len(code) <= CODE_MAX and "\x00" not in number:
        guarantee = _issued(number)
    expected = guarantee.verification_code.upper().encode() if guarantee else _NO_CODE
    if not hmac.compare_digest(expected, code.encode()) or guarantee is None:
        return not_genuine()
    versions = _versions(guarantee)
    current = next((v for v in versions if v.superseded_at is None), versions[0] if versions else None)
    return _genuine(guarantee, current, versions, guarantee.names)


def _issued(number):
    """The issued guarantee numbered `number`, its type's and parties' names as .names, in
    one query. In SQL, as _versions: the lookup is the public page's whole cost."""
    rows = list(Guarantee.objects.raw(_issued_sql(connection.vendor), [number, *ISSUED_STATES]))
    if not rows:
        return None
    guarantee = rows[0]
    guarantee.names = Names(guarantee._type_name, guarantee._applicant_name, guarantee._guarantor_name or "")
    return guarantee


@lru_cache(maxsize=2)
def _issued_sql(vendor):
    q = connection.ops.quote_name
    columns = ", ".join(f"g.{q(f.column)}" for f in Guarantee._meta.concrete_fields)
    organizations = q(Guarantee._meta.get_field("applicant").related_model._meta.db_table)
    types = q(Guarantee._meta.get_field("guarantee_type").related_model._meta.db_table)
    states = ", ".join(["%s"] * len(ISSUED_STATES))
    # Every name here is a model's own table or column: nothing from a request.
    return (
        f"SELECT {columns}, t.{q('name')} AS _type_name, a.{q('name')} AS _applicant_name,"  # noqa: S608
        f" o.{q('name')} AS _guarantor_name FROM {q(Guarantee._meta.db_table)} g"
        f" JOIN {types} t ON t.{q('id')} = g.{q('guarantee_type_id')}"
        f" JOIN {organizations} a ON a.{q('id')} = g.{q('applicant_id')}"
        f" LEFT JOIN {organizations} o ON o.{q('id')} = g.{q('guarantor_id')}"
        f" WHERE g.{q('number')} = %s AND g.{q('status')} IN ({states}) LIMIT 1"
    )


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
    document = (
        GuaranteeDocument.objects.select_related(
            "guarantee__applicant", "guarantee__guarantor", "guarantee__guarantee_type"
        )
        .filter(sha256=digest.hexdigest(), guarantee__status__in=ISSUED_STATES)
        .order_by("-version")
        .first()
    )
    if document is None:
        return not_genuine()
    guarantee = document.guarantee
    versions = _versions(guarantee)
    document = next(v for v in versions if v.pk == document.pk)
    names = Names(guarantee.guarantee_type.name, guarantee.applicant.name, getattr(guarantee.guarantor, "name", ""))
    return _genuine(guarantee, document, versions, names)


def _versions(guarantee):
    """The guarantee's document versions, newest first, each with its newest leaf and the
    log's generation (generation_of) in the same query, so that a lookup costs two queries
    in all. Written in SQL: the ORM spent longer compiling the
    subqueries than the database spent running them."""
    return list(GuaranteeDocument.objects.raw(_versions_sql(connection.vendor), [DOCUMENT_KIND] * 3 + [guarantee.pk]))


@lru_cache(maxsize=2)
def _versions_sql(vendor):
    q = connection.ops.quote_name
    document = GuaranteeDocument._meta
    columns = ", ".join(f"d.{q(f.column)}" for f in document.concrete_fields)
    entries, heads = q(Entry._meta.db_table), q(TreeHead._meta.db_table)
    cosignatures, witnesses = q(Cosignature._meta.db_table), q(Witness._meta.db_table)

    # Every name here is a model's own table or column: nothing from a request.
    def leaf(column):
        return (
            f"(SELECT e.{q(column)} FROM {entries} e"  # noqa: S608
            f" WHERE e.{q('kind')} = %s AND e.{q('object_id')} = d.{q('id')}"
            f" ORDER BY e.{q('id')} DESC LIMIT 1)"
        )

    def newest_head(column, where=""):
        return f"(SELECT h.{q(column)} FROM {heads} h {where} ORDER BY h.{q('size')} DESC LIMIT 1)"  # noqa: S608

    confirmed = f"WHERE h.{q('confirmed_at')} IS NOT NULL"
    return (
        f"SELECT {columns}, {leaf('id')} AS _leaf_id,"  # noqa: S608
        f" {leaf('index')} AS _leaf_index, {leaf('data')} AS _leaf_data,"
        f" {newest_head('size')} AS _log_newest, {newest_head('root')} AS _log_newest_root,"
        f" {newest_head('size', confirmed)} AS _log_confirmed,"
        f" {newest_head('root', confirmed)} AS _log_confirmed_root,"
        f" (SELECT MAX(c.{q('id')}) FROM {cosignatures} c) AS _log_cosigned,"
        f" (SELECT COUNT(*) FROM {witnesses} w WHERE w.{q('active')}) AS _log_witnesses"
        f" FROM {q(document.db_table)} d WHERE d.{q('guarantee_id')} = %s ORDER BY d.{q('version')} DESC"
    )


def evidence_for_guarantee(guarantee):
    """The evidence panel for a guarantee's current document (departments' inspections),
    or None when no document was issued."""
    document = guarantee.versions.filter(superseded_at__isnull=True).order_by("-version").first()
    if document is None:
        document = guarantee.versions.order_by("-version").first()
    return evidence_of(document) if document else None


def _verdict(guarantee):
    label = guarantee.get_status_display()
    if guarantee.in_force:
        return "valid", "真实有效"
    if guarantee.status in IN_FORCE_STATES:  # issued, but its end date has passed
        return "expired", "真实，已过失效日期"
    return guarantee.status, f"真实，{label}"


def _genuine(guarantee, document, versions, names):
    verdict, message = _verdict(guarantee)
    current_version = next((v.version for v in versions if v.superseded_at is None), None)
    superseded = document is not None and document.superseded_at is not None
    if superseded:
        verdict = "superseded"
        message = f"真实，但该文件（第{document.version}版）已被新版本替代"
    return Result(
        genuine=True,
        message=message,
        verdict=verdict,
        number=guarantee.number,
        status=guarantee.status,
        status_label=guarantee.get_status_display(),
        in_force=guarantee.in_force,
        guarantee_type=names.guarantee_type,
        applicant=names.applicant,
        guarantor=names.guarantor,
        beneficiary=guarantee.beneficiary_name,
        amount=guarantee.amount,
        start_date=guarantee.start_date,
        end_date=guarantee.end_date,
        issued_at=guarantee.issued_at,
        version=document.version if document else None,
        document_sha256=document.sha256 if document else "",
        document_amount=document.amount if document else None,
        document_end_date=document.end_date if document else None,
        document_issued_at=document.issued_at if document else None,
        superseded=superseded,
        superseded_at=document.superseded_at if document else None,
        current_version=current_version,
        evidence=_evidence_of_version(document) if document else None,
    )


def _evidence_of_version(document):
    """evidence_of for a version read by _versions(): its leaf and the log's generation
    came with it."""
    entry = None
    if document._leaf_id is not None:
        entry = Entry(
            pk=document._leaf_id,
            kind=DOCUMENT_KIND,
            object_id=document.pk,
            subject_id=document.guarantee_id,
            index=document._leaf_index,
            data=document._leaf_data,
        )
    return evidence_of(document, entry=entry, view=log_view(generation_of(document)))


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
    """What a proof's head depends on, as read with `row` (_versions_sql): the newest head
    and the newest confirmed head (size and root), the newest co-signature and the number
    of active witnesses. A head signed, confirmed or co-signed, or a witness
    enabled or disabled, changes it; so does a database restored to another log."""
    return (
        row._log_newest,
        _bytes(row._log_newest_root),
        row._log_confirmed,
        _bytes(row._log_confirmed_root),
        row._log_cosigned,
        row._log_witnesses,
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
