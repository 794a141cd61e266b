"""Fresh databases and bulk-built evidence logs for the evidence benchmarks.

Unlike the guarantee benchmarks (PostgreSQL only), these run on whichever database the
platform is configured for: a fresh PostgreSQL database next to the one DATABASE_URL names,
or, without DATABASE_URL, a fresh SQLite file of their own. Each benchmark's measuring code
is a function that runs in a Django process of its own (`run_fresh`), and prints its figures
as JSON.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child's own start: Django set up, and a signing key of its own unless given one, since
# the production settings (DEBUG=0) never make one.
CHILD = """
import json, sys, django
django.setup()
from django.conf import settings
from eguarantee.evidence.signing import KeyPair
settings.EVIDENCE_SIGNING_KEY = settings.EVIDENCE_SIGNING_KEY or KeyPair.generate().to_hex()
from {module} import {function} as job
print(json.dumps(job(**json.loads(sys.argv[1]))))
"""


def database_label():
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def child_env(name, extra=None):
    """The environment of a benchmark process on the fresh database `name`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eguarantee.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "z" * 40,
        "VAR_DIR": str(ROOT / "var" / f"bench-{name}"),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": str(ROOT),
        **(extra or {}),
    }
    if database_label() == "postgresql":
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    else:
        env.pop("DATABASE_URL", None)
    return env


def create(env):
    """A new, migrated database for `env` (dropping what an interrupted run left)."""
    drop(env)
    if env.get("DATABASE_URL"):
        from bench.list_page import ensure_database

        ensure_database(env["DATABASE_URL"])
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def drop(env):
    if env.get("DATABASE_URL"):
        from bench.guarantee_data import _drop

        _drop(env["DATABASE_URL"])
    shutil.rmtree(env["VAR_DIR"], ignore_errors=True)


def call(env, job, **kwargs):
    """Run `job` ("module:function") in a Django process on `env`'s database; its result."""
    module, function = job.split(":")
    code = CHILD.format(module=module, function=function)
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(kwargs)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"benchmark job {job} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_fresh(name, job, *, extra_env=None, **kwargs):
    """`call` in a database made for it and dropped afterwards."""
    env = child_env(name, extra_env)
    create(env)
    try:
        return call(env, job, **kwargs)
    finally:
        drop(env)


# ---------------------------------------------------------------- in the Django process


def var_dir():
    """The benchmark's own folder (its SQLite database lives there too)."""
    from django.conf import settings

    return str(settings.VAR_DIR)


def demo_parties():
    """The demo users and organizations the generated guarantees belong to."""
    from eguarantee.accounts import demo
    from eguarantee.catalog.models import GuaranteeType

    users = demo.seed()
    return {
        "applicant": users["applicant_admin"].organization,
        "guarantor": users["guarantor_admin"].organization,
        "beneficiary": users["beneficiary_admin"].organization,
        "guarantee_type": GuaranteeType.objects.get(code="bid"),
        "user": users["applicant_operator"],
        "department": users["department_admin"].organization,
    }


def generate_guarantees(total):
    """`total` issued guarantees in one INSERT … SELECT (guarantee_data.generate on
    PostgreSQL; its twin with a recursive CTE on SQLite, which has no generate_series)."""
    from django.db import connection
    from django.utils import timezone

    from bench import guarantee_data

    parties = demo_parties()
    if connection.vendor == "postgresql":
        guarantee_data.generate(total, 0, **parties)
        return
    today = timezone.localdate()
    now = timezone.now().astimezone(datetime.UTC).replace(tzinfo=None)
    sql = """
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %(total)s)
        {INSERT_GUARANTEES}
        SELECT
            'GEN' || %(stamp)s || printf('%%09d', i),
            'GEN' || %(stamp)s || 'TB' || printf('%%09d', i),
            'GENCODE1', %(type)s, 'issued', %(applicant)s, %(guarantor)s,
            %(beneficiary)s, %(beneficiary_name)s, %(beneficiary_code)s, %(department)s, 200000, 200000,
            %(start)s, date(%(today)s, '+' || (1 + i %% 360) || ' days'),
            0, '{}', 'filed', %(now)s, '', '', '', %(user)s,
            strftime('%%Y-%%m-%%d %%H:%%M:%%f', %(now)s, '-' || (%(total)s - i) || ' seconds'), %(now)s
        FROM seq
    """
    params = {
        "stamp": now.strftime("%H%M%S"),
        "type": parties["guarantee_type"].pk,
        "applicant": parties["applicant"].pk,
        "guarantor": parties["guarantor"].pk,
        "beneficiary": parties["beneficiary"].pk,
        "beneficiary_name": parties["beneficiary"].name,
        "beneficiary_code": parties["beneficiary"].credit_code,
        "department": parties["department"].pk,
        "start": today.replace(day=1).isoformat(),
        "today": today.isoformat(),
        "total": total,
        "now": now.isoformat(sep=" ", timespec="microseconds"),
        "user": parties["user"].pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{INSERT_GUARANTEES}", guarantee_data.INSERT_GUARANTEES), params)


CHUNK = 50_000


def append_leaves(leaves):
    """Append (kind, object_id, subject_id, data) leaves straight into the tree: Entry rows
    with their indexes and the Node rows of every subtree they complete, as the sequencer
    would write them, but in bulk (COPY on PostgreSQL). Returns the new tree size.

    For building big logs fast; the benchmarks that measure appending go through
    services.record() and the sequencer instead."""
    from django.db import connection, transaction
    from django.utils import timezone

    from eguarantee.evidence import merkle, tree
    from eguarantee.evidence.models import Entry, LogState, Node, node_key

    tree.integrate()  # whatever the demo data left pending goes first, in its order
    h = tree.hasher()
    now = timezone.now()
    with transaction.atomic():
        state = tree._state()
        edge = merkle.root_nodes(state.size)
        known = tree.fetch(edge) if edge else {}
        compact = merkle.CompactRange(h, state.size, [known[node] for node in edge])
        leaves = iter(leaves)
        while True:
            entries, nodes = [], []
            for kind, object_id, subject_id, data in leaves:
                entries.append((kind, object_id, subject_id, data, compact.size, now))
                made = compact.append(h.leaf(data.encode()))
                nodes.extend((node_key(level, index), value) for level, index, value in made)
                if len(entries) == CHUNK:
                    break
            if not entries:
                break
            _write(connection, Entry, ("kind", "object_id", "subject_id", "data", "index", "created_at"), entries)
            _write(connection, Node, ("key", "hash"), nodes)
        LogState.objects.filter(pk=1).update(size=compact.size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Entry._meta.db_table}; ANALYZE {Node._meta.db_table}")
    return compact.size


def _write(connection, model, columns, rows):
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("%s" for _ in columns)
            adapt = connection.ops.adapt_datetimefield_value
            rows = [tuple(adapt(v) if isinstance(v, datetime.datetime) else v for v in row) for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
