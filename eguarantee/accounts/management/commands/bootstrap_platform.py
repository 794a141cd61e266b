"""First start of a production deployment: the platform operator's organization and its
first system administrator (seed_demo is for development only).

    manage.py bootstrap_platform --name "某某工程担保服务中心" --credit-code 91350200... \\
        --region 350200 --username sysadmin --full-name 张三 --mobile 139xxxxxxxx

The password is read from the PLATFORM_ADMIN_PASSWORD environment variable or asked for; it
must pass the password policy, and the administrator must change it at first login.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from eguarantee.accounts import services
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.core.exceptions import ServiceError


class Command(BaseCommand):
    help = "Create the platform operator's organization and its first system administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="平台运营方单位名称")
        parser.add_argument("--credit-code", required=True, help="统一社会信用代码")
        parser.add_argument("--region", required=True, help="6位行政区划代码")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--mobile", required=True)

    def handle(self, *args, **options):
        if Organization.objects.filter(org_type=OrgType.PLATFORM).exists():
            raise CommandError("平台运营方已存在：请登录后台新增管理员，不要重复初始化。")
        password = os.environ.get("PLATFORM_ADMIN_PASSWORD") or getpass.getpass("初始密码：")
        services.ensure_default_roles()
        try:
            with transaction.atomic():
                org = Organization(
                    name=options["name"],
                    credit_code=options["credit_code"].strip().upper(),
                    org_type=OrgType.PLATFORM,
                    region_code=options["region"],
                    status=OrgStatus.APPROVED,
                    reviewed_at=timezone.now(),
                    review_comment="平台初始化",
                )
                services.full_clean_or_error(org)
                org.save()
                user = User(
                    username=options["username"],
                    full_name=options["full_name"],
                    mobile=options["mobile"],
                    organization=org,
                )
                services.validate_new_password(password, user)
                services.full_clean_or_error(user, exclude=["password"])
                user.save()
                services.set_password(user, password, must_change=True)
                user.groups.add(Role.objects.get(code="platform_admin"))
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已创建平台运营方“{org.name}”和系统管理员 {user.username}（首次登录须修改密码）。")
        self.stdout.write("请用该账号登录后新增安全管理员和审计管理员（三权分立）。")
