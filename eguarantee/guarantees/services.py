"""Writes on guarantees: the state machine's one door (transition), and 查验 (6.3.3).

Every move runs under a row lock, checks the state table and the acting party, writes the
guarantee's event and publishes a domain event (`guarantee.<action>`) in the same
transaction, for the evidence log, credit and settlement to record.
"""

import hmac

from django.db import transaction
from django.utils import timezone

from eguarantee.core import events
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.permissions import require_perm

from . import selectors, workflow
from .choices import ISSUED_STATES, GuaranteeStatus, InspectionResult
from .models import Guarantee, GuaranteeEvent, Inspection

# The organization field that names each party.
PARTY_FIELDS = {
    workflow.APPLICANT: "applicant_id",
    workflow.GUARANTOR: "guarantor_id",
    workflow.BENEFICIARY: "beneficiary_id",
}


def _require_party(actor, guarantee, party):
    if party == workflow.SYSTEM:
        if actor is not None:
            raise NotAllowed("该操作由系统自动执行。")
        return
    if actor is None or getattr(actor, "organization_id", None) != getattr(guarantee, PARTY_FIELDS[party]):
        raise NotAllowed("只有该保函的相关单位才能执行此操作。")


@transaction.atomic
def transition(guarantee, action, *, actor, comment="", data=None, changes=None):
    """Move `guarantee` by `action`; `changes` are field values set with the move (premium at
    approval, number at issue…). Returns the locked, updated guarantee."""
    move = workflow.TRANSITIONS.get(action)
    if move is None:
        raise ServiceError(f"未知的操作：{action}", code="unknown_action")
    locked = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if locked.status not in move.sources:
        raise Conflict(f"保函当前状态为“{locked.get_status_display()}”，不能{move.label}。", code="invalid_transition")
    _require_party(actor, locked, move.party)
    previous = locked.status
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
    locked.status = move.target
    if move.target in workflow.FINAL and move.target != GuaranteeStatus.CANCELLED:
        locked.closed_at = timezone.now()
    locked.save()
    event = GuaranteeEvent.objects.create(
        guarantee=locked,
        action=action,
        from_status=previous,
        to_status=move.target,
        actor=actor,
        organization=getattr(actor, "organization", None),
        comment=comment,
        data=data or {},
    )
    events.publish(f"guarantee.{action}", guarantee=locked, event=event, actor=actor)
    return locked


MAX_RESULTS = 50


def _outcome(guarantee):
    return InspectionResult.GENUINE if guarantee.in_force else InspectionResult.GENUINE_INACTIVE


@transaction.atomic
def inspect(*, actor, number="", code="", project="", applicant=""):
    """A department's check of authenticity and status against the platform's record.

    By 保函编号 and 验真码, any guarantee can be checked (the holder showed it to the
    department); without the code, and by project or applicant, only the guarantees in the
    department's jurisdiction are found, so a search tells nothing about others'. Every check
    is recorded. Returns (result, guarantees, inspection)."""
    require_perm(actor, "guarantees.add_inspection")
    number, code, project, applicant = (v.strip() for v in (number, code, project, applicant))
    if not any((number, project, applicant)):
        raise ServiceError("请输入保函编号，或项目、申请人作为查验条件。", code="empty_query")
    query = {k: v for k, v in {"number": number, "code": code, "project": project, "applicant": applicant}.items() if v}
    found = []
    if number and code:
        guarantee = Guarantee.objects.filter(number=number, status__in=ISSUED_STATES).first()
        if guarantee is None:
            result = InspectionResult.NOT_FOUND
        elif not hmac.compare_digest(guarantee.verification_code.upper().encode(), code.upper().encode()):
            result = InspectionResult.MISMATCH
        else:
            result, found = _outcome(guarantee), [guarantee]
    else:
        qs = selectors.issued_in_jurisdiction(actor)
        if number:
            qs = qs.filter(number=number)
        if project:
            qs = qs.filter(project__number=project) | qs.filter(project__name__icontains=project)
        if applicant:
            qs = qs.filter(applicant__credit_code=applicant.upper()) | qs.filter(applicant__name__icontains=applicant)
        found = list(qs.order_by("-issued_at", "-id")[:MAX_RESULTS])
        if not found:
            result = InspectionResult.NOT_FOUND
        elif len(found) == 1:
            result = _outcome(found[0])
        else:
            result = InspectionResult.GENUINE if any(g.in_force for g in found) else InspectionResult.GENUINE_INACTIVE
            query["matches"] = len(found)
    single = found[0] if len(found) == 1 else None
    inspection = Inspection.objects.create(
        inspector=actor,
        organization=actor.organization,
        query=query,
        guarantee=single,
        result=result,
        status_seen=single.status if single else "",
    )
    return result, found, inspection
