"""Find a named module in every platform app (`<app>.roles`, `<app>.demo`, …).

Apps contribute to shared registries this way, so adding a module never means editing the
foundation's lists."""

import importlib

from django.apps import apps


def app_modules(submodule, *, exclude=()):
    """The `<app>.<submodule>` modules of the eguarantee apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("eguarantee.") or config.name in exclude:
            continue
        name = f"{config.name}.{submodule}"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only the module itself may be missing; a broken import inside it must surface.
            if not name.startswith(exc.name or "\0"):
                raise
