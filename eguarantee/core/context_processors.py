from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from . import menu


def platform(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "unread_messages": user.unread_messages if authenticated else 0,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "side_menu": SimpleLazyObject(lambda: menu.menu_for(user) if user is not None else []),
        "sidebar": SimpleLazyObject(lambda: menu.sidebar_html(user, request.path) if user is not None else ""),
        "request_id": getattr(request, "request_id", ""),
    }


def csrf(request):
    """The CSRF token masked once per page. Django's Jinja2 backend masks it afresh for
    every `csrf_token` and `csrf_input` a page prints (a random string each time)."""
    token = SimpleLazyObject(lambda: get_token(request))
    return {
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(
            lambda: format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(token))
        ),
    }
