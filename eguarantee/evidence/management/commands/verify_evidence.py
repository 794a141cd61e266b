"""Re-hash the database against the evidence log; exit 1 and name every record that no longer
matches, and every break in the tree or the audit chains."""

import json

from django.core.management.base import BaseCommand

from eguarantee.evidence import checker


class Command(BaseCommand):
    help = "核验存证：重算每条记录与叶子、整棵树、签名树头与审计哈希链，列出被改动、删除或绕过平台写入的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        report = checker.check()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "problems": report.problems,
                        "leaves": report.leaves,
                        "records": report.records,
                        "audit_rows": report.audit_rows,
                        "seconds": round(report.seconds, 3),
                        "leaves_per_second": round(report.rate),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            for problem in report.problems:
                self.stdout.write(self.style.ERROR(f"✘ {problem}"))
            summary = (
                f"叶子 {report.leaves}，业务记录 {report.records}，审计日志 {report.audit_rows}；"
                f"用时 {report.seconds:.2f} 秒（{report.rate:,.0f} 叶子/秒）"
            )
            if report.ok:
                self.stdout.write(self.style.SUCCESS(f"✔ 存证核验通过：{summary}"))
            else:
                self.stdout.write(self.style.ERROR(f"存证核验发现 {len(report.problems)} 处问题：{summary}"))
        if not report.ok:
            raise SystemExit(1)
