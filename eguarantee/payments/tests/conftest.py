"""Fixtures of the payments tests: a guarantee awaiting its premium, a gateway key the
platform trusts (to sign notifications in tests), and the sandbox gateway as a real process."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.tests.factories import issued
from eguarantee.payments.sandbox_server import Keys

PREMIUM = Decimal("1200.00")


@pytest.fixture
def awaiting(demo_users):
    """A guarantee of the demo parties, approved and awaiting its premium of 1200.00 元."""
    return issued(demo_users, status=GuaranteeStatus.AWAITING_PAYMENT, premium=PREMIUM, issued_at=None)


@pytest.fixture
def gateway_keys(settings, tmp_path):
    """The gateway's key pair; the platform is configured with the public half's file."""
    keys = Keys(tmp_path / "gateway" / "notify-sm2.key")
    settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE = str(keys.public_path)
    settings.PAYMENT_GATEWAY = "sandbox"
    return keys


@pytest.fixture
def sandbox(settings, tmp_path):
    """start(retry_delays="…") runs `python -m eguarantee.payments.sandbox_server` on a free
    loopback port and points the platform at it; the process is stopped after the test."""
    processes = []

    def start(retry_delays="30"):
        key_dir = tmp_path / "sandbox-keys"
        log = open(tmp_path / "sandbox.log", "ab")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "eguarantee.payments.sandbox_server",
                "--port",
                "0",
                "--key-dir",
                str(key_dir),
                "--retry-delays",
                retry_delays,
            ],
            cwd=django_settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        processes.append((process, log))
        line = process.stdout.readline().decode()
        assert "listening on http://" in line, line
        url = line.strip().rsplit(" ", 1)[-1]
        _wait_until_up(url)
        settings.PAYMENT_SANDBOX_URL = url
        settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE = str(Path(key_dir) / "notify-sm2.pub")
        return url

    yield start
    for process, log in processes:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


def _wait_until_up(url, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def signed(keys, order=None, **fields):
    """A notification body for `order`, signed with `keys`; `fields` override any value."""
    values = {
        "out_trade_no": order.out_trade_no if order else "PAY-NONE",
        "trade_no": "SB-TEST-0001",
        "amount": f"{order.amount:.2f}" if order else "1200.00",
        "paid_at": "2026-11-27T10:00:00+08:00",
        "nonce": os.urandom(16).hex(),
        "timestamp": str(int(time.time())),
    }
    values.update(fields)
    return json.dumps(keys.sign(values)).encode()
