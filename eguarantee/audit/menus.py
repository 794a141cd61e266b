from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="admin",
        label="平台后台管理",
        icon="bi-gear",
        order=900,
        pages=[
            Page(
                "数据变更日志",
                "audit:objectchange_list",
                "audit.view_objectchange",
                icon="bi-clock-history",
                actions=[Action("audit.export_auditlog", "导出")],
            ),
            Page("操作日志", "audit:operationlog_list", "audit.view_operationlog", icon="bi-journal-text"),
            Page("登录日志", "audit:loginlog_list", "audit.view_loginlog", icon="bi-box-arrow-in-right"),
        ],
    )
)
