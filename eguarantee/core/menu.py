"""The side menu and the permission tree are one registry: module → page → action.

Each app registers its modules in its AppConfig.ready(). The menu shows a page when the user
holds its `permission`; the role editor shows the same tree with a checkbox per action, so a
page added here is automatically both navigable and grantable.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Action:
    permission: str  # "app_label.codename"
    label: str


@dataclass
class Page:
    label: str
    url_name: str
    permission: str
    icon: str = "bi-file-earmark"
    actions: list[Action] = field(default_factory=list)

    @cached_property
    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"

    @property
    def all_actions(self):
        return [Action(self.permission, "查看"), *self.actions]


@dataclass
class Module:
    key: str
    label: str
    icon: str
    pages: list[Page]
    order: int = 100


_registry: dict[str, Module] = {}


def register(module: Module):
    """Add a module, or add pages to one that another app registered first."""
    existing = _registry.get(module.key)
    if existing is None:
        _registry[module.key] = module
    else:
        existing.pages.extend(p for p in module.pages if p.url_name not in {q.url_name for q in existing.pages})


def modules():
    return sorted(_registry.values(), key=lambda m: (m.order, m.key))


def menu_for(user):
    """The modules and pages this user may open, in menu order."""
    if not user.is_authenticated:
        return []
    perms = user.get_all_permissions()
    visible = []
    for module in modules():
        pages = [page for page in module.pages if page.permission in perms]
        if pages:
            visible.append({"module": module, "pages": pages})
    return visible


def all_permissions():
    """Every permission that appears in the tree, in tree order, without repeats."""
    seen = []
    for module in modules():
        for page in module.pages:
            for action in page.all_actions:
                if action.permission not in seen:
                    seen.append(action.permission)
    return seen


_sidebar_cache: dict[frozenset, list] = {}


def sidebar_html(user, path):
    """The side menu as HTML. The links a set of permissions opens are built once per
    process and kept; each request only marks the page it is on."""
    if not user.is_authenticated:
        return ""
    perms = frozenset(user.get_all_permissions())
    parts = _sidebar_cache.get(perms)
    if parts is None:
        parts = []
        for entry in menu_for(user):
            module = entry["module"]
            parts.append((None, format_html(MODULE_HTML, module.icon, module.label)))
            for page in entry["pages"]:
                parts.append((page.url, format_html(PAGE_HTML, "{active}", page.url, page.icon, page.label)))
        if len(_sidebar_cache) < 1000:  # permission sets are few; never grow without bound
            _sidebar_cache[perms] = parts
    html = []
    for url, fragment in parts:
        if url is None:
            html.append(fragment)
        else:
            html.append(fragment.replace("{active}", " active" if path[:12] == url[:12] else ""))
    return mark_safe("".join(html))  # noqa: S308  fragments built with format_html


MODULE_HTML = '<div class="menu-module text-muted small px-3 pt-3 pb-1"><i class="bi {}"></i> {}</div>'
PAGE_HTML = '<a class="nav-link ps-4{}" href="{}"><i class="bi {}"></i> {}</a>'
