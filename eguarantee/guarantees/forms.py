from decimal import Decimal

from django import forms

from eguarantee.core.forms import BootstrapForm


class InspectForm(BootstrapForm):
    number = forms.CharField(label="保函编号", max_length=40, required=False)
    code = forms.CharField(label="验真码", max_length=16, required=False)
    project = forms.CharField(label="项目编号或名称", max_length=200, required=False)
    applicant = forms.CharField(label="申请人名称或统一社会信用代码", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(k, "").strip() for k in ("number", "project", "applicant")):
            raise forms.ValidationError("请输入保函编号，或项目、申请人作为查验条件。")
        return data


class ApplicationForm(BootstrapForm):
    guarantee_type = forms.ModelChoiceField(label="保函类型", queryset=None)
    section = forms.ModelChoiceField(label="项目标段", queryset=None, required=False, help_text="投标保函必选")
    guarantor = forms.ModelChoiceField(label="保证人", queryset=None)
    amount = forms.DecimalField(label="担保金额（元）", max_digits=18, decimal_places=2, min_value=0)
    start_date = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="失效日期", widget=forms.DateInput(attrs={"type": "date"}))
    beneficiary_name = forms.CharField(label="受益人名称", max_length=200, required=False, help_text="非投标保函填写")
    beneficiary_credit_code = forms.CharField(label="受益人统一社会信用代码", max_length=18, required=False)
    sealed = forms.BooleanField(label="密文出函", required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        from eguarantee.catalog.choices import APPLICATION_FIELDS
        from eguarantee.catalog.selectors import enabled_types

        from .services import EXTRA_FIELDS

        for key in EXTRA_FIELDS:  # what 履约、支付、质量、农民工工资保函 ask for; the service checks which
            self.fields[key] = forms.CharField(
                label=APPLICATION_FIELDS[key], max_length=200, required=False, help_text="按保函类型要求填写"
            )
        from eguarantee.guarantors.selectors import selectable_guarantors
        from eguarantee.projects.models import Section
        from eguarantee.projects.selectors import projects_for

        self.fields["guarantee_type"].queryset = enabled_types()
        self.fields["section"].queryset = Section.objects.filter(project__in=projects_for(actor)).select_related(
            "project"
        )
        self.fields["section"].label_from_instance = lambda s: f"{s.project.name} / {s.number} {s.name}"
        self.fields["guarantor"].queryset = selectable_guarantors()


class ApproveForm(BootstrapForm):
    rate = forms.DecimalField(
        label="费率（%）",
        max_digits=7,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text="留空按本机构公布的最低费率",
    )
    comment = forms.CharField(label="审核意见", max_length=500, required=False)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BootstrapForm):
    comment = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(BootstrapForm):
    reference = forms.CharField(label="付款流水号或凭证号", max_length=100)
    comment = forms.CharField(label="说明", max_length=500, required=False)


class SurrenderForm(BootstrapForm):
    reason = forms.CharField(label="退保原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    abnormal = forms.ChoiceField(label="项目异常情况", required=False, help_text="投标保函开标后退保须选择")

    def __init__(self, *args, **kwargs):
        from .choices import AbnormalReason

        super().__init__(*args, **kwargs)
        self.fields["abnormal"].choices = [("", "（无）"), *AbnormalReason.choices]


class AttachmentForm(BootstrapForm):
    key = forms.ChoiceField(label="附件类别")
    file = forms.FileField(label="文件", help_text="PDF、图片、Word、Excel 或 OFD，按文件内容核对类型")

    def __init__(self, *args, guarantee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(a["key"], a["label"]) for a in guarantee.guarantee_type.required_attachments]


SORTS = [("premium", "保费最低"), ("turnaround", "出函最快"), ("rating", "信用等级")]


class QuoteForm(BootstrapForm):
    guarantee_type = forms.ModelChoiceField(label="保函类型", queryset=None)
    section = forms.ModelChoiceField(label="项目标段", queryset=None, required=False)
    region_code = forms.CharField(label="行政区划代码", max_length=6, required=False, help_text="不选标段时填写")
    amount = forms.DecimalField(label="担保金额（元）", max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("premium", "保费最低"), ("turnaround", "出函最快"), ("rating", "信用等级")],
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        from eguarantee.catalog.selectors import enabled_types
        from eguarantee.projects.models import Section
        from eguarantee.projects.selectors import projects_for

        self.fields["guarantee_type"].queryset = enabled_types()
        self.fields["section"].queryset = Section.objects.filter(project__in=projects_for(actor)).select_related(
            "project"
        )
        self.fields["section"].label_from_instance = lambda s: f"{s.project.name} / {s.number} {s.name}"

    def clean(self):
        from eguarantee.core import regions

        data = super().clean()
        section = data.get("section")
        region = section.project.region_code if section else (data.get("region_code") or "").strip()
        if not regions.is_valid(region):
            raise forms.ValidationError("请选择项目标段，或填写有效的行政区划代码。")
        data["region"] = region
        return data


class EditApplicationForm(BootstrapForm):
    """What the applicant may change in a draft (type, project and section stay)."""

    guarantor = forms.ModelChoiceField(label="保证人", queryset=None)
    amount = forms.DecimalField(label="担保金额（元）", max_digits=18, decimal_places=2, min_value=0)
    start_date = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="失效日期", widget=forms.DateInput(attrs={"type": "date"}))
    sealed = forms.BooleanField(label="密文出函", required=False)

    def __init__(self, *args, guarantee=None, **kwargs):
        from eguarantee.catalog.choices import APPLICATION_FIELDS
        from eguarantee.guarantors.selectors import selectable_guarantors

        from .services import EXTRA_FIELDS

        super().__init__(*args, **kwargs)
        self.fields["guarantor"].queryset = selectable_guarantors()
        for key in guarantee.guarantee_type.application_fields:
            if key in EXTRA_FIELDS:
                self.fields[key] = forms.CharField(label=APPLICATION_FIELDS[key], max_length=200)


class InfoRequestForm(BootstrapForm):
    comment = forms.CharField(label="需要补充的资料", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(BootstrapForm):
    new_amount = forms.DecimalField(
        label="变更后担保金额（元）",
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="不变更请留空",
    )
    new_end_date = forms.DateField(
        label="变更后失效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="不变更请留空"
    )
    reason = forms.CharField(label="变更原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentApproveForm(BootstrapForm):
    additional_premium = forms.DecimalField(
        label="应补保费（元）", max_digits=18, decimal_places=2, min_value=0, required=False
    )
    comment = forms.CharField(label="审核意见", max_length=500, required=False)
