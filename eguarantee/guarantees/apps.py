from django.apps import AppConfig


class GuaranteesConfig(AppConfig):
    name = "eguarantee.guarantees"
    label = "guarantees"
    verbose_name = "电子保函管理"

    def ready(self):
        from . import evidence, figures, menus  # noqa: F401

        figures.connect()
        evidence.connect()
