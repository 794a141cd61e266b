"""Back-office pages of 存证与查验: signed tree heads, the witnesses, their alarms."""

from eguarantee.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView

from . import filtersets, forms, selectors, services, tables
from .models import Witness

MODULE = "存证与查验"
_on = staticmethod


def _hex(field):
    return lambda obj: bytes(getattr(obj, field)).hex()


HEAD_FIELDS = [
    ("叶子数", "size"),
    ("根哈希", _hex("root")),
    ("哈希算法", "algorithm"),
    ("日志标识", "origin"),
    ("签名时间", "signed_at"),
    ("签名密钥", "key_id"),
    ("SM2签名", _hex("signature")),
    ("见证确认时间", "confirmed_at"),
]


class TreeHeadListView(ObjectListView):
    permission_required = "evidence.view_treehead"
    selector = _on(selectors.heads_for)
    filterset_class = filtersets.TreeHeadFilterSet
    table_class = tables.TreeHeadTable
    module_label, page_label = MODULE, "签名树头"
    list_url_name = "evidence:treehead_list"


class TreeHeadDetailView(ObjectDetailView):
    permission_required = "evidence.view_treehead"
    selector = _on(selectors.heads_for)
    detail_fields = HEAD_FIELDS
    module_label, page_label = MODULE, "签名树头"
    list_url_name = "evidence:treehead_list"
    template_name = "evidence/treehead_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        head = self.object
        context["cosignatures"] = head.cosignatures.select_related("witness").order_by("witness__name")
        context["anchorings"] = head.anchorings.order_by("anchor")
        context["quorum"] = services.quorum()
        return context


WITNESS_FIELDS = [
    ("见证节点名称", "name"),
    ("运行单位", "organization"),
    ("SM2公钥", "public_key"),
    ("密钥标识", "key_id"),
    ("参与确认", "active"),
    ("最近联署时间", "last_seen_at"),
    ("登记时间", "created_at"),
]


class WitnessListView(ObjectListView):
    permission_required = "evidence.view_witness"
    selector = _on(selectors.witnesses_for)
    filterset_class = filtersets.WitnessFilterSet
    table_class = tables.WitnessTable
    module_label, page_label = MODULE, "见证节点"
    list_url_name = "evidence:witness_list"
    add_url_name = "evidence:witness_add"
    add_permission = "evidence.add_witness"


class WitnessDetailView(ObjectDetailView):
    permission_required = "evidence.view_witness"
    selector = _on(selectors.witnesses_for)
    detail_fields = WITNESS_FIELDS
    module_label, page_label = MODULE, "见证节点"
    list_url_name = "evidence:witness_list"
    template_name = "evidence/witness_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alarms"] = self.object.alarms.order_by("-created_at")[:20]
        return context


class WitnessAddView(ObjectEditView):
    model = Witness
    selector = _on(selectors.witnesses_for)
    form_class = forms.WitnessForm
    module_label, page_label = MODULE, "登记见证节点"
    list_url_name = "evidence:witness_list"
    success_message = "见证节点已登记，其联署自下一个树头起计入确认。"

    def save(self, form):
        return services.register_witness(actor=self.request.user, **form.cleaned_data)


class WitnessToggleView(ObjectActionView):
    permission_required = "evidence.change_witness"
    selector = _on(selectors.witnesses_for)

    @property
    def action_label(self):
        return "停用见证节点" if self.get_object().active else "启用见证节点"

    def perform(self, obj, form):
        services.set_witness_active(obj, active=not obj.active, actor=self.request.user)


ALARM_FIELDS = [
    ("告警时间", "created_at"),
    ("见证节点", "witness"),
    ("告警类型", "reason"),
    ("说明", "message"),
    ("详情", "data"),
]


class AlarmListView(ObjectListView):
    permission_required = "evidence.view_witnessalarm"
    selector = _on(selectors.alarms_for)
    filterset_class = filtersets.AlarmFilterSet
    table_class = tables.AlarmTable
    module_label, page_label = MODULE, "见证告警"
    list_url_name = "evidence:alarm_list"


class AlarmDetailView(ObjectDetailView):
    permission_required = "evidence.view_witnessalarm"
    selector = _on(selectors.alarms_for)
    detail_fields = ALARM_FIELDS
    module_label, page_label = MODULE, "见证告警"
    list_url_name = "evidence:alarm_list"
