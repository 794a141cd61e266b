"""Every write on guarantee types (6.4.1) and templates (6.4.2)."""

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from eguarantee.accounts.choices import OrgType
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError, full_clean_or_error
from eguarantee.core.permissions import require_perm

from . import pdf, placeholders
from .choices import APPLICATION_FIELDS, TemplateStatus, ValidityRule
from .models import GuaranteeTemplate, GuaranteeType

TYPE_FIELDS = (
    "code",
    "name",
    "enabled",
    "requires_tender",
    "application_fields",
    "required_attachments",
    "validity_rule",
    "validity_days",
    "sealed_allowed",
    "description",
    "sort_order",
)


# ---------------------------------------------------------------- types


def attachments_from_labels(labels, existing=()):
    """[{key, label}] from the labels an administrator typed, one per line. A label kept from
    before keeps its key (applications refer to attachments by key)."""
    keys = {item["label"]: item["key"] for item in existing}
    result, seen = [], set()
    for label in (line.strip() for line in labels):
        if not label or label in seen:
            continue
        seen.add(label)
        result.append({"key": keys.get(label, label), "label": label})
    return result


@transaction.atomic
def save_type(*, actor, data, guarantee_type=None):
    require_perm(actor, "catalog.change_guaranteetype" if guarantee_type else "catalog.add_guaranteetype")
    if guarantee_type is not None:
        guarantee_type = GuaranteeType.objects.select_for_update().get(pk=guarantee_type.pk)
        if guarantee_type.builtin and data.get("code", guarantee_type.code) != guarantee_type.code:
            raise ServiceError("内置保函类型的编码不能修改。", code="builtin_type", field="code")
    else:
        guarantee_type = GuaranteeType()
    for key in TYPE_FIELDS:
        if key in data:
            setattr(guarantee_type, key, data[key])
    unknown = [f for f in guarantee_type.application_fields if f not in APPLICATION_FIELDS]
    if unknown:
        raise ServiceError(
            f"未知的申请字段：{'、'.join(map(str, unknown))}。", code="unknown_field", field="application_fields"
        )
    if guarantee_type.validity_rule == ValidityRule.FIXED_DAYS and not guarantee_type.validity_days:
        raise ServiceError("“固定天数”规则须填写固定有效天数。", code="validity_days_required", field="validity_days")
    if guarantee_type.validity_rule != ValidityRule.FIXED_DAYS:
        guarantee_type.validity_days = None
    if GuaranteeType.objects.filter(code=guarantee_type.code).exclude(pk=guarantee_type.pk).exists():
        raise ServiceError("该类型编码已存在。", code="duplicate_code", field="code")
    if GuaranteeType.objects.filter(name=guarantee_type.name).exclude(pk=guarantee_type.pk).exists():
        raise ServiceError("该类型名称已存在。", code="duplicate_name", field="name")
    full_clean_or_error(guarantee_type)
    guarantee_type.save()
    return guarantee_type


@transaction.atomic
def set_type_enabled(guarantee_type, *, actor, enabled):
    require_perm(actor, "catalog.change_guaranteetype")
    guarantee_type = GuaranteeType.objects.select_for_update().get(pk=guarantee_type.pk)
    guarantee_type.enabled = enabled
    guarantee_type.save(update_fields=["enabled", "updated_at"])
    return guarantee_type


def delete_type(guarantee_type, *, actor):
    """A type anything refers to (templates, guarantors' offers and clauses, guarantees) is
    protected by its foreign keys: it can be disabled, never deleted."""
    require_perm(actor, "catalog.delete_guaranteetype")
    if guarantee_type.builtin:
        raise Conflict("内置保函类型不能删除，可以停用。", code="builtin_type")
    try:
        with transaction.atomic():
            guarantee_type.delete()
    except ProtectedError:
        raise Conflict("该保函类型已被使用，不能删除，只能停用。", code="type_in_use") from None


# ---------------------------------------------------------------- templates


def _require_template_owner(actor, guarantor):
    """The platform keeps its default templates and any guarantor's; a guarantor its own."""
    if actor.is_platform:
        return
    if guarantor is None or guarantor.pk != actor.organization_id:
        raise NotAllowed("只能维护本机构的保函模板。")


def check_body(body):
    errors = placeholders.validate(body or "")
    if errors:
        raise ServiceError(
            "模板正文有误：" + "；".join(errors), code="invalid_template", field="body", details={"body": errors}
        )


@transaction.atomic
def save_template(*, actor, data, template=None):
    """Create a draft, or change one. A published version is never edited: see new_version."""
    require_perm(actor, "catalog.change_guaranteetemplate" if template else "catalog.add_guaranteetemplate")
    if template is not None:
        template = GuaranteeTemplate.objects.select_for_update().get(pk=template.pk)
        if template.status != TemplateStatus.DRAFT:
            raise Conflict("已发布或已停用的模板不能修改，请在其基础上新建版本。", code="template_not_draft")
        _require_template_owner(actor, template.guarantor)
    else:
        guarantor = data.get("guarantor") if actor.is_platform else actor.organization
        if guarantor is not None and guarantor.org_type != OrgType.GUARANTOR:
            raise ServiceError("模板只能属于保证人机构。", code="not_a_guarantor", field="guarantor")
        _require_template_owner(actor, guarantor)
        guarantee_type = data["guarantee_type"]
        template = GuaranteeTemplate(guarantee_type=guarantee_type, guarantor=guarantor, created_by=actor)
        template.version = _next_version(guarantee_type, guarantor)
    if template.pk is None and not template.guarantee_type.enabled:
        raise ServiceError("该保函类型已停用。", code="type_disabled", field="guarantee_type")
    for key in ("name", "title", "body"):
        if key in data:
            setattr(template, key, data[key])
    check_body(template.body)
    full_clean_or_error(template, exclude=["created_by", "published_by"])
    template.save()
    return template


def _next_version(guarantee_type, guarantor):
    # Serialised by locking the type row: two drafts started at once get different numbers.
    GuaranteeType.objects.select_for_update().filter(pk=guarantee_type.pk).first()
    siblings = GuaranteeTemplate.objects.filter(guarantee_type=guarantee_type, guarantor=guarantor)
    return (siblings.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def new_version(template, *, actor):
    """A new draft copied from any version, to change a published template."""
    require_perm(actor, "catalog.add_guaranteetemplate")
    _require_template_owner(actor, template.guarantor)
    draft = GuaranteeTemplate(
        guarantee_type=template.guarantee_type,
        guarantor=template.guarantor,
        name=template.name,
        title=template.title,
        body=template.body,
        created_by=actor,
        version=_next_version(template.guarantee_type, template.guarantor),
    )
    draft.save()
    return draft


@transaction.atomic
def publish_template(template, *, actor):
    """The draft becomes the version in force; the one published before it is retired."""
    require_perm(actor, "catalog.publish_guaranteetemplate")
    template = GuaranteeTemplate.objects.select_for_update().get(pk=template.pk)
    _require_template_owner(actor, template.guarantor)
    if template.status != TemplateStatus.DRAFT:
        raise Conflict("只有草稿可以发布。", code="template_not_draft")
    check_body(template.body)
    previous = GuaranteeTemplate.objects.select_for_update().filter(
        guarantee_type=template.guarantee_type, guarantor=template.guarantor, status=TemplateStatus.PUBLISHED
    )
    for old in previous:
        old.status = TemplateStatus.RETIRED
        old.save(update_fields=["status", "updated_at"])
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.published_by = actor
    template.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return template


@transaction.atomic
def retire_template(template, *, actor):
    require_perm(actor, "catalog.publish_guaranteetemplate")
    template = GuaranteeTemplate.objects.select_for_update().get(pk=template.pk)
    _require_template_owner(actor, template.guarantor)
    if template.status != TemplateStatus.PUBLISHED:
        raise Conflict("只有已发布的模板可以停用。", code="template_not_published")
    template.status = TemplateStatus.RETIRED
    template.save(update_fields=["status", "updated_at"])
    return template


def delete_template(template, *, actor):
    """Drafts only: a version that was ever published may stand behind issued guarantees."""
    require_perm(actor, "catalog.delete_guaranteetemplate")
    _require_template_owner(actor, template.guarantor)
    if template.status != TemplateStatus.DRAFT:
        raise Conflict("已发布过的模板不能删除，可以停用。", code="template_not_draft")
    template.delete()


def preview_pdf(template):
    """A real PDF of the template filled with sample data."""
    values = placeholders.sample_values()
    values["保函类型"] = template.guarantee_type.name
    guarantor_name = template.guarantor.name if template.guarantor else values["保证人"]
    values["保证人"] = guarantor_name
    try:
        return pdf.render_guarantee_pdf(
            template.body, values, guarantor_name=guarantor_name, title=template.title or None
        )
    except placeholders.TemplateError as exc:
        raise ServiceError(f"模板无法生成预览：{exc}", code="invalid_template") from None
