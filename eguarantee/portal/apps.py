from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "eguarantee.portal"
    label = "portal"
    verbose_name = "门户网站"
