import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .policy import login_refusal
from .services import password_expired

# Paths a user with an expired password may still reach: the change form, logout, assets.
OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/readyz", "/accounts/logout/", "/accounts/password/change/")


class AccountPolicyMiddleware:
    """Applies account state on every request, not only at login: a locked or deactivated
    account loses its session at once, and an expired password must be changed first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            action_context = getattr(request, "action_context", None)
            if action_context is not None:
                action_context.user = user
            refusal = login_refusal(user, check_temporary_lock=False)
            if refusal is not None:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"error": {"code": refusal[0], "message": refusal[1], "details": {}}}, status=401
                    )
                messages.error(request, refusal[1])
                return redirect("accounts:login")
            if password_expired(user) and not request.path.startswith(OPEN_PREFIXES):
                message = "首次登录或密码已过期，请先修改密码。"
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"error": {"code": "password_change_required", "message": message, "details": {}}},
                        status=403,
                    )
                messages.warning(request, message)
                return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        response = self.get_response(request)
        touch_session(request)
        return response


def touch_session(request):
    """Idle timeout: renew the session's expiry when the user is active, at most once a
    SESSION_TOUCH_SECONDS (the timeout is then exact to within that interval)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated or session.is_empty():
        return
    now = int(time.time())
    if now - session.get("_touched", 0) >= settings.SESSION_TOUCH_SECONDS:
        session["_touched"] = now
