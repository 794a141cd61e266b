from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eguarantee.accounts import demo
from eguarantee.core.apphooks import app_modules


class Command(BaseCommand):
    help = "Load demo organizations and one user per built-in role (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在开发环境（DEBUG=1）运行，生产环境禁止加载演示数据。")
        users = demo.seed()
        # Each module's demo records (guarantors' offers, projects, …), in INSTALLED_APPS order.
        for module in app_modules("demo", exclude=("eguarantee.accounts",)):
            module.seed_demo(users)
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for code, user in users.items():
            self.stdout.write(f"  {code:22s} {user.full_name}  {user.organization.name}")
