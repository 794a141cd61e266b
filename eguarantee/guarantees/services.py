"""Writes on guarantees: the state machine's one door (transition), and 查验 (6.3.3).

Every move runs under a row lock, checks the state table and the acting party, writes the
guarantee's event and publishes a domain event (`guarantee.<action>`) in the same
transaction, for the evidence log, credit and settlement to record.
"""

import hmac
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from eguarantee.core import events
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.permissions import require_perm
from eguarantee.evidence import services as evidence

from . import selectors, workflow
from .choices import ISSUED_STATES, FilingStatus, GuaranteeStatus, InspectionResult
from .models import Guarantee, GuaranteeEvent, Inspection

CENT = Decimal("0.01")

# The organization field that names each party.
PARTY_FIELDS = {
    workflow.APPLICANT: "applicant_id",
    workflow.GUARANTOR: "guarantor_id",
    workflow.BENEFICIARY: "beneficiary_id",
}


def _require_party(actor, guarantee, party):
    if party == workflow.SYSTEM:
        if actor is not None:
            raise NotAllowed("该操作由系统自动执行。")
        return
    if actor is None or getattr(actor, "organization_id", None) != getattr(guarantee, PARTY_FIELDS[party]):
        raise NotAllowed("只有该保函的相关单位才能执行此操作。")


@transaction.atomic
def transition(guarantee, action, *, actor, comment="", data=None, changes=None):
    """Move `guarantee` by `action`; `changes` are field values set with the move (premium at
    approval, number at issue…). Returns the locked, updated guarantee."""
    move = workflow.TRANSITIONS.get(action)
    if move is None:
        raise ServiceError(f"未知的操作：{action}", code="unknown_action")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if locked.status not in move.sources:
        raise Conflict(f"保函当前状态为“{locked.get_status_display()}”，不能{move.label}。", code="invalid_transition")
    _require_party(actor, locked, move.party)
    previous = locked.status
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
    locked.status = move.target
    if move.target in workflow.FINAL and move.target != GuaranteeStatus.CANCELLED:
        locked.closed_at = timezone.now()
    locked.save()
    event = GuaranteeEvent.objects.create(
        guarantee=locked,
        action=action,
        from_status=previous,
        to_status=move.target,
        actor=actor,
        organization=getattr(actor, "organization", None),
        comment=comment,
        data=data or {},
    )
    events.publish(f"guarantee.{action}", guarantee=locked, event=event, actor=actor)
    return locked


MAX_RESULTS = 50


def _outcome(guarantee):
    return InspectionResult.GENUINE if guarantee.in_force else InspectionResult.GENUINE_INACTIVE


@transaction.atomic
def inspect(*, actor, number="", code="", project="", applicant=""):
    """A department's check of authenticity and status against the platform's record.

    By 保函编号 and 验真码, any guarantee can be checked (the holder showed it to the
    department); without the code, and by project or applicant, only the guarantees in the
    department's jurisdiction are found, so a search tells nothing about others'. Every check
    is recorded. Returns (result, guarantees, inspection)."""
    require_perm(actor, "guarantees.add_inspection")
    number, code, project, applicant = (v.strip() for v in (number, code, project, applicant))
    if not any((number, project, applicant)):
        raise ServiceError("请输入保函编号，或项目、申请人作为查验条件。", code="empty_query")
    query = {k: v for k, v in {"number": number, "code": code, "project": project, "applicant": applicant}.items() if v}
    found = []
    if number and code:
        guarantee = Guarantee.objects.filter(number=number, status__in=ISSUED_STATES).first()
        if guarantee is None:
            result = InspectionResult.NOT_FOUND
        elif not hmac.compare_digest(guarantee.verification_code.upper().encode(), code.upper().encode()):
            result = InspectionResult.MISMATCH
        else:
            result, found = _outcome(guarantee), [guarantee]
    else:
        qs = selectors.issued_in_jurisdiction(actor)
        if number:
            qs = qs.filter(number=number)
        if project:
            qs = qs.filter(project__number=project) | qs.filter(project__name__icontains=project)
        if applicant:
            qs = qs.filter(applicant__credit_code=applicant.upper()) | qs.filter(applicant__name__icontains=applicant)
        found = list(qs.order_by("-issued_at", "-id")[:MAX_RESULTS])
        if not found:
            result = InspectionResult.NOT_FOUND
        elif len(found) == 1:
            result = _outcome(found[0])
        else:
            result = InspectionResult.GENUINE if any(g.in_force for g in found) else InspectionResult.GENUINE_INACTIVE
            query["matches"] = len(found)
    single = found[0] if len(found) == 1 else None
    inspection = Inspection.objects.create(
        inspector=actor,
        organization=actor.organization,
        query=query,
        guarantee=single,
        result=result,
        status_seen=single.status if single else "",
    )
    return result, found, inspection


# ---------------------------------------------------------------- application (6.6.1–6.6.5)

LIVE_STATES = (
    GuaranteeStatus.DRAFT,
    GuaranteeStatus.SUBMITTED,
    GuaranteeStatus.UNDER_REVIEW,
    GuaranteeStatus.INFO_REQUESTED,
    GuaranteeStatus.AWAITING_PAYMENT,
    GuaranteeStatus.PAID,
    GuaranteeStatus.ISSUED,
)


def _offer_for(guarantor, guarantee_type, region_code, amount):
    """The guarantor's offer if it may be chosen for this application now, else an error."""
    from eguarantee.guarantors.models import Offer
    from eguarantee.guarantors.selectors import selectable_guarantors

    if not selectable_guarantors(guarantee_type, region_code, amount).filter(pk=guarantor.pk).exists():
        raise ServiceError(
            "所选保证人目前不能承接该保函（资质、业务范围、区域或额度不符），请重新选择。",
            code="guarantor_not_selectable",
            field="guarantor",
        )
    return Offer.objects.get(guarantor=guarantor, guarantee_type=guarantee_type)


def _type_fields(guarantee_type, given):
    """The type's own application fields (合同编号, 缺陷责任期 …): every one it requires filled,
    nothing it does not know kept."""
    from eguarantee.catalog.choices import APPLICATION_FIELDS

    own = [key for key in guarantee_type.application_fields if key in EXTRA_FIELDS]
    values = {key: str(given.get(key) or "").strip()[:200] for key in own}
    missing = [APPLICATION_FIELDS[key] for key in own if not values[key]]
    if missing:
        raise ServiceError(f"请填写：{'、'.join(missing)}。", code="missing_field", field=own[0])
    return values


# Application fields kept in Guarantee.fields (the others are columns of their own).
EXTRA_FIELDS = (
    "contract_number",
    "contract_amount",
    "contract_period",
    "payment_schedule",
    "defects_period",
    "wage_account",
    "workers",
)


def _check_terms(guarantee_type, amount, start_date, end_date):
    if amount is None or amount <= 0:
        raise ServiceError("担保金额必须大于0。", code="invalid_amount", field="amount")
    if start_date is None or end_date is None:
        raise ServiceError("请填写保函生效日期和失效日期。", code="dates_required", field="start_date")
    if end_date < start_date:
        raise ServiceError("失效日期不能早于生效日期。", code="end_before_start", field="end_date")


@transaction.atomic
def create_application(
    *,
    actor,
    guarantee_type,
    guarantor,
    amount,
    start_date,
    end_date,
    section=None,
    beneficiary_name="",
    beneficiary_credit_code="",
    sealed=False,
    fields=None,
):
    """A draft application by the actor's organization (the applicant).

    A type that needs a tender (投标保函) names a section of a project the applicant takes
    part in; the beneficiary is then the project's tenderee. Other types name the
    beneficiary by name and 统一社会信用代码."""
    from eguarantee.accounts.choices import OrgStatus
    from eguarantee.accounts.models import Organization
    from eguarantee.accounts.validators import normalize_credit_code, validate_credit_code
    from eguarantee.departments.selectors import resolve_department
    from eguarantee.projects.selectors import projects_for

    require_perm(actor, "guarantees.add_guarantee")
    if not guarantee_type.enabled:
        raise ServiceError("该保函类型已停用。", code="type_disabled", field="guarantee_type")
    _check_terms(guarantee_type, amount, start_date, end_date)
    if sealed and not guarantee_type.sealed_allowed:
        raise ServiceError("该保函类型不允许密文出函。", code="sealed_not_allowed", field="sealed")
    fields = _type_fields(guarantee_type, fields or {})
    project = None
    if guarantee_type.requires_tender or section is not None:
        if section is None:
            raise ServiceError("投标保函须选择项目标段。", code="section_required", field="section")
        project = section.project
        if not projects_for(actor).filter(pk=project.pk).exists():
            raise NotAllowed("只能为本单位参与的项目申请保函。")
        beneficiary_name, beneficiary_credit_code = project.beneficiary_name, project.beneficiary_credit_code
        beneficiary = project.beneficiary
        region_code = project.region_code
        department = project.department
    else:
        beneficiary_credit_code = normalize_credit_code(beneficiary_credit_code)
        try:
            validate_credit_code(beneficiary_credit_code)
        except Exception as exc:  # ValidationError with the validator's Chinese message
            raise ServiceError(
                getattr(exc, "messages", ["统一社会信用代码无效。"])[0],
                code="invalid_credit_code",
                field="beneficiary_credit_code",
            ) from None
        if not beneficiary_name.strip():
            raise ServiceError("请填写受益人名称。", code="beneficiary_required", field="beneficiary_name")
        beneficiary = Organization.objects.filter(
            credit_code=beneficiary_credit_code, status=OrgStatus.APPROVED
        ).first()
        region_code = actor.organization.region_code
        department = None
    offer = _offer_for(guarantor, guarantee_type, region_code, amount)
    if section is not None:
        _refuse_duplicate(actor.organization_id, section.pk, guarantee_type)
    from . import numbering

    guarantee = Guarantee.objects.create(
        order_number=numbering.order_number(),
        guarantee_type=guarantee_type,
        applicant=actor.organization,
        guarantor=guarantor,
        beneficiary=beneficiary,
        beneficiary_name=beneficiary_name.strip(),
        beneficiary_credit_code=beneficiary_credit_code,
        project=project,
        section=section,
        department=department or (resolve_department(project.project_type, region_code) if project else None),
        amount=amount,
        rate=offer.rate_min,
        premium=None,
        start_date=start_date,
        end_date=end_date,
        sealed=sealed,
        fields=fields,
        created_by=actor,
    )
    event = GuaranteeEvent.objects.create(
        guarantee=guarantee, action="create", to_status=guarantee.status, actor=actor, organization=actor.organization
    )
    events.publish("guarantee.create", guarantee=guarantee, event=event, actor=actor)
    return guarantee


@transaction.atomic
def update_application(guarantee, *, actor, guarantor, amount, start_date, end_date, sealed=False, fields=None):
    """The applicant edits a draft, or an application sent back for more information. The
    type, project and section stay: a different one is a different application."""
    require_perm(actor, "guarantees.change_guarantee")
    locked = (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related("guarantee_type", "project")
        .get(pk=guarantee.pk)
    )
    _require_party(actor, locked, workflow.APPLICANT)
    if locked.status not in EDITABLE_STATES:
        raise Conflict(f"保函当前状态为“{locked.get_status_display()}”，不能修改申请。", code="invalid_transition")
    guarantee_type = locked.guarantee_type
    _check_terms(guarantee_type, amount, start_date, end_date)
    if sealed and not guarantee_type.sealed_allowed:
        raise ServiceError("该保函类型不允许密文出函。", code="sealed_not_allowed", field="sealed")
    region_code = locked.project.region_code if locked.project else locked.applicant.region_code
    offer = _offer_for(guarantor, guarantee_type, region_code, amount)
    changed = {
        "guarantor": guarantor,
        "amount": amount,
        "start_date": start_date,
        "end_date": end_date,
        "sealed": sealed,
        "fields": _type_fields(guarantee_type, fields or {}),
        "rate": offer.rate_min,
    }
    for field, value in changed.items():
        setattr(locked, field, value)
    locked.save()
    _record(locked, "edit", actor=actor)
    return locked


@transaction.atomic
def submit(guarantee, *, actor, comment=""):
    """Only a complete application goes to the guarantor: every required attachment is there."""
    return _send_to_guarantor(guarantee, "submit", actor=actor, comment=comment)


@transaction.atomic
def resubmit(guarantee, *, actor, comment=""):
    """补充资料后重新提交: back to the guarantor with what it asked for."""
    return _send_to_guarantor(guarantee, "resubmit", actor=actor, comment=comment)


def _send_to_guarantor(guarantee, action, *, actor, comment):
    require_perm(actor, "guarantees.change_guarantee")
    missing = missing_attachments(guarantee)
    if missing:
        raise ServiceError(f"请先上传必需的附件：{'、'.join(missing)}。", code="missing_attachment")
    moved = transition(guarantee, action, actor=actor, comment=comment)
    from .collusion import check_collusion

    check_collusion(moved)
    return moved


def request_info(guarantee, *, actor, comment):
    """The guarantor sends the application back to the applicant, saying what is missing."""
    require_perm(actor, "guarantees.review_guarantee")
    if not (comment or "").strip():
        raise ServiceError("请写明需要补充的资料。", code="comment_required", field="comment")
    return transition(guarantee, "request_info", actor=actor, comment=comment.strip())


def revise(guarantee, *, actor):
    """A rejected application becomes a draft again, for the applicant to mend and resubmit
    — unless the applicant has since applied afresh for the same section and type."""
    require_perm(actor, "guarantees.change_guarantee")
    if guarantee.section_id is not None:
        _refuse_duplicate(guarantee.applicant_id, guarantee.section_id, guarantee.guarantee_type)
    return transition(guarantee, "revise", actor=actor)


def _refuse_duplicate(applicant_id, section_id, guarantee_type):
    duplicate = Guarantee.objects.filter(
        applicant_id=applicant_id, section_id=section_id, guarantee_type=guarantee_type, status__in=LIVE_STATES
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"本单位在该标段已有一份未结束的{guarantee_type.name}申请（{duplicate}），不能重复申请。",
            code="duplicate_application",
        )


def accept(guarantee, *, actor, comment=""):
    require_perm(actor, "guarantees.review_guarantee")
    return transition(guarantee, "accept", actor=actor, comment=comment)


def reject(guarantee, *, actor, reason):
    require_perm(actor, "guarantees.review_guarantee")
    if not (reason or "").strip():
        raise ServiceError("请填写审核不通过的原因。", code="reason_required", field="reason")
    return transition(guarantee, "reject", actor=actor, comment=reason.strip())


@transaction.atomic
def approve(guarantee, *, actor, rate=None, comment=""):
    """The guarantor approves at a rate within its declared range; the premium is the
    amount × rate, never below the minimum premium. The template and clause in force now
    are frozen on the guarantee: it will be issued under them."""
    from eguarantee.catalog.selectors import template_in_force
    from eguarantee.guarantors.models import Offer
    from eguarantee.guarantors.selectors import clause_in_force

    require_perm(actor, "guarantees.review_guarantee")
    offer = Offer.objects.filter(
        guarantor_id=guarantee.guarantor_id, guarantee_type_id=guarantee.guarantee_type_id
    ).first()
    if offer is None:
        raise Conflict("保证人已没有该类型的业务信息，不能审核通过。", code="no_offer")
    rate = offer.rate_min if rate is None else rate
    if not offer.rate_min <= rate <= offer.rate_max:
        raise ServiceError(
            f"费率须在本机构公布的范围内（{offer.rate_min}%～{offer.rate_max}%）。",
            code="rate_out_of_range",
            field="rate",
        )
    premium = max((guarantee.amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP), offer.min_premium)
    template = template_in_force(guarantee.guarantor, guarantee.guarantee_type)
    if template is None:
        raise Conflict("该保函类型没有已发布的保函模板，请先发布模板。", code="no_template")
    clause = clause_in_force(guarantee.guarantor, guarantee.guarantee_type)
    changes = {"rate": rate, "premium": premium, "template": template, "clause": clause}
    return transition(
        guarantee, "approve", actor=actor, comment=comment, changes=changes, data={"premium": str(premium)}
    )


def confirm_payment(guarantee, *, actor, reference="", comment=""):
    """Offline transfer: the guarantor confirms the premium arrived."""
    require_perm(actor, "guarantees.review_guarantee")
    return transition(guarantee, "confirm_payment", actor=actor, comment=comment, data={"reference": reference})


@transaction.atomic
def cancel(guarantee, *, actor, reason=""):
    """Cancelled after the premium was paid, the guarantee records the refund due — judged
    on the locked row, not on a copy a payment may have overtaken."""
    require_perm(actor, "guarantees.change_guarantee")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    data = {"refund": str(locked.premium)} if locked.status == GuaranteeStatus.PAID else {}
    return transition(locked, "cancel", actor=actor, comment=reason, data=data)


@transaction.atomic
def issue(guarantee, *, actor):
    """保函编号 (no gaps, under lock), 验真码, the PDF from the frozen template signed by
    the guarantor (PAdES), and the signed file's SM3 and SHA-256."""
    from . import numbering

    require_perm(actor, "guarantees.issue_guarantee")
    locked = _lock_for_document(guarantee)
    if locked.status != GuaranteeStatus.PAID:
        raise Conflict(f"保函当前状态为“{locked.get_status_display()}”，不能出函。", code="invalid_transition")
    profile = getattr(locked.guarantor, "guarantor_profile", None)
    if profile is None or not profile.short_code:
        raise Conflict("保证人尚未设置机构简码，不能生成保函编号。", code="no_short_code")
    if locked.template is None:
        raise Conflict("审核通过时未确定保函模板，不能出函。", code="no_template")
    locked.number = numbering.guarantee_number(locked, profile.short_code)
    locked.verification_code = numbering.verification_code()
    locked.issued_at = timezone.now()
    sm3, sha256 = _produce_document(locked, f"{locked.number}.pdf")
    changes = {
        "number": locked.number,
        "verification_code": locked.verification_code,
        "issued_at": locked.issued_at,
        "document": locked.document,
        "document_sm3": sm3,
        "document_sha256": sha256,
        "outstanding_amount": locked.amount,
    }
    issued = transition(locked, "issue", actor=actor, changes=changes, data={"number": locked.number, "sm3": sm3})
    _add_version(issued, 1)
    if issued.project_id:
        # The project is what the guarantee was issued on: from now on it changes only by
        # the platform administrator, with the old values in the change log.
        from eguarantee.projects.services import lock_project

        lock_project(issued.project, reason=f"保函{issued.number}已出具")
    if issued.department_id:
        _file(issued, actor=actor)
    transaction.on_commit(lambda: _enqueue_issued_notice(issued.pk), robust=True)
    return issued


def _lock_for_document(guarantee):
    """Everything the document prints comes along in the one query (the lock is on the
    guarantee row only: PostgreSQL cannot lock the nullable side of an outer join)."""
    return (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related(
            "guarantee_type",
            "applicant",
            "guarantor__guarantor_profile",
            "project",
            "section",
            "template",
            "clause",
        )
        .get(pk=guarantee.pk)
    )


def _produce_document(guarantee, name):
    """The document from the frozen template, signed by the guarantor (PAdES), stored on
    `guarantee.document` (sealed when the guarantee is); returns the signed file's SM3 and
    SHA-256 — what a holder uploads to verify it."""
    from django.core.files.base import ContentFile

    from eguarantee.catalog import pdf
    from eguarantee.core import sealing
    from eguarantee.core.uploads import file_digests

    from . import documents, signing

    content = pdf.render_guarantee_pdf(
        guarantee.template.body,
        documents.values_for(guarantee),
        guarantor_name=guarantee.guarantor.name,
        title=guarantee.template.title or None,
    )
    content = signing.sign(content, guarantee.guarantor)
    digests = file_digests(ContentFile(content))
    if guarantee.sealed:
        content = sealing.seal(content)
    guarantee.document.save(name, ContentFile(content, name=name), save=False)
    return digests["sm3"], digests["sha256"]


def _add_version(guarantee, version, amendment=None):
    from .models import GuaranteeDocument

    document = GuaranteeDocument.objects.create(
        guarantee=guarantee,
        version=version,
        file=guarantee.document.name,
        sm3=guarantee.document_sm3,
        sha256=guarantee.document_sha256,
        amount=guarantee.amount,
        end_date=guarantee.end_date,
        issued_at=timezone.now(),
        amendment=amendment,
    )
    evidence.record_objects(("guarantee.document", [document]))
    return document


def _enqueue_issued_notice(guarantee_id):
    from .jobs import notify_issued_job

    notify_issued_job.enqueue(guarantee_id)


def notify_issued(guarantee):
    """The applicant (in-site message and SMS) and a registered beneficiary (in-site) hear of
    the issue — from the task worker after commit: the messages never slow or undo it."""
    from eguarantee.notifications import services as notify

    text = (
        f"保函{guarantee.number}（{guarantee.guarantee_type.name}，担保金额{guarantee.amount}元）已由"
        f"{guarantee.guarantor.name}出具，验真码{guarantee.verification_code}。"
    )
    link = reverse("guarantees:guarantee_detail", args=[guarantee.pk])
    applicant_users = {*_applicant_admins(guarantee.applicant_id), *_users_of(guarantee.created_by_id)}
    for user in sorted(applicant_users, key=lambda u: u.pk):
        notify.send_in_site(user, "保函已出具", text, link)
        if user.mobile:
            notify.queue_sms(user.mobile, f"【工程担保在线服务平台】{text}", purpose="guarantee_issued")
    if guarantee.beneficiary_id:
        for user in _active_users(guarantee.beneficiary_id):
            notify.send_in_site(user, "收到一份电子保函", text, link)


def _users_of(user_id):
    from eguarantee.accounts.models import User

    return User.objects.filter(pk=user_id, is_active=True)


def _active_users(organization_id):
    from eguarantee.accounts.choices import UserStatus
    from eguarantee.accounts.models import User

    return User.objects.filter(organization_id=organization_id, status=UserStatus.ACTIVE, is_active=True)


# ---------------------------------------------------------------- release 解保 (6.6.8)

RELEASE_BATCH = 1000


def release_expired(*, today=None, batch_size=RELEASE_BATCH):
    """Release every issued guarantee whose end date has passed (the daily job).

    Batched (each batch commits on its own, so an interrupted run resumes where it stopped),
    idempotent (only guarantees still issued move) and safe to run twice at once (rows
    another run holds are skipped, and it releases them). Returns how many were released."""
    today = today or timezone.localdate()
    released = 0
    after_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Guarantee.objects.select_for_update(skip_locked=True)
                .filter(status=GuaranteeStatus.ISSUED, end_date__lt=today, pk__gt=after_id)
                .order_by("pk")
                .select_related("applicant")[:batch_size]
            )
            if not batch:
                return released
            after_id = batch[-1].pk
            released += _release_batch(batch)


def _release_batch(batch):
    from eguarantee.notifications import services as notify

    now = timezone.now()
    ids = [g.pk for g in batch]
    Guarantee.objects.filter(pk__in=ids).update(status=GuaranteeStatus.RELEASED, closed_at=now, updated_at=now)
    made = GuaranteeEvent.objects.bulk_create(
        GuaranteeEvent(
            guarantee=g,
            action="release",
            from_status=GuaranteeStatus.ISSUED,
            to_status=GuaranteeStatus.RELEASED,
            comment="保函到期，系统自动解保",
            created_at=now,
        )
        for g in batch
    )
    for guarantee in batch:
        guarantee.status, guarantee.closed_at = GuaranteeStatus.RELEASED, now
    # The batch first, for subscribers that write a whole batch at once (evidence, credit);
    # then each event, for those that react to one guarantee.
    events.publish("guarantee.release_batch", guarantees=batch, events=made, actor=None)
    for guarantee, event in zip(batch, made, strict=True):
        events.publish("guarantee.release", guarantee=guarantee, event=event, actor=None)
    for applicant_id, mine in _by_applicant(batch).items():
        numbers = "、".join(g.number for g in mine[:5]) + ("等" if len(mine) > 5 else "")
        text = f"您单位的保函{numbers}共{len(mine)}份已到期，平台已自动解保。"
        for user in _applicant_admins(applicant_id):
            notify.send_in_site(user, "保函已到期解保", text)
            if user.mobile:
                notify.queue_sms(user.mobile, f"【工程担保在线服务平台】{text}", purpose="guarantee_released")
    return len(batch)


def _by_applicant(batch):
    groups = {}
    for guarantee in batch:
        groups.setdefault(guarantee.applicant_id, []).append(guarantee)
    return groups


def _applicant_admins(organization_id):
    from eguarantee.accounts.selectors import role_holders

    return role_holders("applicant_admin", organization_id)


def confirm_release(guarantee, *, actor, comment=""):
    """The beneficiary releases the guarantor early (the undertaking is no longer needed)."""
    require_perm(actor, "guarantees.release_guarantee")
    return transition(guarantee, "confirm_release", actor=actor, comment=comment)


# ---------------------------------------------------------------- filing with the department (6.6.7)


def _record(guarantee, action, *, actor, comment="", data=None):
    event = GuaranteeEvent.objects.create(
        guarantee=guarantee,
        action=action,
        from_status=guarantee.status,
        to_status=guarantee.status,
        actor=actor,
        organization=getattr(actor, "organization", None),
        comment=comment,
        data=data or {},
    )
    events.publish(f"guarantee.{action}", guarantee=guarantee, event=event, actor=actor)
    return event


def _file(guarantee, *, actor):
    """Issued guarantees go to the department in charge (归口) at once."""
    guarantee.filing_status = FilingStatus.FILED
    guarantee.save(update_fields=["filing_status", "updated_at"])
    _record(guarantee, "file", actor=actor, data={"department": guarantee.department.name})


@transaction.atomic
def refile(guarantee, *, actor, comment=""):
    """The applicant or guarantor files again after the department returned the filing."""
    require_perm(actor, "guarantees.view_guarantee")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if actor.organization_id not in (locked.applicant_id, locked.guarantor_id):
        raise NotAllowed("只有申请人或保证人可以重新报送。")
    if locked.filing_status != FilingStatus.RETURNED:
        raise Conflict("只有被退回的报送可以重新报送。", code="invalid_filing_state")
    locked.filing_status = FilingStatus.FILED
    locked.save(update_fields=["filing_status", "updated_at"])
    _record(locked, "file", actor=actor, comment=comment)
    return locked


@transaction.atomic
def review_filing(guarantee, *, actor, accept, reason=""):
    """The department in charge accepts the filing, or returns it with a reason."""
    require_perm(actor, "guarantees.review_filing")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if locked.department_id != actor.organization_id:
        raise NotAllowed("只有归口主管部门可以受理该保函的报送。")
    if locked.filing_status != FilingStatus.FILED:
        raise Conflict(
            f"该保函的报送状态为“{locked.get_filing_status_display()}”，不能受理或退回。", code="invalid_filing_state"
        )
    if not accept and not (reason or "").strip():
        raise ServiceError("退回须填写原因。", code="reason_required", field="reason")
    locked.filing_status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
    locked.save(update_fields=["filing_status", "updated_at"])
    _record(locked, "filing_accepted" if accept else "filing_returned", actor=actor, comment=(reason or "").strip())
    return locked


# ---------------------------------------------------------------- surrender 退保


def request_surrender(guarantee, *, actor, reason, abnormal=""):
    """The applicant asks to surrender. A bid guarantee may be surrendered before bid
    opening, or after it only when the project went wrong (撤标, 流标, 延标, …)."""
    from .choices import AbnormalReason

    require_perm(actor, "guarantees.change_guarantee")
    if not (reason or "").strip():
        raise ServiceError("请填写退保原因。", code="reason_required", field="reason")
    if abnormal and abnormal not in AbnormalReason.values:
        raise ServiceError("项目异常原因无效。", code="invalid_abnormal_reason", field="abnormal")
    project = guarantee.project
    if guarantee.guarantee_type.requires_tender and project is not None and project.bid_opening_passed and not abnormal:
        raise Conflict(
            "项目已开标，投标保函只有在项目异常（撤标、流标、延标、放弃投标等）时才能退保。",
            code="surrender_not_allowed",
        )
    data = {"abnormal": abnormal} if abnormal else {}
    return transition(guarantee, "request_surrender", actor=actor, comment=reason.strip(), data=data)


def decide_surrender(guarantee, *, actor, approve, comment=""):
    require_perm(actor, "guarantees.review_guarantee")
    if not approve and not (comment or "").strip():
        raise ServiceError("不同意退保须说明原因。", code="reason_required", field="comment")
    return transition(guarantee, "surrender" if approve else "refuse_surrender", actor=actor, comment=comment)


# ---------------------------------------------------------------- attachments


EDITABLE_STATES = (GuaranteeStatus.DRAFT, GuaranteeStatus.INFO_REQUESTED)


@transaction.atomic
def add_attachment(guarantee, *, actor, key, upload):
    """One of the attachments the type requires, checked by content, with its hashes."""
    from eguarantee.core import uploads
    from eguarantee.projects.services import check_document

    from .models import GuaranteeAttachment

    require_perm(actor, "guarantees.change_guarantee")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if actor.organization_id != locked.applicant_id:
        raise NotAllowed("只有申请人可以上传附件。")
    if locked.status not in EDITABLE_STATES:
        raise Conflict("申请已提交，不能再修改附件。", code="not_editable")
    required = {item["key"]: item["label"] for item in locked.guarantee_type.required_attachments}
    if key not in required:
        raise ServiceError("该保函类型不需要这类附件。", code="unknown_attachment", field="key")
    if upload is None:
        raise ServiceError("请选择要上传的文件。", code="file_required", field="file")
    mime = check_document(upload)
    digests = uploads.file_digests(upload)
    attachment = GuaranteeAttachment(
        guarantee=locked,
        key=key,
        label=required[key],
        original_name=upload.name.rsplit("/", 1)[-1][:255],
        size=upload.size,
        content_type=mime,
        sm3=digests["sm3"],
        sha256=digests["sha256"],
        uploaded_by=actor,
    )
    attachment.file = upload
    attachment.save()
    evidence.record_objects(("guarantee.attachment", [attachment]))
    _record(locked, "attach", actor=actor, comment=attachment.label, data={"sha256": attachment.sha256})
    return attachment


def missing_attachments(guarantee):
    present = set(guarantee.attachments.values_list("key", flat=True))
    return [item["label"] for item in guarantee.guarantee_type.required_attachments if item["key"] not in present]


# ---------------------------------------------------------------- sealed guarantees 密文


def document_bytes(guarantee, *, user, version=None):
    """The guarantee's PDF (the current one, or an earlier GuaranteeDocument version) for
    this user. A sealed one is opened for its guarantor and the platform at any time, for
    the other parties once it is open to the beneficiary."""
    from eguarantee.core import sealing

    stored = version.file if version is not None else guarantee.document
    with stored.open("rb") as handle:
        data = handle.read()
    if not sealing.is_sealed(data):
        return data
    if not may_open_document(guarantee, user):
        raise NotAllowed("这是密文保函，开标（或收到解密通知）后方可查看。")
    return sealing.unseal(data)


def may_open_document(guarantee, user):
    return (
        not guarantee.sealed
        or user.is_platform
        or user.organization_id == guarantee.guarantor_id
        or guarantee.open_to_beneficiary
    )


@transaction.atomic
def unseal(guarantee, *, actor, comment=""):
    """解密通知: the trading centre (or the platform) opens a sealed guarantee before its bid
    opening time, e.g. when bids are opened early."""
    require_perm(actor, "guarantees.unseal_guarantee")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if not locked.sealed or locked.unsealed_at is not None:
        raise Conflict("该保函不是待解密的密文保函。", code="not_sealed")
    locked.unsealed_at = timezone.now()
    locked.save(update_fields=["unsealed_at", "updated_at"])
    _record(locked, "unseal", actor=actor, comment=comment)
    return locked


# ---------------------------------------------------------------- amendment 保函变更 (MT767 in spirit)


@transaction.atomic
def request_amendment(guarantee, *, actor, reason, new_amount=None, new_end_date=None):
    """The applicant asks to extend the term and/or change the amount of an issued guarantee.
    The beneficiary must be able to accept it here, so it must be registered."""
    from .choices import OPEN_AMENDMENT_STATES
    from .models import Amendment

    require_perm(actor, "guarantees.change_guarantee")
    locked = (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related("guarantee_type", "project")
        .get(pk=guarantee.pk)
    )
    _require_party(actor, locked, workflow.APPLICANT)
    if locked.status != GuaranteeStatus.ISSUED:
        raise Conflict(f"保函当前状态为“{locked.get_status_display()}”，不能申请变更。", code="invalid_transition")
    if locked.beneficiary_id is None:
        raise Conflict("受益人尚未在平台注册，无法在线确认变更，请线下办理。", code="beneficiary_not_registered")
    if locked.amendments.filter(status__in=OPEN_AMENDMENT_STATES).exists():
        raise Conflict("该保函已有一项正在办理的变更，请等待其办结。", code="amendment_open")
    if not (reason or "").strip():
        raise ServiceError("请填写变更原因。", code="reason_required", field="reason")
    new_amount = locked.amount if new_amount is None else new_amount
    new_end_date = new_end_date or locked.end_date
    if new_amount == locked.amount and new_end_date == locked.end_date:
        raise ServiceError("变更后的担保金额和失效日期与原保函相同。", code="nothing_changed")
    _check_terms(locked.guarantee_type, new_amount, locked.start_date, new_end_date)
    if new_end_date < timezone.localdate():
        raise ServiceError("变更后的失效日期不能早于今天。", code="end_in_past", field="new_end_date")
    if new_amount > locked.amount:
        _check_increase(locked, new_amount)
    amendment = Amendment.objects.create(
        guarantee=locked,
        sequence=locked.amendments.count() + 1,
        old_amount=locked.amount,
        new_amount=new_amount,
        old_end_date=locked.end_date,
        new_end_date=new_end_date,
        reason=reason.strip(),
        requested_by=actor,
    )
    _record(
        locked, "amend_request", actor=actor, comment=amendment_summary(amendment), data={"amendment": amendment.pk}
    )
    return amendment


def amendment_summary(amendment):
    parts = []
    if amendment.new_amount != amendment.old_amount:
        parts.append(f"担保金额{amendment.old_amount}元→{amendment.new_amount}元")
    if amendment.new_end_date != amendment.old_end_date:
        parts.append(f"失效日期{amendment.old_end_date:%Y-%m-%d}→{amendment.new_end_date:%Y-%m-%d}")
    return "；".join(parts) + f"。原因：{amendment.reason}"


def _check_increase(guarantee, new_amount):
    """A larger amount must fit the guarantor's single limit and, for the increase, its
    remaining capacity — as a new application would."""
    from eguarantee.guarantors.models import Offer
    from eguarantee.guarantors.selectors import has_room

    offer = Offer.objects.filter(
        guarantor_id=guarantee.guarantor_id, guarantee_type_id=guarantee.guarantee_type_id
    ).first()
    if offer is None or new_amount > offer.max_single_amount or not has_room(offer, new_amount - guarantee.amount):
        raise ServiceError(
            "变更后的担保金额超出保证人的单笔限额或剩余承保额度。", code="over_capacity", field="new_amount"
        )


def _lock_amendment(amendment, status, party, actor):
    from .models import Amendment

    locked = Amendment.objects.select_for_update().select_related("guarantee").get(pk=amendment.pk)
    _require_party(actor, locked.guarantee, party)
    if locked.status != status:
        raise Conflict(f"该变更当前为“{locked.get_status_display()}”，不能办理此操作。", code="invalid_transition")
    if locked.guarantee.status != GuaranteeStatus.ISSUED:
        raise Conflict(
            f"保函当前状态为“{locked.guarantee.get_status_display()}”，不能办理变更。", code="invalid_transition"
        )
    return locked


@transaction.atomic
def decide_amendment(amendment, *, actor, approve, comment="", additional_premium=None):
    """The guarantor agrees (stating any premium still due for the longer term or larger
    amount) or refuses, with a reason."""
    from .choices import AmendmentStatus

    require_perm(actor, "guarantees.review_guarantee")
    locked = _lock_amendment(amendment, AmendmentStatus.REQUESTED, workflow.GUARANTOR, actor)
    if not approve and not (comment or "").strip():
        raise ServiceError("请填写不同意变更的原因。", code="reason_required", field="comment")
    if additional_premium is not None and additional_premium < 0:
        raise ServiceError("应补保费不能为负数。", code="invalid_amount", field="additional_premium")
    locked.status = AmendmentStatus.APPROVED if approve else AmendmentStatus.REFUSED
    locked.additional_premium = additional_premium if approve else None
    locked.save()
    data = {"amendment": locked.pk}
    if approve and additional_premium:
        data["additional_premium"] = str(additional_premium)
    _record(locked.guarantee, "amend_approve" if approve else "amend_refuse", actor=actor, comment=comment, data=data)
    return locked


@transaction.atomic
def withdraw_amendment(amendment, *, actor):
    from .choices import OPEN_AMENDMENT_STATES, AmendmentStatus
    from .models import Amendment

    require_perm(actor, "guarantees.change_guarantee")
    locked = Amendment.objects.select_for_update().select_related("guarantee").get(pk=amendment.pk)
    _require_party(actor, locked.guarantee, workflow.APPLICANT)
    if locked.status not in OPEN_AMENDMENT_STATES:
        raise Conflict(f"该变更当前为“{locked.get_status_display()}”，不能撤回。", code="invalid_transition")
    locked.status = AmendmentStatus.WITHDRAWN
    locked.save()
    _record(locked.guarantee, "amend_withdraw", actor=actor, data={"amendment": locked.pk})
    return locked


@transaction.atomic
def answer_amendment(amendment, *, actor, accept, comment=""):
    """The beneficiary accepts — a new version of the document is issued under the same
    number and code, the old version kept and marked superseded, and the guarantee filed
    with its department again — or declines, and the guarantee stays as it was."""
    from .choices import AmendmentStatus
    from .models import GuaranteeDocument

    require_perm(actor, "guarantees.accept_amendment")
    locked = _lock_amendment(amendment, AmendmentStatus.APPROVED, workflow.BENEFICIARY, actor)
    if not accept:
        if not (comment or "").strip():
            raise ServiceError("请填写不接受变更的原因。", code="reason_required", field="comment")
        locked.status = AmendmentStatus.DECLINED
        locked.save()
        _record(locked.guarantee, "amend_decline", actor=actor, comment=comment, data={"amendment": locked.pk})
        return locked
    guarantee = _lock_for_document(locked.guarantee)
    previous = guarantee.versions.order_by("-version").first()
    version = previous.version + 1 if previous else 1
    claimed = guarantee.amount - (
        guarantee.outstanding_amount if guarantee.outstanding_amount is not None else guarantee.amount
    )
    guarantee.amount, guarantee.end_date = locked.new_amount, locked.new_end_date
    guarantee.outstanding_amount = guarantee.amount - claimed
    sm3, sha256 = _produce_document(guarantee, f"{guarantee.number}-v{version}.pdf")
    guarantee.document_sm3, guarantee.document_sha256 = sm3, sha256
    guarantee.save()
    now = timezone.now()
    GuaranteeDocument.objects.filter(guarantee=guarantee, superseded_at__isnull=True).update(superseded_at=now)
    _add_version(guarantee, version, amendment=locked)
    locked.status = AmendmentStatus.EFFECTIVE
    locked.save()
    _record(
        guarantee,
        "amend_accept",
        actor=actor,
        comment=comment or amendment_summary(locked),
        data={"amendment": locked.pk, "version": version, "sm3": sm3},
    )
    if guarantee.department_id:
        _file(guarantee, actor=actor)
    return locked


def open_amendment(guarantee):
    """The guarantee's amendment in progress (there is at most one), or a Conflict."""
    from .choices import OPEN_AMENDMENT_STATES

    found = guarantee.amendments.filter(status__in=OPEN_AMENDMENT_STATES).first()
    if found is None:
        raise Conflict("该保函没有正在办理的变更。", code="no_open_amendment")
    return found
