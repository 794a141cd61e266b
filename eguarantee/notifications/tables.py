from eguarantee.core.tables import Column, Table


class SmsTable(Table):
    columns = [
        Column("created_at", link=True),
        Column("mobile"),
        Column("purpose"),
        Column("content"),
        Column("status"),
        Column("provider"),
        Column("sent_at"),
        Column("error"),
    ]
