"""Side-menu pages of this module (eguarantee.core.menu)."""

from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="guarantors",
        label="保证人管理",
        icon="bi-bank",
        order=200,
        pages=[
            Page(
                "机构信息",
                "guarantors:profile_list",
                "guarantors.view_guarantorprofile",
                icon="bi-building",
                actions=[
                    Action("guarantors.add_guarantorprofile", "新增"),
                    Action("guarantors.change_guarantorprofile", "修改"),
                    Action("guarantors.delete_guarantorprofile", "删除"),
                ],
            ),
            Page(
                "资质信息",
                "guarantors:qualification_list",
                "guarantors.view_qualification",
                icon="bi-patch-check",
                actions=[
                    Action("guarantors.add_qualification", "新增"),
                    Action("guarantors.change_qualification", "修改"),
                    Action("guarantors.delete_qualification", "删除"),
                ],
            ),
            Page(
                "业务信息",
                "guarantors:offer_list",
                "guarantors.view_offer",
                icon="bi-briefcase",
                actions=[
                    Action("guarantors.add_offer", "新增"),
                    Action("guarantors.change_offer", "修改"),
                    Action("guarantors.delete_offer", "删除"),
                ],
            ),
            Page(
                "业务条款",
                "guarantors:clause_list",
                "guarantors.view_clause",
                icon="bi-file-earmark-text",
                actions=[
                    Action("guarantors.add_clause", "新增"),
                    Action("guarantors.change_clause", "修改"),
                    Action("guarantors.publish_clause", "发布"),
                    Action("guarantors.delete_clause", "删除"),
                ],
            ),
        ],
    )
)
