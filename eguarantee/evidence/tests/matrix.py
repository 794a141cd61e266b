"""Permission-matrix lines for the evidence log. Its protocol (witnesses, auditors, anyone
checking a proof) and 保函查验 are public: no line, only the PUBLIC list; the proof-bundle
link needs the signed token a verification hands out, not a login. The back office is for
those who watch the log (roles.py): the platform's administrator and auditor, and the
departments and guarantors that run witnesses."""

from eguarantee.core.matrix import ADMIN, AUDITOR, Route, pk
from eguarantee.evidence.models import TreeHead, Witness, WitnessAlarm
from eguarantee.evidence.signing import KeyPair

NAMESPACES = {"evidence"}
PUBLIC = {
    "evidence:keys",
    "evidence:head",
    "evidence:consistency",
    "evidence:inclusion",
    "evidence:cosignatures",
    "evidence:alarms",
    "portal:verify_bundle",
    "api:verify",
    "api:verify-document",
}
WATCHERS = ADMIN | AUDITOR | {"department_admin", "guarantor_admin"}


def head(o):
    size = TreeHead.objects.count() + 1
    return TreeHead.objects.create(
        size=size, root=bytes(32), algorithm="sm3", origin="matrix", timestamp=0, key_id="0" * 16, signature=b"\x00"
    )


def witness(o):
    """A witness run by the acting role's organization (platform staff see every one)."""
    pair = KeyPair.generate()
    return Witness.objects.create(
        name=f"matrix-{Witness.objects.count() + 1}", organization=o.org, public_key=pair.public_hex, key_id=pair.key_id
    )


def alarm(o):
    return WitnessAlarm.objects.create(witness=witness(o), reason="rollback", message="树头回退")


ROUTES = [
    Route("evidence:treehead_list", WATCHERS),
    Route("evidence:treehead_detail", WATCHERS, pk(head)),
    Route("evidence:witness_list", WATCHERS),
    Route("evidence:witness_detail", WATCHERS, pk(witness)),
    Route("evidence:witness_add", ADMIN),
    Route("evidence:witness_toggle", ADMIN, pk(witness)),
    Route("evidence:witness_toggle", ADMIN, pk(witness), method="post", ok=302),
    Route("evidence:alarm_list", WATCHERS),
    Route("evidence:alarm_detail", WATCHERS, pk(alarm)),
]
