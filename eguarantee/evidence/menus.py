"""Side-menu pages of 存证与查验 (eguarantee.core.menu)."""

from eguarantee.core.menu import Module, Page, register

register(
    Module(
        key="evidence",
        label="存证与查验",
        icon="bi-shield-check",
        order=900,
        pages=[
            Page("签名树头", "evidence:treehead_list", "evidence.view_treehead", icon="bi-diagram-3"),
            Page("见证节点", "evidence:witness_list", "evidence.view_witness", icon="bi-people"),
            Page("见证告警", "evidence:alarm_list", "evidence.view_witnessalarm", icon="bi-exclamation-octagon"),
        ],
    )
)
