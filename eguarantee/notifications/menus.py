from eguarantee.core.menu import Module, Page, register

register(
    Module(
        key="admin",
        label="平台后台管理",
        icon="bi-gear",
        order=900,
        pages=[Page("短信发送记录", "notifications:sms_list", "notifications.view_smsmessage", icon="bi-chat-dots")],
    )
)
