from django.conf import settings

from . import menu


def platform(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "unread_messages": user.messages.filter(read_at__isnull=True).count() if authenticated else 0,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "side_menu": menu.menu_for(user) if user is not None else [],
        "request_id": getattr(request, "request_id", ""),
    }
