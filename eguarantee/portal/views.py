from django.views.generic import TemplateView

from eguarantee.core.views import BuildingView

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


class VerifyView(BuildingView):
    title = "保函查验"


class ClaimView(ApplyView):
    title = "保函索赔"
