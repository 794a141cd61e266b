"""The log's HTTP protocol, for witnesses, auditors and anyone verifying (all public JSON):

    GET  /evidence/keys                          the log's keys (every one ever used), the witnesses, the quorum
    GET  /evidence/head                          the newest signed tree head, its co-signatures
    GET  /evidence/consistency?first=M&second=N  RFC 9162 consistency proof between two sizes
    GET  /evidence/inclusion?index=I&size=N      leaf hash and inclusion proof
    POST /evidence/cosignatures                  a witness's co-signature (signed)
    POST /evidence/alarms                        a witness's alarm: rolled back or forked (signed)

Errors are the platform's one JSON error shape with a stable code.
"""

import json

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from eguarantee.core.api import error_body
from eguarantee.core.exceptions import ServiceError

from . import merkle, selectors, services, tree
from .signing import b64

MAX_BODY = 64 * 1024


def _error(code, message, status=400, details=None):
    return JsonResponse(error_body(code, message, details), status=status)


def _sizes(request, *names):
    try:
        return [int(request.GET[name]) for name in names]
    except (KeyError, ValueError):
        raise ServiceError(f"参数 {'、'.join(names)} 须为整数。", code="bad_parameter") from None


class ProtocolView(View):
    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ServiceError as exc:
            return _error(exc.code, exc.message, exc.status, exc.details)
        except (merkle.ProofError, LookupError) as exc:
            return _error("no_proof", f"无法给出该证明：{exc}", 400)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = _error("method_not_allowed", "不支持该请求方法。", 405)
        response["Allow"] = ", ".join(m.upper() for m in self._allowed_methods())
        return response


class KeysView(ProtocolView):
    def get(self, request):
        return JsonResponse(selectors.keys_json(), json_dumps_params={"ensure_ascii": False})


class HeadView(ProtocolView):
    def get(self, request):
        head = selectors.latest_head()
        if head is None:
            return _error("empty_log", "证据日志尚无签名树头。", 404)
        body = selectors.head_json(head)
        body["cosignatures"] = selectors.cosignatures_json(head)
        body["confirmed"] = head.confirmed_at is not None
        return JsonResponse(body)


class ConsistencyView(ProtocolView):
    def get(self, request):
        first, second = _sizes(request, "first", "second")
        latest = selectors.latest_head()
        if latest is None or second > latest.size:
            raise ServiceError("大小超出已签名的树头。", code="beyond_head")
        proof = tree.consistency_proof(first, second)
        return JsonResponse({"first": first, "second": second, "proof": [b64(p) for p in proof]})


class InclusionView(ProtocolView):
    def get(self, request):
        index, size = _sizes(request, "index", "size")
        latest = selectors.latest_head()
        if latest is None or size > latest.size:
            raise ServiceError("大小超出已签名的树头。", code="beyond_head")
        proof = tree.inclusion_proof(index, size)
        return JsonResponse(
            {"index": index, "size": size, "leaf_hash": b64(tree.leaf_hash(index)), "proof": [b64(p) for p in proof]}
        )


def _json_body(request):
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise ServiceError("请求体过大。", code="too_large")
    if b"\x00" in raw or b"\\u0000" in raw:  # no field of ours holds one; PostgreSQL refuses it
        raise ServiceError("请求体含有NUL字符。", code="malformed_json")
    try:
        body = json.loads(raw)
    except ValueError:
        raise ServiceError("请求体不是有效的JSON。", code="malformed_json") from None
    if not isinstance(body, dict):
        raise ServiceError("请求体须为JSON对象。", code="malformed_json")
    return body


def _fields(body, *names):
    missing = [name for name in names if name not in body]
    if missing:
        raise ServiceError(f"缺少字段：{'、'.join(missing)}。", code="missing_field", details={"fields": missing})
    return {name: body[name] for name in names}


@method_decorator(csrf_exempt, name="dispatch")  # signed by the witness; no session involved
class CosignatureView(ProtocolView):
    def post(self, request):
        fields = _fields(_json_body(request), "witness", "head", "timestamp", "signature")
        row, confirmed = services.add_cosignature(**fields)
        return JsonResponse({"accepted": True, "size": row.size, "confirmed": confirmed}, status=201)


@method_decorator(csrf_exempt, name="dispatch")
class AlarmView(ProtocolView):
    def post(self, request):
        body = _json_body(request)
        fields = _fields(body, "witness", "reason", "message", "timestamp", "signature")
        alarm = services.raise_alarm(data=body.get("data") or {}, **fields)
        return JsonResponse({"accepted": True, "alarm": alarm.pk}, status=201)
