"""Demo witnesses for `make run`: one run by the demo department, one by the demo guarantor.

Their keys live under var/evidence/ (made here on first use); `make run` starts the two
witness processes with the same files, so they co-sign the demo platform's heads."""

from django.conf import settings

from . import services
from .models import Witness
from .signing import KeyPair

DEMO_WITNESSES = {"demo-department": "department_admin", "demo-guarantor": "guarantor_admin"}


def key_file(name):
    return settings.EVIDENCE_KEY_FILE.parent / f"witness-{name}.key"


def seed_demo(users):
    for name, role in DEMO_WITNESSES.items():
        if Witness.objects.filter(name=name).exists():
            continue
        pair = KeyPair.load_or_create(key_file(name))
        services.register_witness(name=name, public_key=pair.public_hex, organization=users[role].organization)
