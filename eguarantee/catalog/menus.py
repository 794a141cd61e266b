from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="catalog",
        label="保函类型管理",
        icon="bi-collection",
        order=600,
        pages=[
            Page(
                "保函类型",
                "catalog:type_list",
                "catalog.view_guaranteetype",
                icon="bi-tags",
                actions=[
                    Action("catalog.add_guaranteetype", "新增"),
                    Action("catalog.change_guaranteetype", "修改/停用"),
                    Action("catalog.delete_guaranteetype", "删除"),
                ],
            ),
            Page(
                "保函模板",
                "catalog:template_list",
                "catalog.view_guaranteetemplate",
                icon="bi-file-earmark-text",
                actions=[
                    Action("catalog.add_guaranteetemplate", "新增"),
                    Action("catalog.change_guaranteetemplate", "修改"),
                    Action("catalog.delete_guaranteetemplate", "删除"),
                    Action("catalog.publish_guaranteetemplate", "发布/停用"),
                ],
            ),
        ],
    )
)
