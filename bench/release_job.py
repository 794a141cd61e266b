"""Benchmark: the daily release job (解保) on 100,000 expired guarantees among 1,000,000.

Target (issue 4): ≤ 60 s on PostgreSQL. BENCH_RELEASE_TOTAL / BENCH_RELEASE_EXPIRED scale it.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOTAL = int(os.environ.get("BENCH_RELEASE_TOTAL", "1000000"))
EXPIRED = int(os.environ.get("BENCH_RELEASE_EXPIRED", "100000"))
DATABASE = "eguarantee_bench_release"


def _database_url():
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/eguarantee_bench"
    return base.rsplit("/", 1)[0] + "/" + DATABASE


def main(seconds=None, repeats=None):
    from bench.list_page import ensure_database

    url = _database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eguarantee.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "y" * 40,
        "DATABASE_URL": url,
        "VAR_DIR": str(ROOT / "var" / "bench-release"),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }
    # A database of its own, made afresh and dropped afterwards (a million rows).
    _drop(url)
    ensure_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = f"""
import time, json, django
django.setup()
from eguarantee.accounts import demo
from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees import services
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from bench import guarantee_data
users = demo.seed()
started = time.perf_counter()
guarantee_data.generate({TOTAL}, {EXPIRED}, applicant=users["applicant_admin"].organization,
    guarantor=users["guarantor_admin"].organization, beneficiary=users["beneficiary_admin"].organization,
    guarantee_type=GuaranteeType.objects.get(code="bid"), user=users["applicant_operator"],
    department=users["department_admin"].organization)
generated = time.perf_counter() - started
started = time.perf_counter()
released = services.release_expired()
elapsed = time.perf_counter() - started
again = services.release_expired()
print(json.dumps({{"generated_s": round(generated, 1), "released": released, "seconds": round(elapsed, 1),
    "second_run_released": again, "events": GuaranteeEvent.objects.filter(action="release").count()}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    )
    import json

    _drop(url)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "name": "release_job",
        "database": "postgresql",
        "guarantees": TOTAL,
        "expired": EXPIRED,
        "generate_seconds": result["generated_s"],
        "released": result["released"],
        "seconds": result["seconds"],
        "second_run_released": result["second_run_released"],
        "release_events": result["events"],
        "targets": {"seconds": 60, "released": EXPIRED},
        "meets_targets": result["released"] == EXPIRED
        and result["seconds"] <= 60
        and result["second_run_released"] == 0,
    }


def _drop(url):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    server = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"], "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
