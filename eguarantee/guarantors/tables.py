from django.utils import timezone

from eguarantee.core.tables import BadgeColumn, Column, Table

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


class QualificationTable(Table):
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


class ClauseTable(Table):
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
