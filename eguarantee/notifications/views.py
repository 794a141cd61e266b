import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import ListView

from eguarantee.core.views import ObjectDetailView, ObjectListView

from . import selectors, services, tables
from .models import SmsMessage


class SmsFilterSet(django_filters.FilterSet):
    mobile = django_filters.CharFilter(label="手机号码")
    status = django_filters.ChoiceFilter(label="状态", choices=SmsMessage.Status.choices)
    purpose = django_filters.CharFilter(label="用途")

    class Meta:
        model = SmsMessage
        fields = ["mobile", "status", "purpose"]


SMS_COLUMNS = [
    ("创建时间", "created_at"),
    ("手机号码", "mobile"),
    ("用途", "purpose"),
    ("内容", "content"),
    ("状态", "status"),
    ("通道", "provider"),
    ("尝试次数", "attempts"),
    ("发送时间", "sent_at"),
    ("错误信息", "error"),
]


class SmsListView(ObjectListView):
    permission_required = "notifications.view_smsmessage"
    selector = staticmethod(selectors.sms_messages_for)
    filterset_class = SmsFilterSet
    table_class = tables.SmsTable
    module_label = "平台后台管理"
    page_label = "短信发送记录"
    list_url_name = "notifications:sms_list"
    export_columns = SMS_COLUMNS
    export_filename = "短信发送记录"


class SmsDetailView(ObjectDetailView):
    permission_required = "notifications.view_smsmessage"
    selector = staticmethod(selectors.sms_messages_for)
    module_label = "平台后台管理"
    page_label = "短信发送记录"
    list_url_name = "notifications:sms_list"
    detail_fields = SMS_COLUMNS
    sensitive_read = True


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.inbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_label"] = "站内信"
        return context


class MarkReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        raw = request.POST.getlist("id")
        # No ids: mark everything read. Ids that are not numbers are nobody's messages.
        ids = [int(v) for v in raw if v.isdigit()] if raw else None
        services.mark_read(request.user, ids)
        if request.headers.get("HX-Request") and ids and len(ids) == 1:
            # htmx: swap the one message in place and refresh the bell's count, no reload.
            message = selectors.inbox_for(request.user).filter(pk=ids[0]).first()
            if message is not None:
                return render(
                    request, "notifications/_read.html", {"m": message, "unread": request.user.unread_messages}
                )
        return redirect("notifications:inbox")
