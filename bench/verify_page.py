"""Benchmark: the public 保函查验 by number and code under 16 concurrent clients, against a
bare Django view on the same server, started the same way (as list_page does).

Two ways in, both measured: POST /api/v1/verify/ (JSON) and the page, POST /verify/ (form,
Jinja2; no CSRF token, as the lookup changes nothing). Each answer is the platform's
record with the document's inclusion proof, checked against the signed head's root and signature before it is shown. The
guarantee is the demo's issued one (issued through the services, PDF and all); the log
holds BENCH_VERIFY_PAGE_LEAVES more leaves (default 1,000,000), so the proof is as long as
in a real log. VERIFY_RATE_PER_MINUTE is lifted: every request comes from one address.

Target (evidence log issue): throughput ratio ≥ 0.5 against the bare view.
"""

import http.client
import json
import os
import subprocess
import sys
from urllib.parse import urlencode

from bench import evidence_data, load
from bench.list_page import ROOT, free_port, wait_until_up

LEAVES = int(os.environ.get("BENCH_VERIFY_PAGE_LEAVES", "1000000"))
TARGET = 0.5


def prepare(leaves):
    """The demo data, `leaves` more leaves and a signed head; the issued guarantee's number
    and code, checked to verify."""
    from eguarantee.accounts import demo
    from eguarantee.core.apphooks import app_modules
    from eguarantee.evidence import services, verification
    from eguarantee.guarantees.models import Guarantee

    users = demo.seed()
    for module in app_modules("demo", exclude=("eguarantee.accounts",)):
        module.seed_demo(users)
    evidence_data.append_leaves(("bench.leaf", i, None, f'{{"id":{i},"kind":"bench.leaf"}}') for i in range(leaves))
    head = services.publish_head()
    guarantee = Guarantee.objects.filter(status="issued").exclude(number=None).order_by("pk").first()
    result = verification.by_number(guarantee.number, guarantee.verification_code, "127.0.0.1")
    assert result.genuine and result.evidence.verified, "the demo guarantee does not verify"
    return {"number": guarantee.number, "code": guarantee.verification_code, "tree_size": head.size}


def _once(port, method, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def main(seconds=10.0, clients=16, repeats=3):
    from eguarantee.evidence.signing import KeyPair

    extra = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "VERIFY_RATE_PER_MINUTE": str(10**9),
        "EVIDENCE_SIGNING_KEY": KeyPair.generate().to_hex(),
        "PKI_DEMO_CA": "1",  # the demo guarantor signs its PDF with a certificate of the demo CA
    }
    env = evidence_data.child_env("eguarantee_bench_verify_page", extra)
    evidence_data.create(env)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        found = evidence_data.call(env, "bench.verify_page:prepare", leaves=LEAVES)
        runs = _measure(env, found, seconds, clients, repeats)
    finally:
        evidence_data.drop(env)
    bare, api, page = (load.combine(runs[path]) for path in ("/bench/bare/", "/api/v1/verify/", "/verify/"))
    ratios = {
        name: round(result["throughput_rps"] / bare["throughput_rps"], 3) if bare["throughput_rps"] else 0.0
        for name, result in (("api", api), ("page", page))
    }
    return {
        "name": "verify_page",
        "database": evidence_data.database_label(),
        "tree_size": found["tree_size"],
        "bare_view": bare,
        "api_verify": api,
        "page_verify": page,
        "throughput_ratio": ratios,
        "targets": {"throughput_ratio": TARGET},
        "meets_targets": all(ratio >= TARGET for ratio in ratios.values()),
    }


def _measure(env, found, seconds, clients, repeats):
    port = free_port()
    workers = os.environ.get("BENCH_WORKERS", "2")
    threads = os.environ.get("BENCH_THREADS", "4")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "bench.wsgi_app", "-b", f"127.0.0.1:{port}", "-w", workers),
            *("-k", "gthread", "--threads", threads, "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    api_body = json.dumps({"number": found["number"], "code": found["code"]}).encode()
    page_body = urlencode({"mode": "number", "number": found["number"], "code": found["code"]}).encode()
    loads = {
        "/bench/bare/": ("GET", b"", {}),
        "/api/v1/verify/": ("POST", api_body, {"Content-Type": "application/json"}),
        "/verify/": (
            "POST",
            page_body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
    }
    try:
        wait_until_up(port)
        for path, (method, body, headers) in loads.items():  # each answers, and says genuine
            status, text = _once(port, method, path, body, headers)
            assert status == 200, (path, status, text[:500])
            assert path == "/bench/bare/" or ('"genuine":true' in text or "真实有效" in text), (path, text[:500])
        # Alternating short slices, as in list_page: the machine's drift slows all alike.
        slices = max(2, int(repeats) * 4)
        per_slice = max(1.0, seconds * repeats / slices)
        runs = {path: [] for path in loads}
        for _ in range(slices):
            for path, (method, body, headers) in loads.items():
                result = load.run(
                    "127.0.0.1",
                    port,
                    path,
                    method=method,
                    body=body,
                    headers={"Host": "127.0.0.1", **headers},
                    clients=clients,
                    seconds=per_slice,
                )
                runs[path].append(result)
        return runs
    finally:
        server.terminate()
        server.wait(timeout=10)
