from eguarantee.core.tables import BadgeColumn, Column, Table

from .choices import Polarity, RecordKind

POLARITY_COLOURS = {Polarity.POSITIVE: "success", Polarity.NEUTRAL: "secondary", Polarity.NEGATIVE: "danger"}


def polarity_badge(record):
    polarity = Polarity(record.polarity)
    return polarity.label, POLARITY_COLOURS[polarity]


def guarantee_label(record):
    """Rejected applications have no 保函编号 yet: their 申请单号 names them."""
    return record.guarantee.number or record.guarantee.order_number


class RecordTable(Table):
    detail_url_name = "credit:record_detail"
    columns = [
        Column("occurred_at", link=True),
        Column("organization__name", "企业"),
        Column("kind"),
        BadgeColumn(polarity_badge, "性质"),
        Column("guarantee", "保函编号/申请单号", display=guarantee_label),
        Column("created_at"),
    ]
    default_order = ("-occurred_at", "-id")


class OrganizationTable(Table):
    """Enterprises with their counts per kind (annotated by selectors.organizations_for)."""

    detail_url_name = "credit:organization_detail"
    columns = [
        Column("name", "企业", link=True),
        Column("org_type"),
        Column("total_count", "记录总数"),
        *(Column(f"{kind}_count", label) for kind, label in RecordKind.choices),
        Column("negative_count", "负面"),
    ]
    default_order = ("-total_count", "name")
