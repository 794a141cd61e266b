"""The public verification API's bodies (保函查验, 6.1.2). Hashes and signatures are base64,
as in the log's protocol and the proof bundle."""

from urllib.parse import quote

from django.urls import reverse
from rest_framework import serializers

from eguarantee.evidence import selectors
from eguarantee.evidence.signing import b64
from eguarantee.evidence.verification import CODE_MAX, NUMBER_MAX, plain_number_and_code
from eguarantee.guarantees.choices import GuaranteeStatus


class VerifyNumberSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=NUMBER_MAX, help_text="保函编号")
    code = serializers.CharField(max_length=CODE_MAX, help_text="验真码（印在保函上，不区分大小写）")


def number_and_code(data):
    """(number, code) of a lookup's body, as VerifyNumberSerializer validates them; the
    serializer is built only for a body that is not plain (plain_number_and_code), for its
    error or its cleaning: it cost more than the lookup."""
    plain = plain_number_and_code(data)
    if plain is not None:
        return plain
    body = VerifyNumberSerializer(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data["number"], body.validated_data["code"]


class VerifyDocumentSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="平台出具的保函PDF原件，不超过上传大小上限；按文件内容（SHA-256）比对，不保存"
    )


class GuaranteeRecordSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="保函编号")
    status = serializers.ChoiceField(choices=GuaranteeStatus.choices)
    status_label = serializers.CharField(help_text="状态名称：已出函、已解保、已退保、已理赔……")
    in_force = serializers.BooleanField(help_text="今天仍在有效期内且未解保、退保、理赔")
    guarantee_type = serializers.CharField()
    applicant = serializers.CharField()
    guarantor = serializers.CharField()
    beneficiary = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    issued_at = serializers.DateTimeField()


class DocumentRecordSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="所核验文件的版本")
    sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="该版本载明的担保金额")
    end_date = serializers.DateField(help_text="该版本载明的失效日期")
    superseded = serializers.BooleanField(help_text="已被保函变更后的新版本替代；当前内容与该文件不同")
    superseded_at = serializers.DateTimeField(allow_null=True)
    current_version = serializers.IntegerField(allow_null=True)


class CosignatureSerializer(serializers.Serializer):
    witness = serializers.CharField()
    key_id = serializers.CharField()
    timestamp = serializers.IntegerField(help_text="毫秒")
    signature = serializers.CharField(help_text="SM2签名（DER，base64）")


class HeadSerializer(serializers.Serializer):
    origin = serializers.CharField()
    size = serializers.IntegerField()
    root = serializers.CharField(help_text="base64")
    algorithm = serializers.CharField()
    timestamp = serializers.IntegerField(help_text="毫秒")
    key_id = serializers.CharField()
    signature = serializers.CharField(help_text="平台SM2签名（DER，base64）")


class EvidenceSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[
            ("verified", "证明已校验"),
            ("pending", "待纳入签名树头"),
            ("missing", "无存证"),
            ("failed", "校验未通过"),
        ]
    )
    message = serializers.CharField()
    leaf_index = serializers.IntegerField(allow_null=True, required=False)
    leaf_kind = serializers.CharField(required=False)
    leaf_data = serializers.CharField(required=False, help_text="叶子数据（规范JSON）；叶子哈希 = H(0x00‖leaf_data)")
    leaf_hash = serializers.CharField(required=False, help_text="base64")
    tree_size = serializers.IntegerField(required=False)
    algorithm = serializers.CharField(required=False)
    root = serializers.CharField(required=False, help_text="base64")
    signed_at = serializers.DateTimeField(required=False)
    head = HeadSerializer(required=False)
    inclusion_proof = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="base64，自叶子向根"
    )
    confirmed = serializers.BooleanField(required=False, help_text="树头已获足够见证节点联署")
    cosignatures = CosignatureSerializer(many=True, required=False)
    witnesses = serializers.IntegerField(required=False, help_text="参与确认的见证节点数（n）")
    quorum = serializers.IntegerField(required=False, help_text="确认所需联署数（k）")


class VerificationResultSerializer(serializers.Serializer):
    genuine = serializers.BooleanField()
    verdict = serializers.CharField(
        help_text="valid、expired、released、surrendered、claimed、superseded……；未核验时为空"
    )
    message = serializers.CharField()
    guarantee = GuaranteeRecordSerializer(allow_null=True)
    document = DocumentRecordSerializer(allow_null=True)
    evidence = EvidenceSerializer(allow_null=True)
    bundle_url = serializers.URLField(allow_null=True, help_text="证明包下载地址（含限时令牌）")


def evidence_json(evidence):
    if evidence is None:
        return None
    data = {"state": evidence.state, "message": evidence.message}
    if not evidence.verified:
        data["leaf_index"] = None  # as the serializer gives a missing field that allows null
        return data
    entry, head = evidence.entry, evidence.head
    data.update(
        leaf_index=entry.index,
        leaf_kind=entry.kind,
        leaf_data=entry.data,
        leaf_hash=b64(evidence.leaf_hash),
        tree_size=head.size,
        algorithm=head.algorithm,
        root=b64(bytes(head.root)),
        signed_at=evidence.signed_at,
        head=selectors.head_json(head),
        inclusion_proof=[b64(node) for node in evidence.path],
        confirmed=evidence.confirmed,
        cosignatures=evidence.cosignatures,
        witnesses=evidence.witnesses,
        quorum=evidence.quorum,
    )
    return data


# The fields of VerificationResultSerializer whose values are not JSON already, each shown
# by the very DRF field that documents it.
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
_MONEY = serializers.DecimalField(max_digits=18, decimal_places=2)
_SHOWN = {
    "guarantee": {
        "amount": _MONEY,
        "start_date": _DATE,
        "end_date": _DATE,
        "issued_at": _DATETIME,
    },
    "document": {"issued_at": _DATETIME, "amount": _MONEY, "end_date": _DATE, "superseded_at": _DATETIME},
    "evidence": {"signed_at": _DATETIME},
}


def result_json(result, request):
    """The answer to one lookup, as VerificationResultSerializer documents it; a miss carries
    the generic message and nothing else. Built without running the serializer, which cost
    the public lookup more than reading the guarantee (the test keeps the two equal)."""
    payload = result_payload(result, request)
    for part, fields in _SHOWN.items():
        values = payload[part]
        if values is None:
            continue
        for name, shown in fields.items():
            if values.get(name) is not None:
                values[name] = shown.to_representation(values[name])
    return payload


def result_payload(result, request):
    """result_json before its dates and amounts are shown as text."""
    if not result.genuine:
        payload = {"genuine": False, "verdict": "", "message": result.message}
        payload.update(guarantee=None, document=None, evidence=None, bundle_url=None)
        return payload
    evidence = result.evidence
    token = evidence.token if evidence else ""
    payload = {
        "genuine": True,
        "verdict": result.verdict,
        "message": result.message,
        "guarantee": {
            "number": result.number,
            "status": result.status,
            "status_label": result.status_label,
            "in_force": result.in_force,
            "guarantee_type": result.guarantee_type,
            "applicant": result.applicant,
            "guarantor": result.guarantor,
            "beneficiary": result.beneficiary,
            "amount": result.amount,
            "start_date": result.start_date,
            "end_date": result.end_date,
            "issued_at": result.issued_at,
        },
        "document": None
        if result.version is None
        else {
            "version": result.version,
            "sha256": result.document_sha256,
            "issued_at": result.document_issued_at,
            "amount": result.document_amount,
            "end_date": result.document_end_date,
            "superseded": result.superseded,
            "superseded_at": result.superseded_at,
            "current_version": result.current_version,
        },
        "evidence": evidence_json(evidence),
        "bundle_url": request.build_absolute_uri(f"{reverse('portal:verify_bundle')}?token={quote(token)}")
        if token
        else None,
    }
    return payload
