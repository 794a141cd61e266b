from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    """Permissions come from the user's enabled roles only. Django caches them on the user
    object, which lives for one request, so disabling a role takes effect on the next one.
    Accounts that may not log in (locked, deactivated, organization not approved) hold no
    permissions at all, even with a live session."""

    def user_can_authenticate(self, user):
        from .policy import login_refusal

        return super().user_can_authenticate(user) and login_refusal(user) is None

    def get_user(self, user_id):
        """The session's user, whatever the account's state: AccountPolicyMiddleware then
        ends a refused account's session and tells the user why (locked, deactivated, …).
        Refusing here instead would turn them silently into an anonymous visitor."""
        user_model = get_user_model()
        try:
            return user_model._default_manager.select_related("organization").get(pk=user_id)
        except user_model.DoesNotExist:
            return None

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__user=user_obj, group__role__enabled=True)

    def _all_permission_names(self, user_obj):
        """User and enabled-role permissions in one query (a list page asks on every view)."""
        rows = (
            Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj, group__role__enabled=True))
            .values_list("content_type__app_label", "codename")
            .distinct()
        )
        return {f"{app_label}.{codename}" for app_label, codename in rows}

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        from .policy import login_refusal

        if login_refusal(user_obj, check_temporary_lock=False) is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):  # Django's per-request cache attribute
            user_obj._perm_cache = self._all_permission_names(user_obj)
        return user_obj._perm_cache
