from django.apps import AppConfig


class GuarantorsConfig(AppConfig):
    name = "eguarantee.guarantors"
    label = "guarantors"
    verbose_name = "保证人管理"

    def ready(self):
        from . import menus  # noqa: F401
