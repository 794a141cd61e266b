"""Password policy (等保三级 practice): length, character classes, not the username, not one
of the last N passwords. Django runs these validators wherever a password is set."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", str.isdigit),
    ("特殊字符", lambda c: not c.isalnum()),
)


class ComplexityValidator:
    def __init__(self, min_length=8, min_classes=3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码长度至少为{self.min_length}位。", code="password_too_short")
        present = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"至少{self.min_length}位，包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。"


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class HistoryValidator:
    def __init__(self, history=5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        recent = user.password_history.all()[: self.history]
        if any(check_password(password, entry.password) for entry in recent):
            raise ValidationError(f"新密码不能与最近{self.history}次使用过的密码相同。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近{self.history}次使用过的密码相同。"
