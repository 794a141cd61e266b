"""The five guarantee types of the standard (6.4.1), present in every deployment.

Created after every migrate (post_migrate), so that a new deployment, and a test database
flushed between browser tests, always has them; an administrator's later changes to them
(names, fields, attachments) are kept.
"""

BUILTIN = [
    # code, name, requires tender, application fields, attachments, validity rule, days, sealed, order
    (
        "bid",
        "投标保函",
        True,
        ["section", "amount", "start_date", "end_date"],
        [{"key": "bid_notice", "label": "招标公告"}],
        "bid_validity",
        None,
        True,
        10,
    ),
    (
        "performance",
        "履约保函",
        False,
        ["beneficiary", "amount", "start_date", "end_date", "contract_number", "contract_amount", "contract_period"],
        [{"key": "award_notice", "label": "中标通知书"}, {"key": "contract", "label": "施工合同"}],
        "contract",
        None,
        False,
        20,
    ),
    (
        "payment",
        "工程款支付保函",
        False,
        ["beneficiary", "amount", "start_date", "end_date", "contract_number", "contract_amount", "payment_schedule"],
        [{"key": "contract", "label": "施工合同"}],
        "contract",
        None,
        False,
        30,
    ),
    (
        "quality",
        "质量保函",
        False,
        ["beneficiary", "amount", "start_date", "end_date", "contract_number", "defects_period"],
        [{"key": "completion_certificate", "label": "竣工验收证明"}],
        "fixed_days",
        730,
        False,
        40,
    ),
    (
        "wage",
        "农民工工资支付保函",
        False,
        ["beneficiary", "amount", "start_date", "end_date", "contract_number", "wage_account", "workers"],
        [{"key": "contract", "label": "施工合同"}],
        "contract",
        None,
        False,
        50,
    ),
]


def ensure_builtin_types(app_config=None, **kwargs):
    from .models import GuaranteeType

    if app_config is not None and app_config.label != "catalog":
        return
    for code, name, tender, fields, attachments, rule, days, sealed, order in BUILTIN:
        GuaranteeType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "builtin": True,
                "requires_tender": tender,
                "application_fields": fields,
                "required_attachments": attachments,
                "validity_rule": rule,
                "validity_days": days,
                "sealed_allowed": sealed,
                "sort_order": order,
            },
        )
