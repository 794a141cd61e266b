from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="admin",
        label="平台后台管理",
        icon="bi-gear",
        order=900,
        pages=[
            Page(
                "新账号审批",
                "accounts:registration_list",
                "accounts.approve_organization",
                icon="bi-person-check",
            ),
            Page(
                "单位管理",
                "accounts:organization_list",
                "accounts.view_organization",
                icon="bi-building",
                actions=[
                    Action("accounts.add_organization", "新增"),
                    Action("accounts.change_organization", "修改"),
                    Action("accounts.delete_organization", "删除"),
                    Action("accounts.approve_organization", "审批"),
                    Action("accounts.lock_organization", "锁定/解锁"),
                ],
            ),
            Page(
                "用户管理",
                "accounts:user_list",
                "accounts.view_user",
                icon="bi-people",
                actions=[
                    Action("accounts.add_user", "新增"),
                    Action("accounts.change_user", "修改"),
                    Action("accounts.delete_user", "注销"),
                    Action("accounts.lock_user", "锁定/解锁"),
                    Action("accounts.assign_role", "分配角色"),
                ],
            ),
            Page(
                "角色管理",
                "accounts:role_list",
                "accounts.view_role",
                icon="bi-shield-lock",
                actions=[
                    Action("accounts.add_role", "新增"),
                    Action("accounts.change_role", "修改/设置权限"),
                    Action("accounts.delete_role", "删除"),
                ],
            ),
        ],
    )
)
