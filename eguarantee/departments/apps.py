from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "eguarantee.departments"
    label = "departments"
    verbose_name = "行政管理部门配置管理"

    def ready(self):
        from . import menus, signals  # noqa: F401
