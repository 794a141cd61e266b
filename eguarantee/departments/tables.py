from eguarantee.core.tables import Column, Table

from .models import level_label


def _profile(org):
    return getattr(org, "department_profile", None)


class DepartmentTable(Table):
    detail_url_name = "departments:department_detail"
    default_order = ("region_code", "name")
    columns = [
        Column("name", "部门名称", link=True),
        Column("region_code", "行政区划代码"),
        Column("level", "行政级别", display=lambda o: level_label(o.region_code)),
        Column("parent", "上级部门", display=lambda o: _profile(o) and _profile(o).parent),
        Column("contact", "业务联系人", display=lambda o: _profile(o) and _profile(o).contact_name),
        Column("contact_phone", "业务联系电话", display=lambda o: _profile(o) and _profile(o).contact_phone),
        Column("profile", "档案", display=lambda o: "已建档" if _profile(o) else "未建档"),
    ]


class RuleTable(Table):
    detail_url_name = "departments:rule_detail"
    columns = [
        Column("pk", select=True),
        Column("id", "编号", link=True),
        Column("project_type"),
        Column("region_code"),
        Column("region", "行政区划", display=lambda r: r.region_name),
        Column("level", "区划级别", display=lambda r: r.level_label),
        Column("department__name", "主管部门"),
        Column("enabled"),
        Column("note"),
        Column("updated_at"),
    ]
