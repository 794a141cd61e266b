from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "eguarantee.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import menus, permission_stamps  # noqa: F401
        from .services import ensure_default_roles

        post_migrate.connect(ensure_default_roles, dispatch_uid="default_roles")
        permission_stamps.connect()
