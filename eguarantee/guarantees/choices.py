from django.db import models
from django.utils import timezone


class GuaranteeStatus(models.TextChoices):
    """DESIGN.md §5; the transitions are in workflow.py."""

    DRAFT = "draft", "暂存"
    SUBMITTED = "submitted", "已提交"
    UNDER_REVIEW = "under_review", "审核中"
    INFO_REQUESTED = "info_requested", "待补充资料"
    REJECTED = "rejected", "审核不通过"
    AWAITING_PAYMENT = "awaiting_payment", "待支付"
    PAID = "paid", "已支付待出函"
    ISSUED = "issued", "已出函"
    SURRENDER_REQUESTED = "surrender_requested", "退保中"
    RELEASED = "released", "已解保"
    SURRENDERED = "surrendered", "已退保"
    CLAIMED = "claimed", "已理赔"
    CANCELLED = "cancelled", "已撤销"


# Guarantees that exist as an undertaking towards the beneficiary (or did).
ISSUED_STATES = (
    GuaranteeStatus.ISSUED,
    GuaranteeStatus.SURRENDER_REQUESTED,
    GuaranteeStatus.RELEASED,
    GuaranteeStatus.SURRENDERED,
    GuaranteeStatus.CLAIMED,
)


# Still an undertaking the beneficiary can rely on (until its end date).
IN_FORCE_STATES = (GuaranteeStatus.ISSUED, GuaranteeStatus.SURRENDER_REQUESTED)


def in_force(status, end_date):
    """An undertaking a beneficiary can still rely on today."""
    return status in IN_FORCE_STATES and end_date >= timezone.localdate()


class AbnormalReason(models.TextChoices):
    """Why a bid guarantee may be surrendered after bid opening (the project went wrong)."""

    WITHDRAWN = "withdrawn", "撤标"
    FAILED = "failed", "流标"
    POSTPONED = "postponed", "延标"
    ABANDONED = "abandoned", "放弃投标"
    OTHER = "other", "其他"


class FilingStatus(models.TextChoices):
    """报送行政主管部门 (6.6.7)."""

    NOT_FILED = "not_filed", "未报送"
    FILED = "filed", "已报送待受理"
    ACCEPTED = "accepted", "已受理"
    RETURNED = "returned", "已退回"


class InspectionResult(models.TextChoices):
    GENUINE = "genuine", "真实有效"
    GENUINE_INACTIVE = "genuine_inactive", "真实但已失效"
    NOT_FOUND = "not_found", "未找到"
    MISMATCH = "mismatch", "验真码不符"


class CollusionBasis(models.TextChoices):
    """What two applicants on one section were found to share (围标串标 warning signs)."""

    SHARED_ACCOUNT = "shared_account", "共用基本账户"
    SHARED_LEGAL_REPRESENTATIVE = "shared_legal_representative", "同一法定代表人"


class AmendmentStatus(models.TextChoices):
    """保函变更 (SWIFT MT767 in spirit): the applicant asks, the guarantor agrees, the
    beneficiary accepts; only then is a new version of the document issued."""

    REQUESTED = "requested", "待保证人审核"
    APPROVED = "approved", "待受益人确认"
    EFFECTIVE = "effective", "已生效"
    REFUSED = "refused", "保证人不同意"
    DECLINED = "declined", "受益人不接受"
    WITHDRAWN = "withdrawn", "申请人已撤回"


OPEN_AMENDMENT_STATES = (AmendmentStatus.REQUESTED, AmendmentStatus.APPROVED)
