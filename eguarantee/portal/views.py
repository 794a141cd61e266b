import json

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from eguarantee.audit.batch import BatchedAuditMixin
from eguarantee.core.context import client_ip
from eguarantee.core.exceptions import ServiceError
from eguarantee.core.forms import BootstrapForm
from eguarantee.core.views import BuildingView
from eguarantee.evidence import verification

# The portal's entries (6.1.2). Each leads to a working page or says it is being built.
ENTRIES = [
    ("保函申请", "bi-file-earmark-plus", "portal:apply", "申请人在线申请投标、履约、支付、质量、工资保函"),
    ("保函查验", "bi-patch-check", "portal:verify", "受益人与主管部门查验保函真伪与状态"),
    ("保函索赔", "bi-cash-coin", "portal:claim", "受益人在线提交索赔"),
    ("注册", "bi-person-plus", "accounts:register", "申请人、保证人、受益人注册账号"),
    ("登录", "bi-box-arrow-in-right", "accounts:login", "已有账号登录平台"),
]


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = ENTRIES
        return context


class ApplyView(BuildingView):
    title = "保函申请"

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class VerifyNumberForm(BootstrapForm):
    number = forms.CharField(
        label="保函编号", max_length=verification.NUMBER_MAX, error_messages={"required": "请输入保函编号。"}
    )
    code = forms.CharField(
        label="验真码",
        max_length=verification.CODE_MAX,
        error_messages={"required": "请输入验真码。"},
        help_text="印在保函上的8位验真码，不区分大小写。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["code"].widget.attrs.update(autocomplete="off", spellcheck="false")


class VerifyDocumentForm(BootstrapForm):
    file = forms.FileField(
        label="保函PDF文件",
        error_messages={"required": "请选择要上传的保函PDF文件。", "empty": "文件为空。"},
        help_text="上传平台出具的保函PDF原件，系统按文件内容（SHA-256）比对，文件不会被保存。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,application/pdf"


@method_decorator(never_cache, name="dispatch")  # a result names the parties: no shared caches
class VerifyView(BatchedAuditMixin, View):
    """保函查验 (6.1.2): by 保函编号 and 验真码, or by uploading the PDF; no login. The QR code
    on the PDF opens this page with ?number=, and the holder types the code. A lookup only
    reads: its operation-log row is written in a batch."""

    template_name = "portal/verify.html"

    def get(self, request):
        number = request.GET.get("number", "").strip()[: verification.NUMBER_MAX]
        form = VerifyNumberForm(initial={"number": number})
        if number:  # from the QR code: only the code is left to type
            form.fields["code"].widget.attrs["autofocus"] = True
        return self.show(request, form, from_link=bool(number))

    def post(self, request):
        if request.POST.get("mode") == "document":
            form = VerifyDocumentForm(request.POST, request.FILES)
        else:
            form = VerifyNumberForm(request.POST)
        if not form.is_valid():
            return self.show(request, form, status=400)
        try:
            result = self.lookup(form, client_ip(request))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.show(request, form, status=exc.status)
        return self.show(request, form, result=result)

    def lookup(self, form, ip):
        data = form.cleaned_data
        if isinstance(form, VerifyDocumentForm):
            return verification.by_document(data["file"], ip)
        return verification.by_number(data["number"], data["code"], ip)

    def show(self, request, form, status=200, **extra):
        number_form = form if isinstance(form, VerifyNumberForm) else VerifyNumberForm()
        document_form = form if isinstance(form, VerifyDocumentForm) else VerifyDocumentForm()
        context = {
            "page_label": "保函查验",
            "number_form": number_form,
            "document_form": document_form,
            "active": "document" if form is document_form else "number",
            "offline_command": verification.OFFLINE_COMMAND,
            **extra,
        }
        return render(request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class VerifyBundleView(View):
    """The proof bundle of a document just verified: the link carries a signed, short-lived
    token naming the leaf, so bundles cannot be fetched by counting through leaves."""

    def get(self, request):
        try:
            name, bundle = verification.bundle_for_token(request.GET.get("token", ""))
        except ServiceError as exc:
            context = {
                "page_label": "保函查验",
                "number_form": VerifyNumberForm(),
                "document_form": VerifyDocumentForm(),
                "active": "number",
                "bundle_error": exc.message,
            }
            return render(request, VerifyView.template_name, context, status=exc.status)
        body = json.dumps(bundle, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class ClaimView(ApplyView):
    title = "保函索赔"
