"""Reads of the evidence log: heads, proofs, and the proof bundle a verifier takes away."""

from django.conf import settings

from . import tree
from .models import Cosignature, Entry, SigningKey, TreeHead, Witness, WitnessAlarm
from .signing import b64


def latest_head():
    return TreeHead.objects.order_by("-size").first()


def confirmed_head(covering=0):
    """The newest head the witnesses confirmed, if it holds leaf index `covering`."""
    head = TreeHead.objects.filter(confirmed_at__isnull=False).order_by("-size").first()
    if head is None or head.size <= covering:
        return None
    return head


def head_json(head):
    return {
        "origin": head.origin,
        "size": head.size,
        "root": b64(bytes(head.root)),
        "algorithm": head.algorithm,
        "timestamp": head.timestamp,
        "key_id": head.key_id,
        "signature": b64(bytes(head.signature)),
    }


def cosignatures_json(head):
    rows = Cosignature.objects.filter(head=head).select_related("witness").order_by("witness__name")
    return [
        {
            "witness": c.witness.name,
            "key_id": c.witness.key_id,
            "timestamp": c.timestamp,
            "signature": b64(bytes(c.signature)),
        }
        for c in rows
    ]


def keys_json():
    return {
        "origin": settings.EVIDENCE_ORIGIN,
        "algorithm": settings.EVIDENCE_HASH,
        "quorum": settings.EVIDENCE_QUORUM,
        "log": [
            {
                "key_id": k.key_id,
                "public_key": k.public_key,
                "algorithm": "SM2-SM3",
                "first_used_at": k.first_used_at.isoformat(),
                "retired_at": k.retired_at.isoformat() if k.retired_at else None,
            }
            for k in SigningKey.objects.order_by("first_used_at")
        ],
        "witnesses": [
            {"name": w.name, "key_id": w.key_id, "public_key": w.public_key, "active": w.active}
            for w in Witness.objects.order_by("name")
        ],
    }


def entries_of(kind, object_id):
    return Entry.objects.filter(kind=kind, object_id=object_id).order_by("-id")


def proof(entry):
    """What proves `entry` is in the log: (head, inclusion proof, confirmed?) against the
    newest confirmed head holding it, else the newest signed one; (None, [], False) while
    no head holds it yet."""
    if entry.index is None:
        return None, [], False
    head = confirmed_head(covering=entry.index)
    confirmed = head is not None
    if head is None:
        head = latest_head()
        if head is None or head.size <= entry.index:
            return None, [], False
    return head, tree.inclusion_proof(entry.index, head.size), confirmed


def bundle(entry):
    """The proof bundle (docs/evidence.md): everything `python -m eguarantee.evidence.verify`
    needs to check this leaf offline, or None while no head holds it."""
    head, path, _confirmed = proof(entry)
    if head is None:
        return None
    keys = keys_json()
    return {
        "format": "eguarantee-proof-bundle/v1",
        "leaf": {"index": entry.index, "kind": entry.kind, "data": entry.data},
        "inclusion_proof": [b64(node) for node in path],
        "head": head_json(head),
        "cosignatures": cosignatures_json(head),
        "keys": {"log": keys["log"], "witnesses": keys["witnesses"]},
        "quorum": settings.EVIDENCE_QUORUM,
    }


# ---------------------------------------------------------------- back office (what a user may see)


def heads_for(user):
    """Tree heads are public facts: everyone with the page's permission sees all of them."""
    return TreeHead.objects.all()


def witnesses_for(user):
    """Platform staff see every witness; a department or guarantor the ones it runs."""
    if user.is_platform:
        return Witness.objects.select_related("organization")
    return Witness.objects.select_related("organization").filter(organization_id=user.organization_id)


def alarms_for(user):
    return WitnessAlarm.objects.select_related("witness").filter(witness__in=witnesses_for(user).values("pk"))
