from eguarantee.core.menu import Module, Page, register

register(
    Module(
        key="departments",
        label="行政管理部门配置管理",
        icon="bi-bank",
        order=400,
        pages=[
            Page("电子保函查验", "guarantees:inspect", "guarantees.add_inspection", icon="bi-patch-check"),
            Page("查验记录", "guarantees:inspection_list", "guarantees.view_inspection", icon="bi-list-check"),
        ],
    )
)
