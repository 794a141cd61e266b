from django import forms
from django.contrib.auth.models import Permission

from eguarantee.core import menu
from eguarantee.core.forms import BootstrapForm, BootstrapModelForm

from .choices import SELF_REGISTERING_TYPES
from .models import Organization, Role, User
from .validators import validate_bank_account, validate_credit_code, validate_mobile, validate_region_code


class LoginForm(BootstrapForm):
    username = forms.CharField(label="用户名或手机号", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class PasswordField(forms.CharField):
    widget = forms.PasswordInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("help_text", "至少8位，包含大写字母、小写字母、数字、特殊字符中的至少3类，不能包含用户名。")
        super().__init__(*args, **kwargs)


class ConfirmPasswordMixin:
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned


class RegistrationForm(ConfirmPasswordMixin, BootstrapForm):
    org_type = forms.ChoiceField(label="注册类型", choices=[(t.value, t.label) for t in SELF_REGISTERING_TYPES])
    name = forms.CharField(label="单位名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    region_code = forms.CharField(label="行政区划代码", max_length=6, validators=[validate_region_code])
    address = forms.CharField(label="单位地址", max_length=300, required=False)
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    basic_account_bank = forms.CharField(label="基本账户开户银行", max_length=100, required=False)
    basic_account_number = forms.CharField(
        label="基本账户账号", max_length=32, required=False, validators=[validate_bank_account]
    )
    business_licence = forms.FileField(label="营业执照（PDF/JPG/PNG，不超过10MB）")
    full_name = forms.CharField(label="联系人姓名", max_length=50)
    mobile = forms.CharField(label="手机号码", max_length=11, validators=[validate_mobile])
    email = forms.EmailField(label="电子邮箱", required=False)
    username = forms.RegexField(
        label="登录用户名",
        max_length=150,
        regex=r"^[A-Za-z][A-Za-z0-9_.-]{3,149}$",
        error_messages={"invalid": "用户名须以字母开头，4位以上，只含字母、数字、下划线、点或短横线。"},
    )
    password = PasswordField(label="密码")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)

    def clean_credit_code(self):
        value = self.cleaned_data["credit_code"].strip().upper()
        validate_credit_code(value)
        return value


class ForgotPasswordForm(BootstrapForm):
    mobile = forms.CharField(label="注册手机号码", max_length=11, validators=[validate_mobile])


class ResetPasswordForm(ConfirmPasswordMixin, BootstrapForm):
    mobile = forms.CharField(label="注册手机号码", max_length=11, validators=[validate_mobile])
    code = forms.RegexField(label="短信验证码", regex=r"^\d{6}$", error_messages={"invalid": "验证码为6位数字。"})
    password = PasswordField(label="新密码")
    password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput, strip=False)


class ChangePasswordForm(ConfirmPasswordMixin, BootstrapForm):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, strip=False)
    password = PasswordField(label="新密码")
    password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput, strip=False)


class RejectForm(BootstrapForm):
    reason = forms.CharField(label="驳回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OrganizationForm(BootstrapModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "credit_code",
            "org_type",
            "region_code",
            "address",
            "legal_representative",
            "basic_account_bank",
            "basic_account_number",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and not actor.is_platform:
            for name in ("name", "credit_code", "org_type"):
                self.fields[name].disabled = True

    def validate_unique(self):
        """Uniqueness is the service's to decide, with its own message."""


class UserForm(BootstrapModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "mobile", "email"]

    def validate_unique(self):
        """The service checks username and mobile, with its own message."""


class UserCreateForm(ConfirmPasswordMixin, UserForm):
    organization = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    roles = forms.ModelMultipleChoiceField(
        label="角色", queryset=Role.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    password = PasswordField(label="初始密码", help_text="用户首次登录时须修改密码。")
    password2 = forms.CharField(label="确认初始密码", widget=forms.PasswordInput, strip=False)

    class Meta(UserForm.Meta):
        fields = ["organization", *UserForm.Meta.fields]

    def __init__(self, *args, organizations=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if roles is None:
            del self.fields["roles"]
        else:
            self.fields["roles"].queryset = roles
            self.fields["roles"].widget.attrs = {"class": "form-check-input"}


class RoleAssignForm(BootstrapForm):
    roles = forms.ModelMultipleChoiceField(
        label="角色", queryset=Role.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = roles
        self.fields["roles"].widget.attrs = {"class": "form-check-input"}


class AdminResetPasswordForm(ConfirmPasswordMixin, BootstrapForm):
    password = PasswordField(label="新初始密码", help_text="用户下次登录时须修改密码。")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)


class RoleForm(BootstrapModelForm):
    permissions = forms.MultipleChoiceField(label="权限", required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Role
        fields = ["name", "code", "org_type", "description", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = [(p, p) for p in menu.all_permissions()]
        if self.instance.pk:
            self.initial["permissions"] = [
                f"{ct}.{code}"
                for ct, code in self.instance.permissions.values_list("content_type__app_label", "codename")
            ]

    def validate_unique(self):
        """The service checks name and code."""

    def permission_objects(self):
        wanted = self.cleaned_data.get("permissions") or []
        result = []
        for item in wanted:
            app_label, codename = item.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                result.append(perm)
        return result

    def tree(self):
        """module → page → action, each action with whether it is checked."""
        checked = set(self["permissions"].value() or [])
        return [
            {
                "module": module,
                "pages": [
                    {"page": page, "actions": [(a, a.permission in checked) for a in page.all_actions]}
                    for page in module.pages
                ],
            }
            for module in menu.modules()
        ]
