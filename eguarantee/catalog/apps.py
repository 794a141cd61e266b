from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "eguarantee.catalog"
    label = "catalog"
    verbose_name = "保函类型管理"

    def ready(self):
        from . import menus  # noqa: F401
