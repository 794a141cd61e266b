from django import forms

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization


class WitnessForm(forms.Form):
    name = forms.SlugField(label="见证节点名称", max_length=64, help_text="英文字母、数字、连字符，如 xm-zjj。")
    organization = forms.ModelChoiceField(
        label="运行单位",
        queryset=Organization.objects.filter(org_type__in=[OrgType.DEPARTMENT, OrgType.GUARANTOR]).order_by("name"),
        help_text="运行见证节点的行政主管部门或保证人。",
    )
    public_key = forms.CharField(
        label="SM2公钥",
        max_length=200,
        help_text="见证节点运行 python -m eguarantee.evidence.witness --print-public-key 得到的公钥。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
