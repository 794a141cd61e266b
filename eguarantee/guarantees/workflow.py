"""The guarantee's state table (DESIGN.md §5). Services refuse any move not listed here,
under a row lock, so two clicks or two workers never make the same move twice."""

from dataclasses import dataclass

from .choices import GuaranteeStatus as S

APPLICANT, GUARANTOR, BENEFICIARY, PLATFORM, SYSTEM = "applicant", "guarantor", "beneficiary", "platform", "system"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str
    party: str  # whose organization makes the move (SYSTEM: jobs and gateways)


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("submit", "提交申请", (S.DRAFT,), S.SUBMITTED, APPLICANT),
        Transition("resubmit", "补充资料后重新提交", (S.INFO_REQUESTED,), S.SUBMITTED, APPLICANT),
        Transition("revise", "修改后重新申请", (S.REJECTED,), S.DRAFT, APPLICANT),
        Transition(
            "cancel",
            "撤销申请",
            (S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, S.AWAITING_PAYMENT, S.PAID),
            S.CANCELLED,
            APPLICANT,
        ),
        Transition("accept", "受理", (S.SUBMITTED,), S.UNDER_REVIEW, GUARANTOR),
        Transition("request_info", "要求补充资料", (S.UNDER_REVIEW,), S.INFO_REQUESTED, GUARANTOR),
        Transition("approve", "审核通过", (S.UNDER_REVIEW,), S.AWAITING_PAYMENT, GUARANTOR),
        Transition("reject", "审核不通过", (S.UNDER_REVIEW,), S.REJECTED, GUARANTOR),
        Transition("confirm_payment", "确认收到保费", (S.AWAITING_PAYMENT,), S.PAID, GUARANTOR),
        Transition("gateway_paid", "支付成功", (S.AWAITING_PAYMENT,), S.PAID, SYSTEM),
        Transition("issue", "出函", (S.PAID,), S.ISSUED, GUARANTOR),
        Transition("release", "到期解保", (S.ISSUED,), S.RELEASED, SYSTEM),
        Transition("confirm_release", "受益人确认提前解保", (S.ISSUED,), S.RELEASED, BENEFICIARY),
        Transition("request_surrender", "申请退保", (S.ISSUED,), S.SURRENDER_REQUESTED, APPLICANT),
        Transition("surrender", "同意退保", (S.SURRENDER_REQUESTED,), S.SURRENDERED, GUARANTOR),
        Transition("refuse_surrender", "不同意退保", (S.SURRENDER_REQUESTED,), S.ISSUED, GUARANTOR),
        Transition("claim_paid", "理赔完毕", (S.ISSUED,), S.CLAIMED, GUARANTOR),
    )
}

# The states from which nothing moves on.
FINAL = frozenset({S.CANCELLED, S.RELEASED, S.SURRENDERED, S.CLAIMED})


def allowed(action, status):
    transition = TRANSITIONS.get(action)
    return transition is not None and status in transition.sources


def actions_from(status):
    return [t for t in TRANSITIONS.values() if status in t.sources]
