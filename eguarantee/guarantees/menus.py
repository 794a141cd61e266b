from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="guarantees",
        label="电子保函管理",
        icon="bi-file-earmark-check",
        order=300,
        pages=[
            Page(
                "电子保函",
                "guarantees:guarantee_list",
                "guarantees.view_guarantee",
                icon="bi-file-earmark-text",
                actions=[
                    Action("guarantees.add_guarantee", "申请"),
                    Action("guarantees.change_guarantee", "提交/撤销"),
                    Action("guarantees.review_guarantee", "审核/确认收款"),
                    Action("guarantees.issue_guarantee", "出函"),
                    Action("guarantees.release_guarantee", "确认提前解保"),
                    Action("guarantees.accept_amendment", "确认保函变更"),
                ],
            ),
            Page(
                "串标预警",
                "guarantees:collusion_list",
                "guarantees.view_collusionwarning",
                icon="bi-exclamation-triangle",
            ),
        ],
    )
)
register(
    Module(
        key="departments",
        label="行政管理部门配置管理",
        icon="bi-bank",
        order=400,
        pages=[
            Page("保函报送受理", "guarantees:filing_list", "guarantees.review_filing", icon="bi-inbox"),
            Page("电子保函查验", "guarantees:inspect", "guarantees.add_inspection", icon="bi-patch-check"),
            Page("查验记录", "guarantees:inspection_list", "guarantees.view_inspection", icon="bi-list-check"),
        ],
    )
)
