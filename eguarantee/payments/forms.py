from django import forms

from eguarantee.core.forms import BootstrapForm


class VoucherForm(BootstrapForm):
    payer_account = forms.CharField(label="付款账号", max_length=64, help_text="申请人基本账户或付款银行账号")
    amount = forms.DecimalField(label="转账金额（元）", max_digits=18, decimal_places=2, help_text="须与应付保费一致")
    file = forms.FileField(label="转账凭证", help_text="银行回单的 PDF 或图片（JPG、PNG），按文件内容核对类型")


class CommentForm(BootstrapForm):
    comment = forms.CharField(label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="退回原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
