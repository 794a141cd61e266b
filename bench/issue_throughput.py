"""Benchmark: issuing guarantees (保函编号, 验真码, PDF from the template, the guarantor's
PAdES signature, SM3/SHA-256, events) as fast as the platform can, with one process per core.

Target (issue 4): ≥ 20 guarantees per second on 2 cores, on PostgreSQL.
"""

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_ISSUE_COUNT", "200"))


def _setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(env, count):
    """Paid guarantees ready to issue (as approval and payment leave them); returns their ids."""
    _setup_django(env)
    import datetime

    from django.utils import timezone

    from eguarantee.accounts import demo
    from eguarantee.catalog.selectors import template_in_force
    from eguarantee.core.apphooks import app_modules
    from eguarantee.guarantees.choices import GuaranteeStatus
    from eguarantee.guarantees.models import Guarantee
    from eguarantee.guarantors.selectors import clause_in_force
    from eguarantee.projects.demo import DEMO_NUMBER
    from eguarantee.projects.models import Section

    users = demo.seed()
    for module in app_modules("demo", exclude=("eguarantee.accounts",)):
        module.seed_demo(users)
    section = Section.objects.filter(project__number=DEMO_NUMBER).order_by("number").first()
    sample = Guarantee.objects.filter(status=GuaranteeStatus.ISSUED).first()
    template = template_in_force(sample.guarantor, sample.guarantee_type)
    clause = clause_in_force(sample.guarantor, sample.guarantee_type)
    today = timezone.localdate()
    rows = [
        Guarantee(
            order_number=f"BENCH{time.time_ns() % 10**12:012d}{i:06d}",
            guarantee_type=sample.guarantee_type,
            status=GuaranteeStatus.PAID,
            applicant=sample.applicant,
            guarantor=sample.guarantor,
            beneficiary=sample.beneficiary,
            beneficiary_name=sample.beneficiary_name,
            beneficiary_credit_code=sample.beneficiary_credit_code,
            project=section.project,
            section=section,
            department=sample.department,
            amount=section.bid_bond_amount,
            rate=sample.rate,
            premium=sample.premium,
            start_date=today,
            end_date=today + datetime.timedelta(days=90),
            template=template,
            clause=clause,
            created_by=users["applicant_operator"],
        )
        for i in range(count)
    ]
    return [g.pk for g in Guarantee.objects.bulk_create(rows)]


def issue_all(args):
    env, ids = args
    _setup_django(env)
    from django.db import connection

    from eguarantee.accounts.models import User
    from eguarantee.guarantees import services
    from eguarantee.guarantees.models import Guarantee

    actor = User.objects.get(username="guarantor_reviewer")
    services.issue(Guarantee.objects.get(pk=ids[0]), actor=actor)  # warm: fonts, key, templates
    started = time.perf_counter()
    for pk in ids[1:]:
        services.issue(Guarantee.objects.get(pk=pk), actor=actor)
    elapsed = time.perf_counter() - started
    connection.close()
    return len(ids) - 1, elapsed


def main(seconds=None, repeats=None):
    from bench.list_page import ensure_database

    env = {
        "DJANGO_SETTINGS_MODULE": "eguarantee.settings",
        "DEBUG": "1",
        "VAR_DIR": os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench")),
        "LOG_LEVEL": "WARNING",
        "PKI_DEMO_CA": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
    }
    ensure_database(env["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    processes = int(os.environ.get("BENCH_ISSUE_PROCESSES", "2"))
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        ids = pool.apply(prepare, (env, COUNT))
    shares = [ids[i::processes] for i in range(processes)]
    wall = time.perf_counter()
    with context.Pool(processes) as pool:
        results = pool.map(issue_all, [(env, share) for share in shares])
    wall = time.perf_counter() - wall
    issued = sum(n for n, _ in results)
    slowest = max(elapsed for _, elapsed in results)
    rate = round(issued / slowest, 1) if slowest else 0.0
    return {
        "name": "guarantee_issue_throughput",
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
        "processes": processes,
        "guarantees_issued": issued,
        "seconds": round(slowest, 2),
        "guarantees_per_second": rate,
        "ms_per_guarantee_per_process": round(slowest / (issued / processes) * 1000, 1) if issued else None,
        "targets": {"guarantees_per_second": 20},
        "meets_targets": rate >= 20,
    }
