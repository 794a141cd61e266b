from django import forms

from eguarantee.core.forms import bootstrap

from .choices import DocumentType, ProjectType
from .selectors import registered_beneficiaries
from .services import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_BYTES

DATETIME_WIDGET = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=DATETIME_WIDGET, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class ProjectForm(forms.Form):
    """The project's facts. Its rules (future bid opening, amounts, beneficiary, 归口) are the
    service's: the form only parses."""

    number = forms.CharField(
        label="项目编号",
        max_length=64,
        help_text="交易中心的招标项目编号；该编号已在平台录入时，可直接加入已有项目。",
    )
    name = forms.CharField(label="项目名称", max_length=200)
    project_type = forms.ChoiceField(label="项目类型", choices=[("", "请选择…"), *ProjectType.choices])
    region_code = forms.CharField(
        label="行政区划代码", max_length=6, help_text="6位行政区划代码，如 350203（厦门市思明区）。"
    )
    beneficiary = forms.ModelChoiceField(
        label="招标人/受益人（已注册）",
        queryset=None,
        required=False,
        empty_label="未在平台注册，手工填写…",
    )
    beneficiary_name = forms.CharField(label="招标人名称", max_length=200, required=False)
    beneficiary_credit_code = forms.CharField(label="招标人统一社会信用代码", max_length=18, required=False)
    invite_mobile = forms.CharField(
        label="招标人联系人手机",
        max_length=11,
        required=False,
        help_text="招标人未在平台注册时必填：平台将发送短信邀请其注册，注册审批通过后自动关联本项目。",
    )
    total_investment = forms.DecimalField(label="总投资（元）", max_digits=18, decimal_places=2, required=False)
    contract_estimate = forms.DecimalField(label="合同估算价（元）", max_digits=18, decimal_places=2)
    bid_opening_at = _datetime_field("开标时间")
    bid_validity_days = forms.IntegerField(label="投标有效期（天）", initial=90)
    tender_announced_at = _datetime_field("招标公告时间", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = registered_beneficiaries()
        self.fields["number"].widget.attrs["autocomplete"] = "off"
        bootstrap(self)

    def project_data(self):
        data = dict(self.cleaned_data)
        if data.get("beneficiary") is not None:
            for key in ("beneficiary_name", "beneficiary_credit_code", "invite_mobile"):
                data.pop(key, None)
        return data


class SectionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(label="标段编号", max_length=64, required=False)
    name = forms.CharField(label="标段名称", max_length=200, required=False)
    bid_bond_amount = forms.DecimalField(label="投标保证金（元）", max_digits=18, decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class BaseSectionFormSet(forms.BaseFormSet):
    def rows(self):
        """The sections the user kept: filled-in rows not ticked for deletion."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if not any(data.get(k) not in (None, "") for k in ("number", "name", "bid_bond_amount")):
                continue  # a blank spare row
            rows.append({k: data.get(k) for k in ("id", "number", "name", "bid_bond_amount")})
        return rows

    def form_for_row(self, index):
        """The form behind the index-th kept row, to show a service error beside it."""
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and any(form.cleaned_data.get(k) not in (None, "") for k in ("number", "name", "bid_bond_amount"))
        ]
        return kept[index] if 0 <= index < len(kept) else None


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=0, can_delete=True, max_num=200, absolute_max=200
)


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label="资料类型", choices=[("", "请选择…"), *DocumentType.choices])
    file = forms.FileField(
        label=f"文件（{DOCUMENT_EXTENSIONS}，不超过{DOCUMENT_MAX_BYTES // (1024 * 1024)}MB）",
        widget=forms.FileInput(attrs={"accept": ".pdf,.ofd,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
