from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

# (user id, date joined, permissions_stamp) → permission names, per process. A role change
# moves the stamp (permission_stamps.py), so an entry is never wrong, only unused; the size
# bound is for those. The date tells apart a user id that SQLite hands out again after a
# rolled-back insert.
_CACHE = {}
_CACHE_LIMIT = 20_000


class RoleBackend(ModelBackend):
    """Permissions come from the user's enabled roles only, cached per process under the
    user's permissions_stamp: disabling a role takes effect on the user's next request.
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
            key = (user_obj.pk, user_obj.date_joined, user_obj.permissions_stamp)
            perms = _CACHE.get(key)
            if perms is None:
                if len(_CACHE) >= _CACHE_LIMIT:
                    _CACHE.clear()
                perms = _CACHE[key] = frozenset(self._all_permission_names(user_obj))
            user_obj._perm_cache = perms
        return user_obj._perm_cache
