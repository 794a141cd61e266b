"""Whether an account may be used now, and why not: one place for the rules that login,
the session middleware and the permission backend all apply."""

from django.utils import timezone

from .choices import OrgStatus, UserStatus

REFUSALS = {
    "deactivated": "该账号已注销。",
    "user_locked": "该账号已被管理员锁定，请联系管理员。",
    "temporarily_locked": "登录失败次数过多，账号已临时锁定，请{minutes}分钟后再试或找回密码。",
    "org_pending": "您的注册申请正在审批中，审批通过后即可登录。",
    "org_rejected": "您的注册申请未通过审批：{reason}",
    "org_locked": "所属单位已被锁定，请联系平台管理员。",
    "no_organization": "该账号未关联单位，请联系平台管理员。",
}


def login_refusal(user, *, check_temporary_lock=True):
    """None when the account may be used; otherwise (code, message)."""
    if user.status == UserStatus.DEACTIVATED or not user.is_active:
        return "deactivated", REFUSALS["deactivated"]
    if user.status == UserStatus.LOCKED:
        return "user_locked", REFUSALS["user_locked"]
    if check_temporary_lock and user.locked_until and user.locked_until > timezone.now():
        minutes = max(1, int((user.locked_until - timezone.now()).total_seconds() // 60) + 1)
        return "temporarily_locked", REFUSALS["temporarily_locked"].format(minutes=minutes)
    org = user.organization
    if org is None:
        return "no_organization", REFUSALS["no_organization"]
    if org.status == OrgStatus.PENDING:
        return "org_pending", REFUSALS["org_pending"]
    if org.status == OrgStatus.REJECTED:
        return "org_rejected", REFUSALS["org_rejected"].format(reason=org.review_comment or "未说明")
    if org.status == OrgStatus.LOCKED:
        return "org_locked", REFUSALS["org_locked"]
    return None
