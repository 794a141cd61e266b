from eguarantee.core.views import ObjectDetailView, ObjectListView

from . import filtersets, selectors, tables

MODULE = "系统日志"
COMMON = [
    ("时间", "time"),
    ("用户", "user_name"),
    ("单位ID", "organization_id"),
    ("IP地址", "ip"),
    ("请求编号", "request_id"),
]

CHANGE_COLUMNS = [
    *COMMON,
    ("操作", "action"),
    ("对象类型", "content_type"),
    ("对象ID", "object_id"),
    ("对象", "object_repr"),
    ("修改前", "prechange_data"),
    ("修改后", "postchange_data"),
]
OPERATION_COLUMNS = [
    *COMMON,
    ("模块", "module"),
    ("操作", "action"),
    ("方法", "method"),
    ("路径", "path"),
    ("对象", "object_repr"),
    ("结果", "result"),
    ("状态码", "status_code"),
    ("耗时(毫秒)", "duration_ms"),
    ("参数", "params"),
    ("浏览器", "user_agent"),
]
LOGIN_COLUMNS = [
    *COMMON,
    ("登录名", "username"),
    ("成功", lambda r: "是" if r.success else "否"),
    ("原因代码", "reason"),
    ("说明", "message"),
    ("浏览器", "user_agent"),
]


class AuditListView(ObjectListView):
    module_label = MODULE
    export_permission = "audit.export_auditlog"
    paginate_by = 50


class ObjectChangeListView(AuditListView):
    permission_required = "audit.view_objectchange"
    selector = staticmethod(selectors.object_changes_for)
    filterset_class = filtersets.ObjectChangeFilterSet
    table_class = tables.ObjectChangeTable
    page_label = "数据变更日志"
    list_url_name = "audit:objectchange_list"
    export_columns = CHANGE_COLUMNS
    export_filename = "数据变更日志"


class ObjectChangeDetailView(ObjectDetailView):
    permission_required = "audit.view_objectchange"
    selector = staticmethod(selectors.object_changes_for)
    template_name = "audit/objectchange_detail.html"
    module_label = MODULE
    page_label = "数据变更日志"
    list_url_name = "audit:objectchange_list"
    detail_fields = CHANGE_COLUMNS[:-2]


class OperationLogListView(AuditListView):
    permission_required = "audit.view_operationlog"
    selector = staticmethod(selectors.operation_logs_for)
    filterset_class = filtersets.OperationLogFilterSet
    table_class = tables.OperationLogTable
    page_label = "操作日志"
    list_url_name = "audit:operationlog_list"
    export_columns = OPERATION_COLUMNS
    export_filename = "操作日志"


class OperationLogDetailView(ObjectDetailView):
    permission_required = "audit.view_operationlog"
    selector = staticmethod(selectors.operation_logs_for)
    module_label = MODULE
    page_label = "操作日志"
    list_url_name = "audit:operationlog_list"
    detail_fields = OPERATION_COLUMNS


class LoginLogListView(AuditListView):
    permission_required = "audit.view_loginlog"
    selector = staticmethod(selectors.login_logs_for)
    filterset_class = filtersets.LoginLogFilterSet
    table_class = tables.LoginLogTable
    page_label = "登录日志"
    list_url_name = "audit:loginlog_list"
    export_columns = LOGIN_COLUMNS
    export_filename = "登录日志"


class LoginLogDetailView(ObjectDetailView):
    permission_required = "audit.view_loginlog"
    selector = staticmethod(selectors.login_logs_for)
    module_label = MODULE
    page_label = "登录日志"
    list_url_name = "audit:loginlog_list"
    detail_fields = LOGIN_COLUMNS
