"""Side-menu pages of this module (eguarantee.core.menu), also the role editor's tree."""

from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="departments",
        label="行政管理部门配置管理",
        icon="bi-bank",
        order=400,
        pages=[
            Page(
                "部门档案",
                "departments:department_list",
                "departments.view_departmentprofile",
                icon="bi-building-gear",
                actions=[
                    Action("departments.add_departmentprofile", "新建档案"),
                    Action("departments.change_departmentprofile", "修改"),
                    Action("departments.delete_departmentprofile", "删除"),
                ],
            ),
            Page(
                "归口规则",
                "departments:rule_list",
                "departments.view_jurisdictionrule",
                icon="bi-diagram-3",
                actions=[
                    Action("departments.add_jurisdictionrule", "新增"),
                    Action("departments.change_jurisdictionrule", "修改/启用/停用"),
                    Action("departments.delete_jurisdictionrule", "删除"),
                ],
            ),
            Page("归口查询", "departments:resolve", "departments.view_jurisdictionrule", icon="bi-signpost-split"),
        ],
    )
)
