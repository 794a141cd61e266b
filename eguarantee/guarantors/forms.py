from django import forms
from django.utils import timezone

from eguarantee.catalog.models import GuaranteeType
from eguarantee.core.forms import bootstrap

from . import selectors
from .models import Clause, GuarantorProfile, Offer, Qualification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """Labels and widgets from the model; the rules (and their messages) are the service's,
    so the model's own validation is not run here."""

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def _post_clean(self):
        pass

    @property
    def creating(self):
        return self.instance.pk is None

    def guarantor_field(self, queryset):
        """The guarantor is chosen once, on creation, among those the actor may keep."""
        if self.creating:
            self.fields["guarantor"] = forms.ModelChoiceField(label="保证人", queryset=queryset, empty_label="请选择")
            self.order_fields(["guarantor", *self.fields])
            if queryset.count() == 1:
                self.fields["guarantor"].initial = queryset.first().pk
        bootstrap(self)


class ProfileForm(ServiceModelForm):
    class Meta:
        model = GuarantorProfile
        fields = [
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
        ]
        widgets = {"rating_date": DATE, "introduction": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.creating:
            choices = selectors.manageable_guarantors(self.actor).filter(guarantor_profile__isnull=True)
            self.fields["organization"] = forms.ModelChoiceField(
                label="保证人单位", queryset=choices, empty_label="请选择"
            )
            self.order_fields(["organization", *self.fields])
            bootstrap(self)
        if not self.actor.is_platform:
            self.fields["enabled"].disabled = True
            if not self.creating:
                self.fields["short_code"].disabled = True


class QualificationForm(ServiceModelForm):
    certificate = forms.FileField(label="资质证书文件（PDF/JPG/PNG，不超过10MB）", required=False)

    class Meta:
        model = Qualification
        fields = ["kind", "name", "licence_number", "issuing_body", "valid_from", "valid_to", "is_historical"]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guarantor_field(selectors.manageable_guarantors(self.actor).filter(guarantor_profile__isnull=False))
        self.fields["certificate"].required = self.creating
        if not self.creating:
            self.fields["certificate"].help_text = "不上传则保留原证书文件"


class RegionsField(forms.CharField):
    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, (list, tuple)) else value


class OfferForm(ServiceModelForm):
    regions = RegionsField(
        label="服务区域",
        help_text="6位行政区划代码，多个用顿号、逗号或空格分隔；上级代码覆盖其全部下级，如 350000 表示福建全省",
    )

    class Meta:
        model = Offer
        fields = [
            "regions",
            "rate_min",
            "rate_max",
            "min_premium",
            "max_single_amount",
            "total_capacity",
            "turnaround_hours",
            "enabled",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.creating:
            self.fields["guarantee_type"] = forms.ModelChoiceField(
                label="保函类型", queryset=GuaranteeType.objects.filter(enabled=True), empty_label="请选择"
            )
            self.order_fields(["guarantee_type", *self.fields])
        self.guarantor_field(selectors.manageable_guarantors(self.actor).filter(guarantor_profile__isnull=False))
        self.fields["turnaround_hours"].min_value = None
        self.fields["turnaround_hours"].validators = []


class ClauseForm(ServiceModelForm):
    class Meta:
        model = Clause
        fields = ["title", "body", "effective_from", "effective_to"]
        widgets = {"effective_from": DATE, "effective_to": DATE, "body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.creating:
            self.fields["guarantee_type"] = forms.ModelChoiceField(
                label="保函类型", queryset=GuaranteeType.objects.filter(enabled=True), empty_label="请选择"
            )
            self.order_fields(["guarantee_type", *self.fields])
        self.guarantor_field(selectors.manageable_guarantors(self.actor).filter(guarantor_profile__isnull=False))
        if self.instance.status == "published":
            # Editing a published version writes a new one: it starts on a new date, open-ended
            # unless an end is given.
            self.initial["effective_from"] = timezone.localdate()
            self.initial["effective_to"] = None
            self.fields[
                "effective_from"
            ].help_text = "保存后将发布新版本（原版本不变），原版本的失效日期自动设为新版本生效日期的前一天"
