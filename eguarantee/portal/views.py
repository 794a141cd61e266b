import json
from functools import partial

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from markupsafe import Markup

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
@method_decorator(csrf_exempt, name="dispatch")
class VerifyView(BatchedAuditMixin, View):
    """保函查验 (6.1.2): by 保函编号 and 验真码, or by uploading the PDF; no login. The QR code
    on the PDF opens this page with ?number=, and the holder types the code.

    A lookup only reads, and is open to anyone: its operation-log row is written in a
    batch, and it takes no CSRF token, as the API takes none. A forged cross-site lookup
    changes nothing and cannot read the answer; the page sets no cookie at all."""

    template_name = "portal/verify.html"

    def get(self, request):
        number = request.GET.get("number", "").strip()[: verification.NUMBER_MAX]
        form = VerifyNumberForm(initial={"number": number})
        if not number:
            return self.show(request, None)
        form.fields["code"].widget.attrs["autofocus"] = True  # from the QR code: only the code is left to type
        return self.show(request, form, from_link=True)

    def post(self, request):
        plain = None if request.POST.get("mode") == "document" else verification.plain_number_and_code(request.POST)
        if plain is not None:  # every real lookup: the form is built only if it is shown again
            form, lookup = None, partial(verification.by_number, *plain)
        else:
            form = self.bound_form(request)
            if not form.is_valid():
                return self.show(request, form, status=400)
            lookup = partial(self.lookup, form)
        try:
            result = lookup(client_ip(request))
        except ServiceError as exc:
            if form is None:
                form = self.bound_form(request)
                form.is_valid()  # plain input always is
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.show(request, form, status=exc.status)
        if form is None and not result.genuine:  # shown again as typed, to be corrected
            form = self.bound_form(request)
        return self.show(request, form, result=result)

    def bound_form(self, request):
        if request.POST.get("mode") == "document":
            return VerifyDocumentForm(request.POST, request.FILES)
        return VerifyNumberForm(request.POST)

    def lookup(self, form, ip):
        data = form.cleaned_data
        if isinstance(form, VerifyDocumentForm):
            return verification.by_document(data["file"], ip)
        return verification.by_number(data["number"], data["code"], ip)

    def show(self, request, form, status=200, result=None, **extra):
        if result is not None and result.genuine:
            form = None  # answered: both forms are offered afresh, for the next lookup
        context = {**page_context(form), "from_link": False, **extra}
        if result is not None:
            render = partial(fragment, "portal/_verify_result.html", {"result": result})
            context["result_html"] = verification.rendered(result, "page", render)
        return render_page(request, context, status)


def page_context(form=None):
    """The verification page's forms: `form` as it was filled in, the others blank."""
    number = form if isinstance(form, VerifyNumberForm) else None
    document = form if isinstance(form, VerifyDocumentForm) else None
    return {
        "page_label": "保函查验",
        "number_fields": form_fields(number, VerifyNumberForm),
        "document_fields": form_fields(document, VerifyDocumentForm),
        "offline_command": verification.OFFLINE_COMMAND,
    }


def render_page(request, context, status=200):
    return render(request, VerifyView.template_name, context, status=status)


_BLANK_FIELDS = {}


def form_fields(form, form_class):
    """core/form_fields.html for `form`; for a blank one (form None), which is the same
    every time, rendered once per process and language."""
    if form is not None:
        return fragment("core/form_fields.html", {"form": form})
    key = (form_class, translation.get_language())
    html = _BLANK_FIELDS.get(key)
    if html is None:
        html = _BLANK_FIELDS[key] = fragment("core/form_fields.html", {"form": form_class()})
    return html


def fragment(template_name, context):
    return Markup(render_to_string(template_name, context))  # noqa: S704  an autoescaping template's output


@method_decorator(never_cache, name="dispatch")
class VerifyBundleView(View):
    """The proof bundle of a document just verified: the link carries a signed, short-lived
    token naming the leaf, so bundles cannot be fetched by counting through leaves."""

    def get(self, request):
        try:
            name, bundle = verification.bundle_for_token(request.GET.get("token", ""))
        except ServiceError as exc:
            return render_page(request, {**page_context(), "bundle_error": exc.message}, exc.status)
        body = json.dumps(bundle, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class ClaimView(ApplyView):
    title = "保函索赔"
