from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "eguarantee.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from . import menus  # noqa: F401
