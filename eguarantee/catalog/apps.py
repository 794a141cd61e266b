from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "eguarantee.catalog"
    label = "catalog"
    verbose_name = "保函类型管理"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import menus  # noqa: F401
        from .builtin import ensure_builtin_types

        post_migrate.connect(ensure_builtin_types, sender=self, dispatch_uid="builtin_guarantee_types")
