from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "eguarantee.projects"
    label = "projects"
    verbose_name = "工程项目管理"

    def ready(self):
        from . import menus, signals  # noqa: F401

        signals.connect()
