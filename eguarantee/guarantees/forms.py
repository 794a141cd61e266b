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
