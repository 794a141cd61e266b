"""保函查验 over the API (6.1.2): public, no account, rate limited per IP like the page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eguarantee.audit.batch import BatchedAuditMixin
from eguarantee.core.context import client_ip
from eguarantee.evidence import verification

from . import serializers as s

RATE_LIMITED = OpenApiResponse(description="查验过于频繁（code=rate_limited），1分钟后再试")
BAD_INPUT = OpenApiResponse(description="参数错误（validation_error），或文件不是PDF、过大、为空（file_*）")
DESCRIPTION = (
    "不符时只返回统一提示（genuine=false），不说明是编号、验真码还是文件不符。"
    "核验成功时返回平台记录、文件版本，以及该文件在证据日志中的叶子、包含证明和签名树头（已在服务端校验）；"
    "bundle_url 下载证明包，可用 `python -m eguarantee.evidence.verify bundle.json --document 保函.pdf` 离线校验。"
)


class PublicView(BatchedAuditMixin, APIView):
    # No authentication at all: nothing here depends on who asks, and without a session
    # DRF needs no CSRF token from other sites' clients. Lookups only read: their
    # operation-log rows are written in batches.
    authentication_classes = []
    permission_classes = [AllowAny]


class VerifyView(PublicView):
    @extend_schema(
        summary="按保函编号和验真码查验",
        description=DESCRIPTION,
        request=s.VerifyNumberSerializer,
        responses={200: s.VerificationResultSerializer, 400: BAD_INPUT, 429: RATE_LIMITED},
    )
    def post(self, request):
        number, code = s.number_and_code(request.data)
        return answer(request, verification.by_number(number, code, client_ip(request)))


class VerifyDocumentView(PublicView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="上传保函PDF查验",
        description=DESCRIPTION,
        request={"multipart/form-data": s.VerifyDocumentSerializer},
        responses={200: s.VerificationResultSerializer, 400: BAD_INPUT, 429: RATE_LIMITED},
    )
    def post(self, request):
        body = s.VerifyDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return answer(request, verification.by_document(body.validated_data["file"], client_ip(request)))


def answer(request, result):
    """The lookup's JSON; built once for a result kept in memory (per host: its bundle_url)."""
    name = ("api", request.scheme, request.get_host())
    return Response(verification.rendered(result, name, lambda: s.result_json(result, request)))
