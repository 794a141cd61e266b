"""Every write on organizations, users and roles. One function per action (Zulip's shape):
it checks permission and state, writes inside one transaction (the audit rows go with it
through the change log signals), and queues notifications for after the commit."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from eguarantee.audit.models import LoginLog
from eguarantee.core import context
from eguarantee.core.exceptions import Conflict, NotAllowed, RateLimited, ServiceError, full_clean_or_error
from eguarantee.core.permissions import require_perm, require_same_organization
from eguarantee.core.uploads import check_upload, file_digests
from eguarantee.notifications import services as notify

from . import selectors
from .choices import SELF_REGISTERING_TYPES, OrgStatus, SmsPurpose, UserStatus
from .models import Organization, PasswordHistory, Role, SmsCode, User
from .policy import login_refusal
from .roles import FIRST_USER_ROLE
from .validators import normalize_credit_code, validate_credit_code, validate_mobile


def _limits():
    return settings.ACCOUNT_SECURITY


def _first_message(error: ValidationError):
    return error.messages[0] if error.messages else "输入有误。"


# ---------------------------------------------------------------- passwords


def validate_new_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), code="weak_password", field="password") from None


def set_password(user, password, *, must_change=False):
    """Validate against the policy, set, and remember the hash for the history rule."""
    validate_new_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = settings.ACCOUNT_SECURITY.get("PASSWORD_HISTORY_KEEP", 20)
    stale = user.password_history.values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def change_password(user, old_password, new_password):
    if not user.check_password(old_password):
        raise ServiceError("原密码不正确。", code="wrong_password", field="old_password")
    set_password(user, new_password)
    return user


def password_expired(user):
    if user.must_change_password:
        return True
    max_age = _limits()["PASSWORD_MAX_AGE_DAYS"]
    if not max_age or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)


# ---------------------------------------------------------------- registration (6.1.3)


def _check_unique(credit_code, mobile, username, *, exclude_user=None):
    if credit_code and Organization.objects.filter(credit_code=credit_code).exists():
        raise ServiceError(
            "该统一社会信用代码已注册，请直接登录或找回密码。", code="duplicate_credit_code", field="credit_code"
        )
    users = User.objects.exclude(pk=exclude_user.pk) if exclude_user else User.objects.all()
    if mobile and users.filter(mobile=mobile).exists():
        raise ServiceError("该手机号码已被其他账号使用。", code="duplicate_mobile", field="mobile")
    if username and users.filter(username__iexact=username).exists():
        raise ServiceError("该用户名已被使用。", code="duplicate_username", field="username")


def _attach_licence(org, licence):
    try:
        check_upload(licence)
    except ValidationError as exc:
        raise ServiceError(
            _first_message(exc), code=exc.error_list[0].code or "invalid_file", field="business_licence"
        ) from None
    digests = file_digests(licence)
    org.licence_sha256 = digests["sha256"]
    org.licence_sm3 = digests["sm3"]
    org.business_licence = licence


def register_organization(*, organization, user, password, licence):
    """Create an organization and its first user, both pending until a platform
    administrator approves them (6.11.1). `organization` and `user` are dicts of fields."""
    org_type = organization.get("org_type")
    if org_type not in SELF_REGISTERING_TYPES:
        raise ServiceError("只有申请人、保证人、受益人可以自行注册。", code="invalid_org_type", field="org_type")
    credit_code = normalize_credit_code(organization.get("credit_code"))
    try:
        validate_credit_code(credit_code)
        validate_mobile(user.get("mobile"))
    except ValidationError as exc:
        field = "credit_code" if exc.code == "invalid_credit_code" else "mobile"
        raise ServiceError(_first_message(exc), code=exc.code, field=field) from None
    if licence is None:
        raise ServiceError("请上传营业执照。", code="licence_required", field="business_licence")
    _check_unique(credit_code, user.get("mobile"), user.get("username"))

    try:
        with transaction.atomic():
            org = Organization(**{**organization, "credit_code": credit_code, "status": OrgStatus.PENDING})
            _attach_licence(org, licence)
            full_clean_or_error(org, exclude=["business_licence"])
            org.save()
            account = User(**user, organization=org)
            validate_new_password(password, account)
            full_clean_or_error(account, exclude=["password"])
            account.save()
            set_password(account, password)
            account.groups.add(Role.objects.get(code=FIRST_USER_ROLE[org_type]))
            for admin in selectors.platform_admins():
                notify.send_in_site(
                    admin,
                    f"新注册单位待审批：{org.name}",
                    f"{org.get_org_type_display()}“{org.name}”提交了注册申请，请审批。",
                    reverse("accounts:registration_detail", args=[org.pk]),
                )
    except IntegrityError:
        # A concurrent registration took the code, number or name between check and insert.
        raise ServiceError("统一社会信用代码、手机号或用户名已被注册。", code="duplicate", field=None) from None
    return org, account


def _lock_pending(org):
    locked = Organization.objects.select_for_update().get(pk=org.pk)
    if locked.status != OrgStatus.PENDING:
        reviewer = locked.reviewed_by or "其他管理员"
        raise Conflict(
            f"该注册申请已由{reviewer}处理（当前状态：{locked.get_status_display()}），无需重复审批。",
            code="already_reviewed",
        )
    return locked


def _tell_registrants(org, title, body):
    for account in org.users.filter(is_active=True):
        notify.send_in_site(account, title, body, reverse("accounts:login"))
        if account.mobile:
            notify.queue_sms(account.mobile, f"【{settings.PLATFORM_NAME}】{body}", purpose="registration_review")


@transaction.atomic
def approve_organization(org, *, actor):
    require_perm(actor, "accounts.approve_organization")
    org = _lock_pending(org)
    org.status = OrgStatus.APPROVED
    org.reviewed_by = actor
    org.reviewed_at = timezone.now()
    org.review_comment = "审批通过"
    org.save()
    _tell_registrants(org, "注册审批通过", f"您的单位“{org.name}”注册申请已审批通过，现在可以登录平台。")
    return org


@transaction.atomic
def reject_organization(org, *, actor, reason):
    require_perm(actor, "accounts.approve_organization")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("驳回时必须填写原因。", code="reason_required", field="reason")
    org = _lock_pending(org)
    org.status = OrgStatus.REJECTED
    org.reviewed_by = actor
    org.reviewed_at = timezone.now()
    org.review_comment = reason[:500]
    org.save()
    _tell_registrants(org, "注册审批未通过", f"您的单位“{org.name}”注册申请未通过审批，原因：{org.review_comment}")
    return org


@transaction.atomic
def set_organization_locked(org, *, actor, locked):
    require_perm(actor, "accounts.lock_organization")
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.is_platform:
        raise NotAllowed("不能锁定平台运营方。")
    if locked and org.status != OrgStatus.APPROVED:
        raise Conflict("只能锁定已审批通过的单位。", code="invalid_state")
    if not locked and org.status != OrgStatus.LOCKED:
        raise Conflict("该单位未被锁定。", code="invalid_state")
    org.status = OrgStatus.LOCKED if locked else OrgStatus.APPROVED
    org.save()
    return org


@transaction.atomic
def create_organization(*, actor, data):
    """Organizations the platform creates itself (departments, external systems, …)."""
    require_perm(actor, "accounts.add_organization")
    data = {**data, "credit_code": normalize_credit_code(data.get("credit_code"))}
    _check_unique(data["credit_code"], None, None)
    org = Organization(**data, status=OrgStatus.APPROVED, reviewed_by=actor, reviewed_at=timezone.now())
    full_clean_or_error(org)
    org.save()
    return org


@transaction.atomic
def update_organization(org, *, actor, data):
    require_perm(actor, "accounts.change_organization")
    require_same_organization(actor, org.pk)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if "credit_code" in data:
        data["credit_code"] = normalize_credit_code(data["credit_code"])
        if Organization.objects.exclude(pk=org.pk).filter(credit_code=data["credit_code"]).exists():
            raise ServiceError(
                "该统一社会信用代码已被其他单位使用。", code="duplicate_credit_code", field="credit_code"
            )
    if not actor.is_platform:
        # An organization edits its contact data; identity and type stay with the platform.
        data = {k: v for k, v in data.items() if k not in {"credit_code", "org_type", "name", "status"}}
    licence = data.pop("business_licence", None)
    for key, value in data.items():
        setattr(org, key, value)
    if licence:
        _attach_licence(org, licence)
    full_clean_or_error(org, exclude=["business_licence"])
    org.save()
    return org


@transaction.atomic
def delete_organization(org, *, actor):
    require_perm(actor, "accounts.delete_organization")
    if org.is_platform:
        raise NotAllowed("不能删除平台运营方。")
    if org.users.exists():
        raise Conflict("该单位下仍有用户账号，不能删除；可改为锁定。", code="in_use")
    org.delete()


# ---------------------------------------------------------------- users (6.11.2)


def _require_manage(actor, permission, target_org_id):
    require_perm(actor, permission)
    require_same_organization(actor, target_org_id, "不能管理其他单位的用户。")


def _check_roles(actor, target, roles):
    allowed = set(selectors.assignable_roles(actor, target).values_list("pk", flat=True))
    for role in roles:
        if role.pk not in allowed:
            raise ServiceError(f"角色“{role.name}”不能分配给该单位的用户。", code="role_not_assignable", field="roles")


@transaction.atomic
def create_user(*, actor, organization, data, password, roles=()):
    """An administrator adds a user; the first login must change the password."""
    _require_manage(actor, "accounts.add_user", organization.pk)
    _check_unique(None, data.get("mobile"), data.get("username"))
    user = User(**data, organization=organization)
    validate_new_password(password, user)
    full_clean_or_error(user, exclude=["password"])
    user.save()
    set_password(user, password, must_change=True)
    if roles:
        require_perm(actor, "accounts.assign_role")
        _check_roles(actor, user, roles)
        user.groups.set(roles)
    return user


@transaction.atomic
def update_user(user, *, actor, data):
    _require_manage(actor, "accounts.change_user", user.organization_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == UserStatus.DEACTIVATED:
        raise Conflict("该账号已注销，不能修改。", code="deactivated")
    _check_unique(None, data.get("mobile"), data.get("username"), exclude_user=user)
    for key, value in data.items():
        setattr(user, key, value)
    full_clean_or_error(user, exclude=["password"])
    user.save()
    return user


@transaction.atomic
def assign_roles(user, *, actor, roles):
    _require_manage(actor, "accounts.assign_role", user.organization_id)
    _check_roles(actor, user, roles)
    user.groups.set(roles)
    return user


@transaction.atomic
def deactivate_user(user, *, actor):
    """删除 in the standard: the account can no longer be used, its history stays."""
    _require_manage(actor, "accounts.delete_user", user.organization_id)
    if user.pk == actor.pk:
        raise NotAllowed("不能注销自己的账号。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == UserStatus.DEACTIVATED:
        raise Conflict("该账号已注销。", code="deactivated")
    user.status = UserStatus.DEACTIVATED
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save()
    return user


@transaction.atomic
def set_user_locked(user, *, actor, locked):
    _require_manage(actor, "accounts.lock_user", user.organization_id)
    if user.pk == actor.pk:
        raise NotAllowed("不能锁定自己的账号。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == UserStatus.DEACTIVATED:
        raise Conflict("该账号已注销。", code="deactivated")
    if locked:
        if user.status == UserStatus.LOCKED:
            raise Conflict("该账号已处于锁定状态。", code="invalid_state")
        user.status = UserStatus.LOCKED
    else:
        if user.status != UserStatus.LOCKED and not (user.locked_until and user.locked_until > timezone.now()):
            raise Conflict("该账号未被锁定。", code="invalid_state")
        user.status = UserStatus.ACTIVE
        user.locked_until = None
        user.failed_login_count = 0
    user.save()
    return user


@transaction.atomic
def admin_reset_password(user, *, actor, password):
    _require_manage(actor, "accounts.change_user", user.organization_id)
    set_password(user, password, must_change=True)
    return user


# ---------------------------------------------------------------- roles (6.11.3)


@transaction.atomic
def save_role(*, actor, data, permissions=None, role=None):
    require_perm(actor, "accounts.change_role" if role else "accounts.add_role")
    if role is None:
        role = Role()
    else:
        role = Role.objects.select_for_update().get(pk=role.pk)
        if role.builtin and data.get("code", role.code) != role.code:
            raise ServiceError("内置角色的编码不能修改。", code="builtin_role", field="code")
    if Role.objects.exclude(pk=role.pk).filter(name=data.get("name")).exists():
        raise ServiceError("已有同名角色。", code="duplicate_name", field="name")
    if Role.objects.exclude(pk=role.pk).filter(code=data.get("code")).exists():
        raise ServiceError("已有相同编码的角色。", code="duplicate_code", field="code")
    for key, value in data.items():
        setattr(role, key, value)
    full_clean_or_error(role)
    role.save()
    if permissions is not None:
        role.permissions.set(permissions)
    return role


@transaction.atomic
def set_role_enabled(role, *, actor, enabled):
    require_perm(actor, "accounts.change_role")
    role = Role.objects.select_for_update().get(pk=role.pk)
    role.enabled = enabled
    role.save(update_fields=["enabled", "updated_at"])
    return role


@transaction.atomic
def delete_role(role, *, actor):
    require_perm(actor, "accounts.delete_role")
    role = Role.objects.select_for_update().get(pk=role.pk)
    holders = role.user_set.count()
    if holders:
        raise Conflict(f"该角色仍分配给{holders}个用户，请先取消分配再删除。", code="role_in_use")
    if role.builtin:
        raise Conflict("内置角色不能删除，可以禁用。", code="builtin_role")
    role.delete()


# ---------------------------------------------------------------- login security


class LoginRefused(ServiceError):
    status = 401


def _log_login(username, user, success, reason="", message=""):
    ctx = context.current()
    LoginLog.objects.create(
        username=username[:150],
        user=user,
        user_name=user.username if user else username[:150],
        organization_id=user.organization_id if user else None,
        ip=ctx.ip,
        request_id=ctx.request_id,
        user_agent=ctx.user_agent,
        success=success,
        reason=reason,
        message=message[:300],
    )


def _ip_throttled(ip):
    if not ip:
        return False
    limits = _limits()
    since = timezone.now() - timedelta(minutes=limits["IP_WINDOW_MINUTES"])
    return LoginLog.objects.filter(ip=ip, success=False, time__gte=since).count() >= limits["IP_FAILURES"]


def authenticate_login(username, password):
    """Check a login attempt; returns the user, or raises LoginRefused with a code and a
    Chinese message. Every attempt is in the login log, success or not."""
    limits = _limits()
    ctx = context.current()
    if _ip_throttled(ctx.ip):
        message = "该IP登录失败次数过多，请稍后再试。"
        _log_login(username, None, False, "ip_throttled", message)
        raise LoginRefused(message, code="ip_throttled")
    user = selectors.find_login_user(username)
    if user is None:
        # Hash anyway so that timing does not tell which names exist.
        make_password(password)
        message = "用户名或密码错误。"
        _log_login(username, None, False, "unknown_user", message)
        raise LoginRefused(message, code="invalid_credentials")
    if user.locked_until and user.locked_until > timezone.now():
        code, message = login_refusal(user)
        _log_login(username, user, False, code, message)
        raise LoginRefused(message, code=code)
    if not user.check_password(password):
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
            user.refresh_from_db(fields=["failed_login_count"])
            left = limits["LOCKOUT_FAILURES"] - user.failed_login_count
            if left <= 0:
                user.locked_until = timezone.now() + timedelta(minutes=limits["LOCKOUT_MINUTES"])
                user.failed_login_count = 0
                user.save(update_fields=["locked_until", "failed_login_count"])
                code = "temporarily_locked"
                message = f"密码连续错误{limits['LOCKOUT_FAILURES']}次，账号已锁定{limits['LOCKOUT_MINUTES']}分钟。"
            else:
                code = "invalid_credentials"
                message = f"用户名或密码错误，还可尝试{left}次。"
            _log_login(username, user, False, code if code != "invalid_credentials" else "wrong_password", message)
        raise LoginRefused(message, code=code)
    refusal = login_refusal(user)
    if refusal is not None:
        code, message = refusal
        _log_login(username, user, False, code, message)
        raise LoginRefused(message, code=code)
    now = timezone.now()
    user.previous_login_at = user.last_login
    user.previous_login_ip = user.last_login_ip
    user.last_login = now
    user.last_login_ip = ctx.ip
    user.failed_login_count = 0
    user.locked_until = None
    user.save(
        update_fields=[
            "previous_login_at",
            "previous_login_ip",
            "last_login",
            "last_login_ip",
            "failed_login_count",
            "locked_until",
        ]
    )
    _log_login(username, user, True, "ok", "登录成功")
    return user


# ---------------------------------------------------------------- password recovery by SMS


GENERIC_CODE_SENT = "如果该手机号码已注册，验证码已发送，5分钟内有效。"
GENERIC_CODE_INVALID = "验证码错误或已失效，请重新获取。"


def _hash_code(code):
    return make_password(code)


def request_password_reset(mobile):
    """Send a code if the number belongs to a usable account. The answer and the rate
    limits are the same whether it does or not, so nobody learns which numbers exist."""
    limits = _limits()
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise ServiceError(_first_message(exc), code="invalid_mobile", field="mobile") from None
    now = timezone.now()
    with transaction.atomic():
        recent = SmsCode.objects.filter(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET)
        if recent.filter(created_at__gt=now - timedelta(seconds=limits["SMS_CODE_INTERVAL_SECONDS"])).exists():
            raise RateLimited("验证码发送过于频繁，请1分钟后再试。", code="sms_too_frequent")
        if recent.filter(created_at__gt=now - timedelta(days=1)).count() >= limits["SMS_CODE_DAILY_LIMIT"]:
            raise RateLimited("该手机号今日获取验证码次数已达上限，请明天再试。", code="sms_daily_limit")
        code = f"{secrets.randbelow(1_000_000):06d}"
        SmsCode.objects.create(
            mobile=mobile,
            purpose=SmsPurpose.PASSWORD_RESET,
            code_hash=_hash_code(code),
            created_at=now,
            expires_at=now + timedelta(seconds=limits["SMS_CODE_TTL_SECONDS"]),
            ip=context.current().ip,
        )
        user = User.objects.filter(mobile=mobile, is_active=True).first()
        if user is not None:
            notify.queue_sms(
                mobile,
                f"【{settings.PLATFORM_NAME}】您正在找回密码，验证码{code}，5分钟内有效。如非本人操作请忽略。",
                purpose="password_reset",
            )
    return GENERIC_CODE_SENT


def reset_password_with_code(mobile, code, new_password):
    """Wrong, expired and used codes get the same answer; a wrong guess counts against the
    code even though the request fails (the count commits, the reset does not)."""
    with transaction.atomic():
        error = _consume_code(mobile, code, new_password)
    if error is not None:
        raise error
    return User.objects.get(mobile=mobile)


def _consume_code(mobile, code, new_password):
    now = timezone.now()
    invalid = ServiceError(GENERIC_CODE_INVALID, code="invalid_code", field="code")
    sms_code = (
        SmsCode.objects.select_for_update()
        .filter(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET)
        .order_by("-created_at", "-id")
        .first()
    )
    user = User.objects.filter(mobile=mobile, is_active=True).first()
    if sms_code is None or sms_code.used_at or sms_code.expires_at <= now or user is None:
        return invalid
    if sms_code.attempts >= _limits()["SMS_CODE_MAX_ATTEMPTS"]:
        return invalid
    if not (code and check_password(code, sms_code.code_hash)):
        SmsCode.objects.filter(pk=sms_code.pk).update(attempts=F("attempts") + 1)
        return invalid
    set_password(user, new_password)  # raises (and rolls back) on a weak or reused password
    sms_code.used_at = now
    sms_code.save(update_fields=["used_at"])
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    return None


# ---------------------------------------------------------------- set-up


def ensure_default_roles(app_config=None, **kwargs):
    """Create the built-in roles that are missing and give every built-in role the default
    permissions it has not been given before (post_migrate). A permission an administrator
    took away from a role is not given back."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is not None and app_config.label != last.label:
        return  # wait for the last app, so that every app's permissions exist

    from .roles import DEFAULT_ROLES, default_grants

    grants = default_grants()
    for code, name, org_type, _perms, description in DEFAULT_ROLES:
        role = Role.objects.filter(code=code).first()
        if role is None:
            role = Role.objects.create(code=code, name=name, org_type=org_type, builtin=True, description=description)
        new = [perm for perm in grants.get(code, []) if perm not in role.granted_defaults]
        if not new:
            continue
        granted = []
        for perm in new:
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                role.permissions.add(permission)
                granted.append(perm)
        if granted:
            role.granted_defaults = [*role.granted_defaults, *granted]
            role.save(update_fields=["granted_defaults"])
