from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from eguarantee.core.tables import Column, Table

from .choices import ClauseStatus, QualificationStatus

QUALIFICATION_BADGES = {
    QualificationStatus.VALID: "success",
    QualificationStatus.EXPIRING: "warning",
    QualificationStatus.EXPIRED: "danger",
    QualificationStatus.NOT_YET_VALID: "info",
    QualificationStatus.HISTORICAL: "secondary",
}


def qualification_badge(qualification, day=None):
    status = qualification.status_on(day or timezone.localdate())
    return QualificationStatus(status).label, QUALIFICATION_BADGES[status]


def clause_badge(clause, day=None):
    day = day or timezone.localdate()
    if clause.status == ClauseStatus.DRAFT:
        return "草稿", "secondary"
    if clause.in_force_on(day):
        return "现行有效", "success"
    if clause.effective_from > day:
        return "已发布·待生效", "info"
    return "已发布·已失效", "light"


class BadgeColumn(Column):
    """A cell shown as a coloured badge: badge(obj) → (label, Bootstrap colour)."""

    def __init__(self, badge, header):
        super().__init__(header, header, sortable=False)
        self.badge = badge


class BadgeTable(Table):
    """Rows with status badges: an expiring or expired qualification must stand out in the
    list, not read as one more word."""

    def body_html(self):
        if not self.page.object_list:
            return super().body_html()
        lines = []
        for obj in self.page.object_list:
            cells = []
            for column in self.columns:
                if isinstance(column, BadgeColumn):
                    label, colour = column.badge(obj)
                    cells.append(format_html('<td><span class="badge text-bg-{}">{}</span></td>', colour, label))
                elif column.link:
                    cells.append(format_html('<td><a href="{}">{}</a></td>', self.link(obj), column.render(obj)))
                else:
                    cells.append(format_html("<td>{}</td>", column.render(obj)))
            lines.append("<tr>" + "".join(cells) + "</tr>")
        return mark_safe("\n".join(lines))  # noqa: S308  every cell built with format_html


class ProfileTable(Table):
    detail_url_name = "guarantors:profile_detail"
    columns = [
        Column("organization__name", "保证人", link=True),
        Column("institution_type"),
        Column("short_code"),
        Column("credit_rating"),
        Column("rating_agency"),
        Column("service_hotline", sortable=False),
        Column("enabled"),
    ]


class QualificationTable(BadgeTable):
    detail_url_name = "guarantors:qualification_detail"
    columns = [
        Column("guarantor__name", "保证人"),
        Column("kind", link=True),
        Column("licence_number"),
        Column("issuing_body"),
        Column("valid_from"),
        Column("valid_to", display=lambda q: q.valid_to or "长期"),
        BadgeColumn(qualification_badge, "有效状态"),
    ]
    default_order = ("valid_to", "pk")


class OfferTable(Table):
    detail_url_name = "guarantors:offer_detail"
    columns = [
        Column("guarantor__name", "保证人"),
        Column("guarantee_type__name", "保函类型", link=True),
        Column("region_names", "服务区域"),
        Column("rate_range", "费率区间"),
        Column("min_premium"),
        Column("max_single_amount"),
        Column("total_capacity"),
        Column("turnaround_hours"),
        Column("enabled"),
    ]


class ClauseTable(BadgeTable):
    detail_url_name = "guarantors:clause_detail"
    columns = [
        Column("guarantor__name", "保证人"),
        Column("guarantee_type__name", "保函类型"),
        Column("title", link=True),
        Column("version"),
        Column("effective_from"),
        Column("effective_to", display=lambda c: c.effective_to or "长期"),
        BadgeColumn(clause_badge, "状态"),
    ]
