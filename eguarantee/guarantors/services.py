"""Every write of 保证人管理 (6.2), and the rules that go with them.

Each function checks the actor's permission and organization (a guarantor's administrator
keeps its own records, the platform administrator everyone's), validates, and writes in
one transaction; a refused call leaves the database as it was. Errors are ServiceErrors
with stable codes (listed in the module's report and the tests)."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, ProtectedError, Q
from django.utils import timezone

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.accounts.selectors import platform_admins
from eguarantee.accounts.services import full_clean_or_error
from eguarantee.accounts.validators import validate_region_code
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.permissions import require_perm, require_same_organization
from eguarantee.core.uploads import check_upload, file_digests
from eguarantee.notifications import services as notify

from .choices import ClauseStatus, QualificationKind
from .models import EXPIRY_WARNING_DAYS, Clause, GuarantorProfile, Offer, Qualification
from .selectors import guarantor_admins

CENT = Decimal("0.01")
MAX_TURNAROUND_HOURS = 720  # a promise beyond a month is no promise
OTHER_GUARANTOR = "不能维护其他保证人的数据。"


def _require(actor, permission, guarantor_id):
    require_perm(actor, permission)
    require_same_organization(actor, guarantor_id, OTHER_GUARANTOR)


def _guarantor(organization):
    if organization is None or organization.org_type != OrgType.GUARANTOR:
        raise ServiceError("所选单位不是保证人。", code="not_a_guarantor", field="guarantor")
    return organization


def _require_profile(organization):
    if not GuarantorProfile.objects.filter(organization_id=organization.pk).exists():
        raise ServiceError(
            f"“{organization.name}”尚未建立机构信息，请先完善机构信息。", code="profile_required", field="guarantor"
        )


def _decimal(value, field_name, label):
    if value is None or value == "":
        raise ServiceError(f"请填写{label}。", code="required", field=field_name)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(f"{label}不是有效的数字。", code="invalid_number", field=field_name) from None
    if not number.is_finite():
        raise ServiceError(f"{label}不是有效的数字。", code="invalid_number", field=field_name)
    if number < 0:
        raise ServiceError(f"{label}不能为负数。", code="negative_value", field=field_name)
    return number


# ---------------------------------------------------------------- institution (6.2.1)

PROFILE_FIELDS = (
    "institution_type",
    "registered_capital",
    "credit_rating",
    "rating_agency",
    "rating_date",
    "legal_representative",
    "service_hotline",
    "short_code",
    "introduction",
    "enabled",
)


def normalize_short_code(value):
    return (value or "").strip().upper()


def _check_short_code(code, exclude_pk=None):
    if not code.isascii() or not code.isalnum() or not 2 <= len(code) <= 10:
        raise ServiceError("机构简码应为2～10位字母或数字。", code="invalid_short_code", field="short_code")
    taken = GuarantorProfile.objects.filter(short_code=code).exclude(pk=exclude_pk)
    if taken.exists():
        raise ServiceError(f"机构简码“{code}”已被其他保证人使用。", code="duplicate_short_code", field="short_code")


def _profile_data(data):
    data = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    if "short_code" in data:
        data["short_code"] = normalize_short_code(data["short_code"])
    if "registered_capital" in data:
        data["registered_capital"] = _decimal(data["registered_capital"], "registered_capital", "注册资本")
    return data


def _save_unique(obj, message, code, field_name=None):
    """Save; a unique key taken by a concurrent request between check and insert becomes
    the same clear error the check gives."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise Conflict(message, code=code, field=field_name) from None
    return obj


@transaction.atomic
def create_profile(*, actor, organization, data):
    require_perm(actor, "guarantors.add_guarantorprofile")
    require_same_organization(actor, organization.pk, OTHER_GUARANTOR)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _guarantor(organization)
    if GuarantorProfile.objects.filter(organization=organization).exists():
        raise Conflict("该保证人已建立机构信息，请直接修改。", code="profile_exists", field="organization")
    data = _profile_data(data)
    if not actor.is_platform:
        data.pop("enabled", None)  # enabling or suspending a guarantor is the platform's decision
    _check_short_code(data.get("short_code", ""))
    profile = GuarantorProfile(organization=organization, **data)
    full_clean_or_error(profile, exclude=["organization"])
    return _save_unique(profile, "机构简码或机构信息已存在。", "duplicate_short_code", "short_code")


@transaction.atomic
def update_profile(profile, *, actor, data):
    _require(actor, "guarantors.change_guarantorprofile", profile.organization_id)
    profile = GuarantorProfile.objects.select_for_update().get(pk=profile.pk)
    data = _profile_data(data)
    if not actor.is_platform:
        for name, label in (("enabled", "启用状态"), ("short_code", "机构简码")):
            if name in data and data[name] != getattr(profile, name):
                raise NotAllowed(f"{label}由平台管理员维护，如需变更请联系平台。", code="field_locked", field=name)
    if "short_code" in data:
        _check_short_code(data["short_code"], exclude_pk=profile.pk)
    for key, value in data.items():
        setattr(profile, key, value)
    full_clean_or_error(profile, exclude=["organization"])
    return _save_unique(profile, "机构简码已被其他保证人使用。", "duplicate_short_code", "short_code")


@transaction.atomic
def delete_profile(profile, *, actor):
    _require(actor, "guarantors.delete_guarantorprofile", profile.organization_id)
    org = Organization.objects.select_for_update().get(pk=profile.organization_id)
    if org.guarantor_qualifications.exists() or org.guarantor_offers.exists() or org.guarantor_clauses.exists():
        raise Conflict("该保证人仍有资质、业务信息或条款记录，不能删除机构信息；可改为停用。", code="profile_in_use")
    profile.delete()


# ---------------------------------------------------------------- qualifications (6.2.1)

QUALIFICATION_FIELDS = (
    "kind",
    "name",
    "licence_number",
    "issuing_body",
    "valid_from",
    "valid_to",
    "is_historical",
)


def _attach_certificate(qualification, upload):
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise ServiceError(
            exc.messages[0], code=exc.error_list[0].code or "invalid_file", field="certificate"
        ) from None
    digests = file_digests(upload)
    qualification.certificate = upload
    qualification.certificate_sha256 = digests["sha256"]
    qualification.certificate_sm3 = digests["sm3"]


def _check_qualification(qualification, *, dates_changed):
    if qualification.kind == QualificationKind.OTHER and not (qualification.name or "").strip():
        raise ServiceError("资质类别为“其他”时，请填写资质名称。", code="name_required", field="name")
    if not qualification.valid_from:
        raise ServiceError("请填写有效期起。", code="required", field="valid_from")
    if qualification.valid_to and qualification.valid_to <= qualification.valid_from:
        raise ServiceError("有效期止必须晚于有效期起。", code="invalid_validity_period", field="valid_to")
    today = timezone.localdate()
    # A record entered (or re-dated) as current must be current; an expired licence may only
    # be kept as history, which never counts as valid.
    if dates_changed and not qualification.is_historical and qualification.valid_to and qualification.valid_to < today:
        raise ServiceError(
            f"资质已过期（有效期至{qualification.valid_to:%Y-%m-%d}），不能作为现行资质登记。"
            "如需登记历史资质，请勾选“历史记录”（历史记录不计为有效资质）。",
            code="qualification_expired",
            field="valid_to",
        )


@transaction.atomic
def add_qualification(*, actor, guarantor, data, certificate):
    _require(actor, "guarantors.add_qualification", guarantor.pk)
    _guarantor(guarantor)
    _require_profile(guarantor)
    if not certificate:
        raise ServiceError("请上传资质证书文件（PDF/JPG/PNG）。", code="certificate_required", field="certificate")
    qualification = Qualification(guarantor=guarantor, **{k: v for k, v in data.items() if k in QUALIFICATION_FIELDS})
    _check_qualification(qualification, dates_changed=True)
    _attach_certificate(qualification, certificate)
    full_clean_or_error(qualification, exclude=["guarantor", "certificate"])
    qualification.save()
    return qualification


@transaction.atomic
def update_qualification(qualification, *, actor, data, certificate=None):
    _require(actor, "guarantors.change_qualification", qualification.guarantor_id)
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    before = (qualification.valid_from, qualification.valid_to, qualification.is_historical)
    for key, value in data.items():
        if key in QUALIFICATION_FIELDS:
            setattr(qualification, key, value)
    after = (qualification.valid_from, qualification.valid_to, qualification.is_historical)
    # Correcting the issuing body of a licence that has since expired stays possible; moving
    # the dates (or un-marking history) is judged as a new entry would be.
    _check_qualification(qualification, dates_changed=after != before)
    if certificate:
        _attach_certificate(qualification, certificate)
    full_clean_or_error(qualification, exclude=["guarantor", "certificate"])
    qualification.save()
    return qualification


@transaction.atomic
def delete_qualification(qualification, *, actor):
    _require(actor, "guarantors.delete_qualification", qualification.guarantor_id)
    try:
        with transaction.atomic():
            qualification.delete()
    except ProtectedError:
        raise Conflict("该资质已被其他记录引用，不能删除；可登记为历史记录。", code="qualification_in_use") from None


# ---------------------------------------------------------------- business information (6.2.2)

OFFER_FIELDS = (
    "regions",
    "rate_min",
    "rate_max",
    "min_premium",
    "max_single_amount",
    "total_capacity",
    "turnaround_hours",
    "enabled",
    "note",
)
OFFER_NUMBERS = [
    ("rate_min", "费率下限"),
    ("rate_max", "费率上限"),
    ("min_premium", "最低保费"),
    ("max_single_amount", "单笔最高担保金额"),
    ("total_capacity", "总担保额度"),
]


def clean_regions(value):
    """A list of 6-digit codes (or one string separated by commas, spaces or 、) → the
    distinct valid codes in order; every unknown code is an error naming it."""
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace(" ", ",").replace("\n", ",").split(",")
    if not isinstance(value, (list, tuple)):
        raise ServiceError("服务区域应为行政区划代码列表。", code="invalid_region_code", field="regions")
    codes = []
    for item in value:
        code = str(item).strip() if item is not None else ""
        if not code:
            continue
        try:
            validate_region_code(code)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], code=exc.error_list[0].code, field="regions") from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ServiceError("请至少填写一个服务区域（6位行政区划代码）。", code="regions_required", field="regions")
    return codes


def _check_offer(offer):
    offer.regions = clean_regions(offer.regions)
    for name, label in OFFER_NUMBERS:
        setattr(offer, name, _decimal(getattr(offer, name), name, label))
    if offer.rate_max > 100:
        raise ServiceError("费率以百分比填写，不能超过100%。", code="rate_out_of_range", field="rate_max")
    if offer.rate_min > offer.rate_max:
        raise ServiceError(
            f"费率下限（{offer.rate_min}%）不能高于费率上限（{offer.rate_max}%）。",
            code="rate_range_invalid",
            field="rate_min",
        )
    for name, label in (("max_single_amount", "单笔最高担保金额"), ("total_capacity", "总担保额度")):
        if getattr(offer, name) == 0:
            raise ServiceError(f"{label}必须大于0。", code="must_be_positive", field=name)
    if offer.max_single_amount > offer.total_capacity:
        raise ServiceError(
            "单笔最高担保金额不能超过总担保额度。", code="single_exceeds_capacity", field="max_single_amount"
        )
    hours = offer.turnaround_hours
    if hours is None or hours == "":
        raise ServiceError("请填写承诺出函时效。", code="required", field="turnaround_hours")
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        raise ServiceError("承诺出函时效应为整数小时。", code="invalid_number", field="turnaround_hours") from None
    if hours < 0:
        raise ServiceError("承诺出函时效不能为负数。", code="negative_value", field="turnaround_hours")
    if hours == 0:
        raise ServiceError("承诺出函时效必须大于0小时。", code="must_be_positive", field="turnaround_hours")
    if hours > MAX_TURNAROUND_HOURS:
        raise ServiceError(
            f"承诺出函时效不能超过{MAX_TURNAROUND_HOURS}小时（30天）。", code="out_of_range", field="turnaround_hours"
        )
    offer.turnaround_hours = hours


@transaction.atomic
def create_offer(*, actor, guarantor, guarantee_type, data):
    _require(actor, "guarantors.add_offer", guarantor.pk)
    _guarantor(guarantor)
    _require_profile(guarantor)
    if guarantee_type is None:
        raise ServiceError("请选择保函类型。", code="required", field="guarantee_type")
    if not guarantee_type.enabled:
        raise ServiceError(f"保函类型“{guarantee_type.name}”已停用。", code="type_disabled", field="guarantee_type")
    duplicate = f"“{guarantor.name}”已登记{guarantee_type.name}的业务信息，请直接修改。"
    if Offer.objects.filter(guarantor=guarantor, guarantee_type=guarantee_type).exists():
        raise Conflict(duplicate, code="duplicate_offer", field="guarantee_type")
    offer = Offer(
        guarantor=guarantor, guarantee_type=guarantee_type, **{k: v for k, v in data.items() if k in OFFER_FIELDS}
    )
    _check_offer(offer)
    full_clean_or_error(offer, exclude=["guarantor", "guarantee_type"])
    return _save_unique(offer, duplicate, "duplicate_offer", "guarantee_type")


@transaction.atomic
def update_offer(offer, *, actor, data):
    _require(actor, "guarantors.change_offer", offer.guarantor_id)
    offer = Offer.objects.select_for_update().select_related("guarantor", "guarantee_type").get(pk=offer.pk)
    for key, value in data.items():
        if key in OFFER_FIELDS:
            setattr(offer, key, value)
    _check_offer(offer)
    full_clean_or_error(offer, exclude=["guarantor", "guarantee_type"])
    offer.save()
    return offer


@transaction.atomic
def delete_offer(offer, *, actor):
    _require(actor, "guarantors.delete_offer", offer.guarantor_id)
    try:
        with transaction.atomic():
            offer.delete()
    except ProtectedError:
        raise Conflict("该业务信息已被保函引用，不能删除；可改为停用。", code="offer_in_use") from None


def quote(offer, amount):
    """The premium for a guarantee of `amount` yuan under this offer: amount × the LOWER
    bound of the declared rate range (the rate the platform can promise before the
    guarantor's review; a guarantor may agree a higher rate within its range when it
    reviews), rounded to the fen, and never below the minimum premium."""
    amount = _decimal(amount, "amount", "担保金额")
    if amount == 0:
        raise ServiceError("担保金额必须大于0。", code="invalid_amount", field="amount")
    if amount > offer.max_single_amount:
        raise ServiceError(
            f"担保金额超过该保证人单笔最高担保金额（{offer.max_single_amount}元）。",
            code="amount_exceeds_single_limit",
            field="amount",
        )
    premium = (amount * offer.rate_min / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(premium, offer.min_premium)


# ---------------------------------------------------------------- clauses (6.2.3)

CLAUSE_FIELDS = ("title", "body", "effective_from", "effective_to")


def _overlap(a, b):
    a_end, b_end = a.effective_to, b.effective_to
    return (b_end is None or a.effective_from <= b_end) and (a_end is None or b.effective_from <= a_end)


def _check_clause(clause):
    if not (clause.title or "").strip():
        raise ServiceError("请填写条款标题。", code="required", field="title")
    if not (clause.body or "").strip():
        raise ServiceError("请填写条款正文。", code="required", field="body")
    if not clause.effective_from:
        raise ServiceError("请填写生效日期。", code="required", field="effective_from")
    if clause.effective_to and clause.effective_to < clause.effective_from:
        raise ServiceError("失效日期不能早于生效日期。", code="invalid_effective_period", field="effective_to")


def _version_to_close(clause, *, revising=None):
    """The published version that `clause`, once published, takes over from (its end date
    is then closed the day before `clause` starts), or None. A version may take over from
    the one being revised, or from an open-ended one that started earlier; any other
    overlap with a published version is refused."""
    published = Clause.objects.filter(
        guarantor_id=clause.guarantor_id, guarantee_type_id=clause.guarantee_type_id, status=ClauseStatus.PUBLISHED
    ).exclude(pk=clause.pk)
    closes = None
    for other in published.order_by("effective_from"):
        if not _overlap(other, clause):
            continue
        takes_over = other.effective_from < clause.effective_from and (
            other.effective_to is None or (revising is not None and other.pk == revising.pk)
        )
        if takes_over and closes is None:
            closes = other
            continue
        raise ServiceError(
            f"生效期间与已发布的 v{other.version}（{other.period}）重叠：同一保证人同一保函类型的条款，"
            "生效期间不能重叠。",
            code="clause_overlap",
            field="effective_from",
        )
    if closes is not None and clause.effective_from < timezone.localdate():
        raise ServiceError(
            f"新版本将取代 v{closes.version}，生效日期不能早于今天：已经生效的期间不能改写。",
            code="clause_backdated",
            field="effective_from",
        )
    return closes


def _next_version(guarantor_id, guarantee_type_id):
    # Serialised by the guarantor row lock the callers take.
    top = Clause.objects.filter(guarantor_id=guarantor_id, guarantee_type_id=guarantee_type_id).aggregate(
        top=Max("version")
    )["top"]
    return (top or 0) + 1


def _lock_guarantor(guarantor_id):
    return Organization.objects.select_for_update().get(pk=guarantor_id)


def _publish(clause, *, actor, closes):
    if closes is not None:
        clause.supersedes = closes
        clause.superseded_effective_to = closes.effective_to
        closes.effective_to = clause.effective_from - timedelta(days=1)
        closes.save(update_fields=["effective_to", "updated_at"])
    clause.status = ClauseStatus.PUBLISHED
    clause.published_at = timezone.now()
    clause.published_by = actor
    clause.save()
    return clause


@transaction.atomic
def create_clause(*, actor, guarantor, guarantee_type, data):
    """A new clause starts as a draft; publishing puts it in force."""
    _require(actor, "guarantors.add_clause", guarantor.pk)
    _guarantor(guarantor)
    _require_profile(guarantor)
    if guarantee_type is None:
        raise ServiceError("请选择保函类型。", code="required", field="guarantee_type")
    _lock_guarantor(guarantor.pk)
    clause = Clause(
        guarantor=guarantor,
        guarantee_type=guarantee_type,
        status=ClauseStatus.DRAFT,
        created_by=actor,
        **{k: v for k, v in data.items() if k in CLAUSE_FIELDS},
    )
    _check_clause(clause)
    _version_to_close(clause)  # refuse now what publishing would refuse
    clause.version = _next_version(guarantor.pk, guarantee_type.pk)
    full_clean_or_error(clause, exclude=["guarantor", "guarantee_type"])
    clause.save()
    return clause


@transaction.atomic
def update_clause(clause, *, actor, data):
    """A draft is edited in place. A published version is never changed: the edit becomes a
    new published version (it needs the publish permission too), which closes the old one
    the day before it starts. Returns the clause that now holds the text."""
    _require(actor, "guarantors.change_clause", clause.guarantor_id)
    _lock_guarantor(clause.guarantor_id)
    clause = Clause.objects.select_for_update().select_related("guarantee_type").get(pk=clause.pk)
    fields = {k: v for k, v in data.items() if k in CLAUSE_FIELDS}
    if clause.status == ClauseStatus.DRAFT:
        for key, value in fields.items():
            setattr(clause, key, value)
        _check_clause(clause)
        _version_to_close(clause)
        full_clean_or_error(clause, exclude=["guarantor", "guarantee_type"])
        clause.save()
        return clause
    require_perm(actor, "guarantors.publish_clause", "修改已发布的条款会发布新版本，您没有发布条款的权限。")
    revision = Clause(
        guarantor_id=clause.guarantor_id,
        guarantee_type=clause.guarantee_type,
        title=fields.get("title", clause.title),
        body=fields.get("body", clause.body),
        effective_from=fields.get("effective_from") or timezone.localdate(),
        effective_to=fields.get("effective_to"),
        created_by=actor,
    )
    _check_clause(revision)
    if revision.effective_from <= clause.effective_from:
        raise ServiceError(
            f"新版本的生效日期须晚于原版本的生效日期（{clause.effective_from:%Y-%m-%d}）。",
            code="clause_overlap",
            field="effective_from",
        )
    closes = _version_to_close(revision, revising=clause)
    revision.version = _next_version(clause.guarantor_id, clause.guarantee_type_id)
    full_clean_or_error(revision, exclude=["guarantor", "guarantee_type"])
    return _publish(revision, actor=actor, closes=closes)


@transaction.atomic
def publish_clause(clause, *, actor):
    _require(actor, "guarantors.publish_clause", clause.guarantor_id)
    _lock_guarantor(clause.guarantor_id)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    if clause.status != ClauseStatus.DRAFT:
        raise Conflict(f"该条款已是{clause.get_status_display()}状态，只有草稿可以发布。", code="clause_not_draft")
    _check_clause(clause)
    return _publish(clause, actor=actor, closes=_version_to_close(clause))


@transaction.atomic
def delete_clause(clause, *, actor):
    """Drafts may go; a published version that is or was in force stays for the guarantees
    issued under it. A published version not yet in force may be withdrawn: the version it
    took over from gets its end date back."""
    _require(actor, "guarantors.delete_clause", clause.guarantor_id)
    _lock_guarantor(clause.guarantor_id)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    if clause.status == ClauseStatus.PUBLISHED and clause.effective_from <= timezone.localdate():
        raise Conflict(
            f"v{clause.version}已经生效过，不能删除：已出具的保函可能引用该版本。如需调整，请修改后发布新版本。",
            code="clause_in_use",
        )
    previous = clause.supersedes
    if (
        clause.status == ClauseStatus.PUBLISHED
        and previous is not None
        and previous.effective_to == clause.effective_from - timedelta(days=1)
    ):
        previous.effective_to = clause.superseded_effective_to
        previous.save(update_fields=["effective_to", "updated_at"])
    try:
        with transaction.atomic():
            clause.delete()
    except ProtectedError:
        raise Conflict("该条款版本已被保函引用，不能删除。", code="clause_in_use") from None


# ---------------------------------------------------------------- expiry warnings (job)


@dataclass
class ExpiryCheck:
    day: object
    warned: list = field(default_factory=list)  # qualification ids warned in this run
    messages: int = 0


def check_qualification_expiry(today=None):
    """Warn once per qualification and expiry date: qualifications ending within
    EXPIRY_WARNING_DAYS (or already ended without a warning) → an in-site message to the
    guarantor's administrators and the platform administrators, and the date warned for is
    recorded, so a second run sends nothing. Renewing (a new end date) arms it again."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    result = ExpiryCheck(day=today)
    due = (
        Qualification.objects.filter(is_historical=False, valid_to__isnull=False, valid_to__lte=horizon)
        .filter(Q(expiry_warned_for__isnull=True) | ~Q(expiry_warned_for=F("valid_to")))
        .order_by("valid_to", "pk")
        .values_list("pk", flat=True)
    )
    admins = list(platform_admins())
    for pk in list(due):
        with transaction.atomic():
            qualification = Qualification.objects.select_for_update().select_related("guarantor").get(pk=pk)
            if (
                qualification.is_historical
                or qualification.valid_to is None
                or qualification.valid_to > horizon
                or qualification.expiry_warned_for == qualification.valid_to
            ):
                continue  # changed or warned by a concurrent run since the list was read
            sent = _warn(qualification, [*guarantor_admins(qualification.guarantor), *admins], today)
            qualification.expiry_warned_for = qualification.valid_to
            qualification.expiry_warned_at = timezone.now()
            qualification.save(update_fields=["expiry_warned_for", "expiry_warned_at", "updated_at"])
        result.warned.append(pk)
        result.messages += sent
    return result


def _warn(qualification, recipients, today):
    org = qualification.guarantor
    end = f"{qualification.valid_to:%Y-%m-%d}"
    if qualification.valid_to < today:
        title = f"保证人资质已过期：{org.name}"
        state = f"已于{end}过期，在更新资质之前该保证人不能被选为保证人"
    else:
        days = (qualification.valid_to - today).days
        title = f"保证人资质即将到期：{org.name}"
        state = f"将于{end}到期（剩余{days}天），到期后该保证人不能被选为保证人"
    body = (
        f"{org.name}的{qualification.display_name}（证书编号：{qualification.licence_number}）{state}。"
        "请及时上传更新后的资质证书。"
    )
    seen = set()
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notify.send_in_site(user, title, body, qualification.get_absolute_url())
    return len(seen)
