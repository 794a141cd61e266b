from django import forms

from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core.forms import BootstrapForm

from . import placeholders
from .choices import APPLICATION_FIELDS, ValidityRule
from .selectors import enabled_types


class GuaranteeTypeForm(BootstrapForm):
    code = forms.SlugField(label="类型编码", max_length=30, help_text="英文字母、数字、下划线或连字符，如 bid")
    name = forms.CharField(label="类型名称", max_length=50)
    requires_tender = forms.BooleanField(label="须关联招标项目标段", required=False)
    application_fields = forms.MultipleChoiceField(
        label="申请须填写的字段",
        choices=list(APPLICATION_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachments = forms.CharField(
        label="须上传的附件",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一种附件，如 中标通知书",
    )
    validity_rule = forms.ChoiceField(label="默认有效期规则", choices=ValidityRule.choices)
    validity_days = forms.IntegerField(label="固定有效天数", min_value=1, max_value=3650, required=False)
    sealed_allowed = forms.BooleanField(label="允许密文出函", required=False)
    enabled = forms.BooleanField(label="启用", required=False, initial=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=1000, initial=100)
    description = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {key: getattr(instance, key) for key in self.base_fields if hasattr(instance, key)}
            initial["attachments"] = "\n".join(item["label"] for item in instance.required_attachments)
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        if instance is not None and instance.builtin:
            self.fields["code"].disabled = True

    def service_data(self):
        from .services import attachments_from_labels

        data = {k: v for k, v in self.cleaned_data.items() if k != "attachments" and not self.fields[k].disabled}
        existing = self.instance.required_attachments if self.instance else ()
        data["required_attachments"] = attachments_from_labels(self.cleaned_data["attachments"].splitlines(), existing)
        return data


class GuaranteeTemplateForm(BootstrapForm):
    guarantee_type = forms.ModelChoiceField(label="保函类型", queryset=enabled_types())
    guarantor = forms.ModelChoiceField(
        label="保证人",
        queryset=Organization.objects.filter(org_type=OrgType.GUARANTOR, status=OrgStatus.APPROVED),
        required=False,
        empty_label="（平台默认模板）",
    )
    name = forms.CharField(label="模板名称", max_length=100)
    title = forms.CharField(
        label="保函标题", max_length=100, required=False, help_text="如 投标保函；为空时用保函类型名称"
    )
    body = forms.CharField(
        label="模板正文",
        widget=forms.Textarea(attrs={"rows": 22, "class": "form-control font-monospace"}),
        help_text=placeholders.SYNTAX_HELP,
    )

    def __init__(self, *args, instance=None, actor=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {
                "guarantee_type": instance.guarantee_type_id,
                "guarantor": instance.guarantor_id,
                "name": instance.name,
                "title": instance.title,
                "body": instance.body,
            }
        else:
            initial = {"body": placeholders.SAMPLE_BODY}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        if instance is not None:
            # Type and owner fix a template's version line; a different one is a new template.
            self.fields["guarantee_type"].disabled = True
            self.fields["guarantor"].disabled = True
        if actor is not None and not actor.is_platform:
            del self.fields["guarantor"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        errors = placeholders.validate(body)
        if errors:
            raise forms.ValidationError(errors)
        return body

    def service_data(self):
        return {k: v for k, v in self.cleaned_data.items() if not self.fields[k].disabled}
