from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
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
        "static": static,
    }


# A static file's URL, kept once built: the storage maps a name to the same URL for as long
# as the process runs (the manifest of hashed names is read once, at start), so every page
# need not look up and join its stylesheets and scripts again. Templates rendered without a
# request (no context processors) use the environment's own `static`, with the same result.
_static_urls: dict[str, str] = {}


def static(path):
    url = _static_urls.get(path)
    if url is None:
        url = staticfiles_storage.url(path)
        if len(_static_urls) < 1000:  # names come from templates: few; never grow without bound
            _static_urls[path] = url
    return url


def _forget_static_urls(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS"):  # tests switching storage
        _static_urls.clear()


setting_changed.connect(_forget_static_urls)


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
