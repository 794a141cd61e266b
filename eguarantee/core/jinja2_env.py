"""The Jinja2 environment our pages are rendered with.

Why Jinja2 rather than Django's own engine: templates compile to Python, so the page shell
and list pages cost a fraction of what the Django engine spends on them (measured by
`make bench`). Django's engine stays configured for the libraries that ship templates of
their own (DRF, drf-spectacular); form widgets use Django's Jinja2 ones (FORM_RENDERER).
"""

from functools import lru_cache

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.template.defaultfilters import date as format_date
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from jinja2 import Environment


def url(name, *args, **kwargs):
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _plain_url(name, get_script_prefix())


@lru_cache(maxsize=512)
def _plain_url(name, prefix):
    # A URL without arguments never changes while the process runs (the URLconf is fixed);
    # the script prefix is part of the key for deployments under a sub-path.
    return reverse(name)


# A static file's URL, kept once built: the storage maps a name to the same URL for as long
# as the process runs (the manifest of hashed names is read once, at start), so every page
# need not look up and join its stylesheets and scripts again.
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


def date(value, pattern="Y-m-d H:i"):
    """Django's date format letters, in the platform's time zone (as the Django engine does)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_date(value, pattern)


def dash(value, placeholder="—"):
    """None and empty strings shown as a dash; 0 and False shown as they are."""
    return placeholder if value is None or value == "" else value


def show(value):
    """A detail page's value as list tables show it: local time, 是/否, — for nothing."""
    from .tables import format_value

    return format_value(value)


def environment(**options):
    env = Environment(**options)  # noqa: S701  autoescape is set in settings.TEMPLATES
    env.globals.update(url=url, static=static)
    env.filters.update(date=date, dash=dash, show=show)
    return env
