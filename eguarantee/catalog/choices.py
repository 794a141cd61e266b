from django.db import models


class BuiltinType(models.TextChoices):
    """The five guarantee types of the standard (6.4.1); deployments add their own."""

    BID = "bid", "投标保函"
    PERFORMANCE = "performance", "履约保函"
    PAYMENT = "payment", "工程款支付保函"
    QUALITY = "quality", "质量保函"
    WAGE = "wage", "农民工工资支付保函"


class ValidityRule(models.TextChoices):
    BID_VALIDITY = "bid_validity", "自开标之日起至投标有效期届满"
    FIXED_DAYS = "fixed_days", "自生效之日起固定天数"
    CONTRACT = "contract", "按合同约定（申请时填写）"


# What an application may be asked to fill, by type (6.4.1 "the application fields it
# requires"). The guarantees module renders and checks exactly these.
APPLICATION_FIELDS = {
    "section": "项目标段",
    "beneficiary": "受益人",
    "amount": "担保金额",
    "start_date": "生效日期",
    "end_date": "失效日期",
    "contract_number": "合同编号",
    "contract_amount": "合同金额",
    "contract_period": "合同工期",
    "payment_schedule": "工程款支付计划",
    "defects_period": "缺陷责任期",
    "wage_account": "农民工工资专用账户",
    "workers": "农民工人数",
}


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"
