from eguarantee.core.tables import Column, Table


class ObjectChangeTable(Table):
    columns = [
        Column("time", link=True),
        Column("user_name"),
        Column("action"),
        Column("content_type", header="对象类型", sortable=False),
        Column("object_repr"),
        Column("ip"),
        Column("request_id"),
    ]


class OperationLogTable(Table):
    columns = [
        Column("time", link=True),
        Column("user_name"),
        Column("module"),
        Column("action"),
        Column("object_repr"),
        Column("result"),
        Column("duration_ms"),
        Column("ip"),
    ]


class LoginLogTable(Table):
    columns = [
        Column("time", link=True),
        Column("username"),
        Column("success"),
        Column("message"),
        Column("ip"),
        Column("user_agent"),
    ]
