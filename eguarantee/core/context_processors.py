from django.conf import settings
from django.utils.functional import SimpleLazyObject

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
