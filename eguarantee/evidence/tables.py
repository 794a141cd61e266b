from eguarantee.core.tables import BadgeColumn, Column, Table


def confirmed_badge(head):
    return ("已确认", "success") if head.confirmed_at else ("待见证", "warning")


def active_badge(witness):
    return ("参与确认", "success") if witness.active else ("已停用", "secondary")


def short_root(head):
    return bytes(head.root).hex()[:16] + "…"


class TreeHeadTable(Table):
    detail_url_name = "evidence:treehead_detail"
    columns = [
        Column("size", link=True),
        Column("root", "根哈希", display=short_root),
        Column("created_at"),
        Column("key_id"),
        BadgeColumn(confirmed_badge, "见证"),
        Column("confirmed_at"),
    ]
    default_order = ("-size",)


class WitnessTable(Table):
    detail_url_name = "evidence:witness_detail"
    columns = [
        Column("name", link=True),
        Column("organization__name", "运行单位"),
        Column("key_id"),
        BadgeColumn(active_badge, "状态"),
        Column("last_seen_at"),
    ]
    default_order = ("name",)


class AlarmTable(Table):
    detail_url_name = "evidence:alarm_detail"
    columns = [
        Column("created_at", link=True),
        Column("witness__name", "见证节点"),
        Column("reason"),
        Column("message"),
    ]
    default_order = ("-created_at", "-id")
