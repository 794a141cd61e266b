"""Every write on projects, sections, documents and participants (6.5.1). One function per
action: it checks permission and state, writes inside one transaction (the change log goes
with it), and queues the invitation SMS for after the commit.

`data` dicts carry the project's fields; `sections` is a list of dicts
{"id" (existing sections only), "number", "name", "bid_bond_amount"}: the project's whole set
of sections, so a form and an API call describe the same thing the same way."""

import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.accounts.validators import (
    jurisdiction_prefix,
    normalize_credit_code,
    validate_credit_code,
    validate_mobile,
    validate_region_code,
)
from eguarantee.core import uploads
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.permissions import require_perm
from eguarantee.notifications import services as notify

from .choices import DocumentType, ProjectSource, ProjectType
from .models import BeneficiaryInvitation, Project, ProjectDocument, ProjectParticipant, Section

# Tender documents run to a few MB; 20 MB leaves room for a scanned contract without letting
# one upload fill the disk.
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
OFD_MIME = "application/zip"  # OFD (GB/T 33190) is a zip package; filetype sees only the zip
DOCUMENT_TYPES = {
    **uploads.DOCUMENT_TYPES,
    "ofd": {OFD_MIME},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}
DOCUMENT_EXTENSIONS = "PDF、OFD、JPG、PNG、DOCX、XLSX"

PROJECT_FIELDS = (
    "number",
    "name",
    "project_type",
    "region_code",
    "total_investment",
    "contract_estimate",
    "bid_opening_at",
    "bid_validity_days",
    "tender_announced_at",
)
BENEFICIARY_FIELDS = ("beneficiary", "beneficiary_name", "beneficiary_credit_code", "invite_mobile")
MAX_BID_VALIDITY_DAYS = 365

LOCKED_MESSAGE = "该项目已有保函出具，项目信息已锁定，不能修改；如需更正请联系平台管理员。"


# ---------------------------------------------------------------- departments (归口)


def _resolve_department(project_type, region_code):
    from eguarantee.departments.selectors import resolve_department

    return resolve_department(project_type, region_code)


def reassign_departments(scopes=None):
    """Recompute projects' 归口主管部门 after the rules changed. `scopes` — the
    [(project_type, region_code)] the departments module says may have changed — limits the
    work to projects of that type within that region; None recomputes every project.

    Rules depend only on (type, region), so one lookup and one UPDATE per distinct pair,
    however many projects share it. The rule change itself is what the change log records;
    the projects' column is derived from it."""
    projects = Project.objects.all()
    if scopes is not None:
        within = Q(pk__in=[])
        for project_type, region_code in scopes:
            within |= Q(project_type=project_type, region_code__startswith=jurisdiction_prefix(region_code))
        projects = projects.filter(within)
    changed = 0
    pairs = list(projects.values_list("project_type", "region_code").distinct().order_by())
    for project_type, region_code in pairs:
        department = _resolve_department(project_type, region_code)
        department_id = department.pk if department is not None else None
        # exclude() on a nullable column keeps the NULL rows: unassigned projects are included.
        stale = Project.objects.filter(project_type=project_type, region_code=region_code).exclude(
            department_id=department_id
        )
        changed += stale.update(department_id=department_id, updated_at=timezone.now())
    return changed


# ---------------------------------------------------------------- locking (guarantees module)


def is_locked(project):
    """A project on which a guarantee was issued: its facts are what the guarantee says."""
    return project.locked_at is not None


@transaction.atomic
def lock_project(project, *, reason):
    """Called by the guarantees module when a guarantee on this project is issued. A second
    guarantee on the same project keeps the first lock."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("锁定项目时必须说明原因。", code="reason_required", field="reason")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.locked_at is None:
        project.locked_at = timezone.now()
        project.lock_reason = reason[:200]
        project.save(update_fields=["locked_at", "lock_reason", "updated_at"])
    return project


def _require_unlocked(project, actor):
    if is_locked(project) and not actor.has_perm("projects.change_locked_project"):
        raise Conflict(LOCKED_MESSAGE, code="project_locked")


# ---------------------------------------------------------------- validation helpers


def _error(message, code, field=None, details=None):
    return ServiceError(message, code=code, field=field, details=details)


def _money(value, label, field):
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise _error(f"{label}应为金额数字。", "invalid_amount", field) from None
    if amount <= 0:
        raise _error(f"{label}必须大于0。", "invalid_amount", field)
    if amount >= Decimal("1e16"):
        raise _error(f"{label}超出允许范围。", "invalid_amount", field)
    return amount


def _text(value):
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def _clean_project_data(data, *, current=None):
    """Normalise and check the project's own fields. `current` is the project being edited:
    a bid opening time that is not changed is not checked against the clock again."""
    cleaned = {}
    number = _text(data.get("number"))
    if not number:
        raise _error("请填写项目编号。", "number_required", "number")
    if len(number) > 64:
        raise _error("项目编号不能超过64个字符。", "invalid", "number")
    cleaned["number"] = number
    name = _text(data.get("name"))
    if not name:
        raise _error("请填写项目名称。", "name_required", "name")
    cleaned["name"] = name[:200]
    if data.get("project_type") not in ProjectType.values:
        raise _error("请选择有效的项目类型。", "invalid_project_type", "project_type")
    cleaned["project_type"] = data["project_type"]
    region_code = _text(data.get("region_code"))
    try:
        validate_region_code(region_code)
    except ValidationError as exc:
        raise _error(exc.messages[0], exc.code or "invalid_region_code", "region_code") from None
    cleaned["region_code"] = region_code
    cleaned["contract_estimate"] = _money(data.get("contract_estimate"), "合同估算价", "contract_estimate")
    investment = data.get("total_investment")
    cleaned["total_investment"] = None if investment in (None, "") else _money(investment, "总投资", "total_investment")
    opening = data.get("bid_opening_at")
    if not isinstance(opening, datetime):
        raise _error("请填写开标时间。", "bid_opening_required", "bid_opening_at")
    if timezone.is_naive(opening):
        opening = timezone.make_aware(opening)
    unchanged = current is not None and current.bid_opening_at == opening
    if not unchanged and opening <= timezone.now():
        raise _error("开标时间必须晚于当前时间。", "bid_opening_in_past", "bid_opening_at")
    cleaned["bid_opening_at"] = opening
    announced = data.get("tender_announced_at")
    if announced is not None:
        if timezone.is_naive(announced):
            announced = timezone.make_aware(announced)
        if announced > opening:
            raise _error("招标公告时间不能晚于开标时间。", "announcement_after_opening", "tender_announced_at")
    cleaned["tender_announced_at"] = announced
    try:
        days = int(data.get("bid_validity_days"))
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_BID_VALIDITY_DAYS:
        raise _error(f"投标有效期应为1至{MAX_BID_VALIDITY_DAYS}天。", "invalid_bid_validity", "bid_validity_days")
    cleaned["bid_validity_days"] = days
    return cleaned


def _clean_sections(sections):
    """The whole set of sections: at least one, numbers unique, bid bonds above zero.
    Errors name the row (details.sections[index][field]) so a formset can show them inline."""
    if not sections:
        raise _error("项目至少应包含一个标段。", "sections_required", "sections")
    cleaned, seen = [], {}
    for index, row in enumerate(sections):

        def fail(message, code, field, index=index):
            return _error(message, code, "sections", {"sections": {str(index): {field: [message]}}})

        number = _text(row.get("number"))
        if not number:
            raise fail(f"第{index + 1}个标段未填写标段编号。", "section_number_required", "number")
        if len(number) > 64:
            raise fail("标段编号不能超过64个字符。", "invalid", "number")
        key = number.upper()
        if key in seen:
            raise fail(f"标段编号“{number}”重复：同一项目内标段编号不能相同。", "duplicate_section_number", "number")
        seen[key] = index
        name = _text(row.get("name"))
        if not name:
            raise fail(f"标段“{number}”未填写标段名称。", "section_name_required", "name")
        try:
            amount = _money(row.get("bid_bond_amount"), f"标段“{number}”的投标保证金", "bid_bond_amount")
        except ServiceError as exc:
            raise fail(exc.message, exc.code, "bid_bond_amount") from None
        cleaned.append({"id": row.get("id"), "number": number, "name": name[:200], "bid_bond_amount": amount})
    return cleaned


def _existing_project_conflict(existing):
    return Conflict(
        f"该项目编号已存在：{existing.name}",
        code="project_exists",
        field="number",
        details={"project_id": existing.pk, "project_name": existing.name, "number": existing.number},
    )


def find_by_number(number):
    """The project already entered under this number (numbers compared without case or
    surrounding spaces), across the whole platform."""
    number = _text(number)
    if not number:
        return None
    return Project.objects.filter(number__iexact=number).order_by("pk").first()


# ---------------------------------------------------------------- beneficiary


def _clean_beneficiary(data, *, current=None):
    """→ (organization or None, name, credit code, mobile to invite or None)."""
    org = data.get("beneficiary")
    if org is not None:
        if not isinstance(org, Organization):
            org = Organization.objects.filter(pk=org).first()
        if org is None or org.org_type != OrgType.BENEFICIARY or org.status != OrgStatus.APPROVED:
            raise _error("请选择已在平台审批通过的受益人单位。", "invalid_beneficiary", "beneficiary")
        return org, org.name, org.credit_code, None
    name = _text(data.get("beneficiary_name"))
    credit_code = normalize_credit_code(data.get("beneficiary_credit_code"))
    if not name:
        raise _error(
            "请选择已注册的受益人单位，或填写招标人名称和统一社会信用代码。", "beneficiary_required", "beneficiary_name"
        )
    if not credit_code:
        raise _error("请填写招标人的统一社会信用代码。", "beneficiary_required", "beneficiary_credit_code")
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        raise _error(exc.messages[0], "invalid_credit_code", "beneficiary_credit_code") from None
    registered = Organization.objects.filter(credit_code=credit_code).first()
    if registered is not None:
        if registered.org_type != OrgType.BENEFICIARY:
            raise _error(
                f"统一社会信用代码{credit_code}已注册为{registered.get_org_type_display()}单位，不能作为招标人/受益人。",
                "beneficiary_type_mismatch",
                "beneficiary_credit_code",
            )
        if registered.status == OrgStatus.APPROVED:
            return registered, registered.name, credit_code, None
        # Registered and awaiting approval: linked when approved, no invitation needed.
        return None, name, credit_code, None
    if current is not None and current.beneficiary_credit_code == credit_code:
        return None, name, credit_code, None  # already invited for this project
    mobile = _text(data.get("invite_mobile"))
    if not mobile:
        raise _error(
            "招标人尚未在平台注册，请填写其联系人手机号以发送注册邀请。", "invite_mobile_required", "invite_mobile"
        )
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise _error(exc.messages[0], "invalid_mobile", "invite_mobile") from None
    return None, name, credit_code, mobile


def _invite_beneficiary(project, mobile, actor):
    inviter = actor.organization.name if actor.organization_id else settings.PLATFORM_NAME
    sms = notify.queue_sms(
        mobile,
        f"【{settings.PLATFORM_NAME}】{inviter}在平台录入了工程项目“{project.name}”（编号{project.number}），"
        f"贵单位为招标人。请注册{settings.PLATFORM_NAME}受益人账号，在线查验该项目的电子保函。",
        purpose="beneficiary_invitation",
    )
    return BeneficiaryInvitation.objects.create(
        project=project,
        name=project.beneficiary_name,
        credit_code=project.beneficiary_credit_code,
        mobile=mobile,
        invited_by=actor,
        sms=sms,
    )


def link_registered_beneficiary(organization):
    """An organization became an approved beneficiary: projects that named its credit code
    before it registered now point at it. Safe to call on every save of the organization."""
    if organization.org_type != OrgType.BENEFICIARY or organization.status != OrgStatus.APPROVED:
        return 0
    with transaction.atomic():
        projects = list(
            Project.objects.select_for_update().filter(
                beneficiary__isnull=True, beneficiary_credit_code=organization.credit_code
            )
        )
        for project in projects:
            project.beneficiary = organization
            project.save(update_fields=["beneficiary", "updated_at"])
        now = timezone.now()
        for invitation in BeneficiaryInvitation.objects.filter(
            credit_code=organization.credit_code, linked_organization__isnull=True
        ):
            invitation.linked_organization = organization
            invitation.linked_at = now
            invitation.save(update_fields=["linked_organization", "linked_at"])
    return len(projects)


# ---------------------------------------------------------------- projects


def _require_applicant(actor, message):
    if actor.organization_id is None or actor.organization.org_type != OrgType.APPLICANT:
        raise NotAllowed(message)


def _require_editor(actor, project):
    """The organization that entered the project edits it; the platform edits any."""
    if actor.is_platform:
        return
    if actor.organization_id != project.created_by_id:
        raise NotAllowed("只有录入该项目的单位可以修改或删除项目。")


def _save_sections(project, sections):
    existing = {s.pk: s for s in project.sections.all()}
    keep = set()
    for row in sections:
        if row.get("id") in (None, ""):
            continue
        try:
            section_id = int(row["id"])
        except (TypeError, ValueError):
            section_id = None
        if section_id not in existing:
            raise _error("标段不属于该项目或已被删除，请刷新后重试。", "invalid_section", "sections")
        keep.add(section_id)
        row["id"] = section_id
    try:
        with transaction.atomic():
            for section_id, section in existing.items():
                if section_id not in keep:
                    section.delete()
            for row in sections:
                section = existing.get(row["id"]) if row["id"] else Section(project=project)
                changed = (section.number, section.name, section.bid_bond_amount) != (
                    row["number"],
                    row["name"],
                    row["bid_bond_amount"],
                )
                if section.pk is None or changed:
                    section.number, section.name, section.bid_bond_amount = (
                        row["number"],
                        row["name"],
                        row["bid_bond_amount"],
                    )
                    section.save()
    except ProtectedError:
        raise Conflict("该标段已有保函业务，不能删除。", code="section_in_use", field="sections") from None
    except IntegrityError:
        # Two existing sections swapping numbers in one save collide row by row.
        raise _error(
            "标段编号与本项目其他标段冲突；如需互换编号，请分两次保存。", "duplicate_section_number", "sections"
        ) from None


@transaction.atomic
def create_project(*, actor, data, sections, source=ProjectSource.MANUAL, external_id=""):
    """An applicant enters a project. A number already on the platform is not entered twice:
    the existing project is offered instead (code project_exists, details.project_id)."""
    require_perm(actor, "projects.add_project")
    if actor.organization_id is None:
        raise NotAllowed("您的账号不属于任何单位，不能录入项目。")
    number = _text(data.get("number"))
    existing = find_by_number(number)
    if existing is not None:
        raise _existing_project_conflict(existing)
    fields = _clean_project_data(data)
    beneficiary, beneficiary_name, credit_code, invite_mobile = _clean_beneficiary(data)
    rows = _clean_sections(sections)
    if source not in ProjectSource.values:
        raise _error("项目来源无效。", "invalid_source", "source")
    project = Project(
        **fields,
        beneficiary=beneficiary,
        beneficiary_name=beneficiary_name,
        beneficiary_credit_code=credit_code,
        source=source,
        external_id=_text(external_id)[:100],
        created_by_id=actor.organization_id,
        created_by_user=actor,
        department=_resolve_department(fields["project_type"], fields["region_code"]),
    )
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        # Another applicant entered the same number between our check and our insert.
        existing = find_by_number(number)
        if existing is None:
            raise
        raise _existing_project_conflict(existing) from None
    _save_sections(project, rows)
    ProjectParticipant.objects.create(project=project, organization_id=actor.organization_id, joined_by=actor)
    if invite_mobile:
        _invite_beneficiary(project, invite_mobile, actor)
    return project


@transaction.atomic
def update_project(project, *, actor, data, sections=None):
    """Change a project's facts (and, when given, its whole set of sections). Refused once a
    guarantee on it was issued, except to holders of change_locked_project."""
    require_perm(actor, "projects.change_project")
    _require_editor(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_unlocked(project, actor)
    merged = {name: getattr(project, name) for name in PROJECT_FIELDS}
    merged.update({k: v for k, v in data.items() if k in PROJECT_FIELDS})
    fields = _clean_project_data(merged, current=project)
    if fields["number"].upper() != project.number.upper():
        existing = Project.objects.filter(number__iexact=fields["number"]).exclude(pk=project.pk).first()
        if existing is not None:
            raise _existing_project_conflict(existing)
    invite_mobile = None
    if any(key in data for key in BENEFICIARY_FIELDS):
        beneficiary_data = {
            "beneficiary": data.get("beneficiary"),
            "beneficiary_name": data.get("beneficiary_name", project.beneficiary_name),
            "beneficiary_credit_code": data.get("beneficiary_credit_code", project.beneficiary_credit_code),
            "invite_mobile": data.get("invite_mobile"),
        }
        beneficiary, name, credit_code, invite_mobile = _clean_beneficiary(beneficiary_data, current=project)
        project.beneficiary, project.beneficiary_name, project.beneficiary_credit_code = beneficiary, name, credit_code
    rows = _clean_sections(sections) if sections is not None else None
    regrouped = (fields["project_type"], fields["region_code"]) != (project.project_type, project.region_code)
    for key, value in fields.items():
        setattr(project, key, value)
    if regrouped:
        project.department = _resolve_department(project.project_type, project.region_code)
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise _existing_project_conflict(find_by_number(fields["number"])) from None
    if rows is not None:
        _save_sections(project, rows)
    if invite_mobile:
        _invite_beneficiary(project, invite_mobile, actor)
    return project


@transaction.atomic
def delete_project(project, *, actor):
    require_perm(actor, "projects.delete_project")
    _require_editor(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if is_locked(project):
        raise Conflict("该项目已有保函出具，不能删除。", code="project_locked")
    if project.participants.exclude(organization_id=project.created_by_id).exists():
        raise Conflict("已有其他申请人加入该项目，不能删除。", code="project_in_use")
    try:
        project.delete()
    except ProtectedError:
        raise Conflict("该项目已有保函业务，不能删除。", code="project_in_use") from None


@transaction.atomic
def join_project(project, *, actor):
    """An applicant bidding on a project someone else entered takes part in it instead of
    entering it again. Joining twice changes nothing. → (participant, created)"""
    require_perm(actor, "projects.join_project")
    _require_applicant(actor, "只有申请人单位可以加入项目。")
    return ProjectParticipant.objects.get_or_create(
        project=project, organization_id=actor.organization_id, defaults={"joined_by": actor}
    )


# ---------------------------------------------------------------- documents


def check_document(upload):
    """Size and real content type; an .ofd must be an OFD package, not any zip.
    Returns the detected MIME type."""
    try:
        mime = uploads.check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        code = exc.error_list[0].code or "invalid_file"
        message = exc.messages[0]
        if code == "file_type_not_allowed":
            message = f"文件内容不是允许的类型（{DOCUMENT_EXTENSIONS}）。"
        raise _error(message, code, "file") from None
    if mime == OFD_MIME:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as package:
                is_ofd = "OFD.xml" in package.namelist()
        except zipfile.BadZipFile:
            is_ofd = False
        upload.seek(0)
        if not is_ofd:
            raise _error("文件扩展名“.ofd”与文件内容（ZIP）不符。", "file_extension_mismatch", "file")
        return "application/ofd"
    return mime


@transaction.atomic
def upload_document(project, *, actor, doc_type, upload, note=""):
    require_perm(actor, "projects.add_projectdocument")
    if not actor.is_platform and not project.participants.filter(organization_id=actor.organization_id).exists():
        raise NotAllowed("只有录入或加入该项目的申请人可以上传项目资料。")
    if doc_type not in DocumentType.values:
        raise _error("请选择资料类型。", "invalid_doc_type", "doc_type")
    if upload is None:
        raise _error("请选择要上传的文件。", "file_required", "file")
    mime = check_document(upload)
    digests = uploads.file_digests(upload)
    document = ProjectDocument(
        project=project,
        doc_type=doc_type,
        original_name=upload.name.rsplit("/", 1)[-1][:255],
        size=upload.size,
        content_type=mime,
        sm3=digests["sm3"],
        sha256=digests["sha256"],
        note=_text(note)[:200],
        organization_id=actor.organization_id,
        uploaded_by=actor,
    )
    document.file = upload
    document.save()
    return document


@transaction.atomic
def delete_document(document, *, actor):
    """A document goes with its uploader's organization's say; a locked project keeps its
    documents as they were when the guarantee was issued."""
    require_perm(actor, "projects.delete_projectdocument")
    if not actor.is_platform and document.organization_id != actor.organization_id:
        raise NotAllowed("只能删除本单位上传的项目资料。")
    _require_unlocked(Project.objects.select_for_update().get(pk=document.project_id), actor)
    document.delete()
