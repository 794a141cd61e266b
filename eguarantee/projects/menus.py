"""Side-menu pages of this module (eguarantee.core.menu)."""

from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="projects",
        label="工程项目管理",
        icon="bi-buildings",
        order=650,
        pages=[
            Page(
                "工程项目",
                "projects:project_list",
                "projects.view_project",
                icon="bi-building",
                actions=[
                    Action("projects.add_project", "录入"),
                    Action("projects.join_project", "加入已有项目"),
                    Action("projects.change_project", "修改"),
                    Action("projects.delete_project", "删除"),
                    Action("projects.change_locked_project", "修改已出函项目"),
                ],
            ),
            Page("项目标段", "projects:section_list", "projects.view_section", icon="bi-list-ol"),
            Page(
                "项目资料",
                "projects:document_list",
                "projects.view_projectdocument",
                icon="bi-folder2-open",
                actions=[
                    Action("projects.add_projectdocument", "上传"),
                    Action("projects.delete_projectdocument", "删除"),
                ],
            ),
        ],
    )
)
