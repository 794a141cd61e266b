"""API defaults named in settings (permission, pagination). Kept apart from core.api: DRF
imports them while its own views module loads, so this module may import nothing from rest_framework.views."""

from rest_framework import pagination, permissions

ACTION_PERMS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ModelActionPermission(permissions.BasePermission):
    """list/retrieve need view_<model>, create add_, update change_, destroy delete_.
    Extra actions name theirs with @action(..., permission="app.codename")."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        perm = required_permission(view)
        return perm is None or user.has_perm(perm)


def required_permission(view):
    explicit = getattr(view, "permission", None)  # set per extra action by @action(permission=...)
    if explicit:
        return explicit
    verb = ACTION_PERMS.get(getattr(view, "action", None))
    model = getattr(view, "model", None)
    if verb and model is not None:
        return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"
    return None


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
