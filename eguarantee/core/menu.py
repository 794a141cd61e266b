"""The side menu and the permission tree are one registry: module → page → action.

Each app registers its modules in its AppConfig.ready(). The menu shows a page when the user
holds its `permission`; the role editor shows the same tree with a checkbox per action, so a
page added here is automatically both navigable and grantable.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property


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
