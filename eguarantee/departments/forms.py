from functools import cache

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from eguarantee.core import regions
from eguarantee.core.forms import BootstrapForm
from eguarantee.projects.choices import ProjectType

from . import selectors
from .models import level_label
from .services import DUTIES_MAX

REGION_LIST_ID = "region-code-options"


@cache
def region_datalist():
    """Every region code in use as a <datalist>: the browser offers matches while one types
    a code or a name (“思明” → 350203), without a script. Built once per process."""
    options = format_html_join("", '<option value="{}">{}</option>', regions.choices())
    return mark_safe(f'<datalist id="{REGION_LIST_ID}">{options}</datalist>')  # noqa: S308  format_html_join escapes


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{level_label(obj.region_code)} {obj.region_code}）"


class RegionCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "行政区划代码")
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("help_text", "6位行政区划代码，可输入代码或地名后从列表中选择，如 350203（厦门市思明区）。")
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": REGION_LIST_ID, "autocomplete": "off", "inputmode": "numeric"})


class ProfileForm(BootstrapForm):
    parent = DepartmentChoiceField(label="上级部门", queryset=None, required=False, empty_label="（无）")
    duties = forms.CharField(
        label="职责说明", max_length=DUTIES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label="业务联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="业务联系电话", max_length=20, required=False)
    contact_email = forms.EmailField(label="业务联系邮箱", required=False)
    office_address = forms.CharField(label="办公地址", max_length=300, required=False)

    def __init__(self, *args, organization=None, **kwargs):
        profile = getattr(organization, "department_profile", None) if organization is not None else None
        if profile is not None:
            saved = {name: getattr(profile, name) for name in ProfileForm.base_fields}
            kwargs["initial"] = {**saved, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.parent_candidates(organization)
        self.fields["parent"].help_text = "须为更高一级、辖区包含本部门所在区划的行政主管部门。"

    def profile_data(self):
        return {name: self.cleaned_data.get(name) for name in ProfileForm.base_fields}


class ProfileCreateForm(ProfileForm):
    organization = DepartmentChoiceField(label="部门单位", queryset=None)

    field_order = ["organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.departments_without_profile()
        self.fields["organization"].help_text = "部门单位在“平台后台管理 → 单位管理”中新增（单位类型：行政主管部门）。"
        self.order_fields(["organization", *ProfileForm.base_fields])


class RuleForm(BootstrapForm):
    project_type = forms.ChoiceField(label="工程类型", choices=ProjectType.choices)
    region_code = RegionCodeField()
    department = DepartmentChoiceField(label="主管部门", queryset=None)
    enabled = forms.BooleanField(label="启用", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, rule=None, **kwargs):
        if rule is not None:
            saved = {name: getattr(rule, name) for name in RuleForm.base_fields}
            kwargs["initial"] = {**saved, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.department_organizations().order_by("region_code", "name")
        self.fields["department"].help_text = "部门的辖区须包含所选行政区划。"


class ResolveForm(BootstrapForm):
    """The preview's query: validated by the selector, so the page and the API say the same."""

    project_type = forms.ChoiceField(
        label="工程类型", choices=[("", "请选择工程类型"), *ProjectType.choices], required=False
    )
    region_code = RegionCodeField(required=False, max_length=20)
