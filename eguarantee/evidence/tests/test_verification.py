"""保函查验 (6.1.2, 6.3.3): by number and code or by the PDF, on the page and over the API;
genuine answers carry the evidence log's proof, misses say nothing about real guarantees."""

import base64
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eguarantee.core.exceptions import RateLimited, ServiceError
from eguarantee.core.testing import assert_api_error
from eguarantee.evidence import merkle, services, signing, verification
from eguarantee.evidence.models import Entry, TreeHead, Witness
from eguarantee.evidence.testing import issue
from eguarantee.evidence.verify import check_bundle
from eguarantee.guarantees import services as guarantees
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeDocument

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
VERIFY = "/verify/"
API = "/api/v1/verify/"
API_DOCUMENT = "/api/v1/verify/document/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(ready, log_key):
    """An issued guarantee whose document leaf is under a signed head."""
    guarantee = issue(ready)
    services.publish_head()
    return guarantee


def pdf_of(guarantee):
    with guarantee.document.open("rb") as handle:
        return handle.read()


def upload(content, name="保函.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def altered(content):
    """The same PDF with a few bytes changed in the middle (an edited amount, say)."""
    middle = len(content) // 2
    return content[:middle] + bytes(b ^ 0x5A for b in content[middle : middle + 4]) + content[middle + 4 :]


def result_section(response):
    """The answer on the page, without the CSRF tokens that differ on every render."""
    text = response.content.decode()
    found = re.search(r'<section id="verify-result".*?</section>', text, re.S)
    assert found, text[:2000]
    return found.group(0)


def assert_no_leak(text, guarantee):
    for secret in (guarantee.number, guarantee.applicant.name, guarantee.guarantor.name, guarantee.beneficiary_name):
        assert secret not in text


def b64(text):
    return base64.b64decode(text)


# ---------------------------------------------------------------- the service


def test_genuine_by_number_and_code_gives_the_record_and_a_proof_that_verifies(issued, log_key):
    result = verification.by_number(issued.number, issued.verification_code.lower(), IP)  # case does not matter
    assert result.genuine and result.verdict == "valid" and result.message == "真实有效"
    assert result.number == issued.number and result.status_label == "已出函"
    assert result.applicant == issued.applicant.name and result.guarantor == issued.guarantor.name
    assert result.beneficiary == issued.beneficiary_name and result.amount == issued.amount
    assert (result.start_date, result.end_date, result.issued_at) == (
        issued.start_date,
        issued.end_date,
        issued.issued_at,
    )
    assert result.version == 1 and not result.superseded and result.current_version == 1
    evidence = result.evidence
    assert evidence.verified and evidence.entry.kind == "guarantee.document"
    assert evidence.entry.object_id == issued.versions.get().pk
    h = merkle.Hasher(evidence.algorithm)
    merkle.verify_inclusion(
        h, evidence.index, evidence.size, h.leaf(evidence.entry.data.encode()), evidence.path, evidence.root
    )
    assert json.loads(evidence.entry.data)["sha256"] == issued.document_sha256
    assert not evidence.confirmed and evidence.token


def test_a_wrong_code_looks_exactly_like_an_unknown_number(issued):
    wrong = verification.by_number(issued.number, "WRONG234", IP)
    unknown = verification.by_number("HXDB2099TB999999", issued.verification_code, IP)
    assert wrong == unknown == verification.not_genuine()
    assert wrong.message == "未能核验：该保函不存在或信息不符。" and wrong.evidence is None
    assert verification.by_number("HX\x00DB", "A" * 40, IP) == wrong  # never reaches the database


def test_a_guarantee_not_issued_is_not_found_even_with_its_code(ready, log_key):
    draft = issue(ready)
    Guarantee.objects.filter(pk=draft.pk).update(status=GuaranteeStatus.CANCELLED)
    assert not verification.by_number(draft.number, draft.verification_code, IP).genuine


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (GuaranteeStatus.RELEASED, "已解保"),
        (GuaranteeStatus.SURRENDERED, "已退保"),
        (GuaranteeStatus.CLAIMED, "已理赔"),
    ],
)
def test_a_closed_guarantee_is_genuine_and_says_how_it_ended(issued, status, label, client):
    Guarantee.objects.filter(pk=issued.pk).update(status=status, closed_at=timezone.now())
    result = verification.by_number(issued.number, issued.verification_code, IP)
    assert result.genuine and not result.in_force
    assert result.verdict == status and result.status_label == label and result.message == f"真实，{label}"
    page = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": issued.verification_code})
    assert f"真实，{label}" in result_section(page) and "真实有效" not in result_section(page)


def test_past_its_end_date_an_issued_guarantee_is_genuine_but_expired(issued):
    Guarantee.objects.filter(pk=issued.pk).update(end_date=timezone.localdate() - timezone.timedelta(days=1))
    result = verification.by_number(issued.number, issued.verification_code, IP)
    assert result.genuine and result.verdict == "expired" and result.message == "真实，已过失效日期"


def test_the_genuine_pdf_is_found_by_its_bytes(issued):
    result = verification.by_document(pdf_of(issued), IP)
    assert result.genuine and result.number == issued.number and result.evidence.verified
    assert result.document_sha256 == issued.document_sha256


def test_an_altered_pdf_is_not_genuine(issued):
    assert verification.by_document(altered(pdf_of(issued)), IP) == verification.not_genuine()


def test_a_superseded_version_is_genuine_but_says_the_current_one_differs(issued):
    first = issued.versions.get()
    GuaranteeDocument.objects.filter(pk=first.pk).update(superseded_at=timezone.now())
    GuaranteeDocument.objects.create(
        guarantee=issued,
        version=2,
        file=first.file.name,
        sm3="e" * 64,
        sha256="f" * 64,
        amount=issued.amount * 2,
        end_date=issued.end_date,
        issued_at=timezone.now(),
    )
    result = verification.by_document(pdf_of(issued), IP)
    assert result.genuine and result.superseded and result.verdict == "superseded"
    assert (result.version, result.current_version) == (1, 2)
    assert "已被新版本替代" in result.message
    assert result.evidence.verified  # the old version's own leaf still proves it was issued
    current = verification.by_number(issued.number, issued.verification_code, IP)
    assert (current.version, current.current_version, current.superseded) == (2, 2, False)
    assert current.document_amount == issued.amount * 2 and current.amount == issued.amount
    assert current.evidence.state == "missing"  # this version was written behind the platform's back


def test_a_proof_that_does_not_lead_to_the_root_is_not_shown(issued, caplog):
    entry = Entry.objects.get(kind="guarantee.document")
    Entry.objects.filter(pk=entry.pk).update(data=entry.data.replace('"version":1', '"version":9'))
    result = verification.by_number(issued.number, issued.verification_code, IP)
    assert result.genuine and result.evidence.state == "failed" and not result.evidence.token
    assert "does not verify" in caplog.text


def test_before_a_head_is_signed_the_proof_is_pending(ready, log_key):
    guarantee = issue(ready)
    result = verification.by_number(guarantee.number, guarantee.verification_code, IP)
    assert result.genuine and result.evidence.state == "pending" and not result.evidence.token


def cosign(witnesses):
    """Every witness co-signs the newest head, which confirms it."""
    claimed = services.head_of(services.publish_head())
    for name, pair in witnesses.items():
        stamp = claimed.timestamp + 1
        services.add_cosignature(
            witness=name,
            head=claimed.as_json(),
            timestamp=stamp,
            signature=signing.b64(pair.sign(signing.cosign_body(claimed, name, stamp))),
        )


def test_witness_confirmation_is_shown_k_of_n(issued, witnesses, client):
    cosign(witnesses)
    evidence = verification.by_number(issued.number, issued.verification_code, IP).evidence
    assert evidence.confirmed and sorted(evidence.witness_names) == ["fj-jtt", "xm-zjj"]
    page = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": issued.verification_code})
    assert "已确认</span>：2/2 个见证节点联署（需 2 个）" in result_section(page)


def test_empty_input_is_refused_with_a_message(db):
    with pytest.raises(ServiceError, match="请输入保函编号"):
        verification.by_number(" ", "ABC", IP)
    with pytest.raises(ServiceError, match="请输入验真码"):
        verification.by_number("HXDB2026TB000001", "", IP)


def test_lookups_are_limited_per_ip_and_minute_and_uploads_count(issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    verification.by_number(issued.number, issued.verification_code, IP)
    verification.by_document(pdf_of(issued), IP)
    verification.by_number("HXDB2099TB999999", "WRONG234", IP)
    with pytest.raises(RateLimited, match="查验过于频繁") as refused:
        verification.by_number(issued.number, issued.verification_code, IP)
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    with pytest.raises(RateLimited):
        verification.by_document(pdf_of(issued), IP)
    assert verification.by_number(issued.number, issued.verification_code, "198.51.100.1").genuine  # another IP


# ---------------------------------------------------------------- the page


def test_the_qr_link_fills_in_the_number_and_asks_for_the_code(client, issued):
    response = client.get(reverse("portal:verify"), {"number": issued.number})
    text = response.content.decode()
    assert response.status_code == 200 and f'value="{issued.number}"' in text
    assert "请输入保函上印制的验真码" in text and "autofocus" in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_shows_genuine_status_parties_and_the_proof(client, issued):
    response = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": issued.verification_code})
    section = result_section(response)
    assert response.status_code == 200 and "真实有效" in section
    for value in (issued.number, issued.applicant.name, issued.guarantor.name, issued.beneficiary_name, "已出函"):
        assert value in section
    evidence = verification.by_number(issued.number, issued.verification_code, IP).evidence
    assert f'id="proof-index">{evidence.index}<' in section and f'id="proof-size">{evidence.size}<' in section
    assert evidence.root.hex() in section and "包含证明路径" in section
    assert "python -m eguarantee.evidence.verify bundle.json --document 保函.pdf" in section
    assert 'id="proof-bundle"' in section


def test_on_the_page_a_wrong_code_and_an_unknown_number_answer_the_same(client, issued):
    wrong = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": "WRONG234"})
    unknown = client.post(VERIFY, {"mode": "number", "number": "HXDB2099TB999999", "code": "WRONG234"})
    assert wrong.status_code == unknown.status_code == 200
    assert result_section(wrong) == result_section(unknown)
    assert "未能核验：该保函不存在或信息不符" in result_section(wrong)
    assert_no_leak(result_section(wrong), issued)


def test_a_miss_keeps_what_was_typed_and_an_answer_offers_blank_forms(client, issued):
    for number in ("HXDB2099TB999999", "保函编号一"):  # plain, and one only the form cleans
        miss = client.post(VERIFY, {"mode": "number", "number": number, "code": "WRONG234"}).content.decode()
        assert f'value="{number}"' in miss and 'value="WRONG234"' in miss
    answer = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": issued.verification_code})
    text = answer.content.decode()
    assert "真实有效" in result_section(answer)
    assert f'value="{issued.number}"' not in text and issued.verification_code not in text


def test_the_page_takes_no_csrf_token_and_sets_no_cookie(issued):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(VERIFY, {"mode": "number", "number": issued.number, "code": issued.verification_code})
    assert response.status_code == 200 and "真实有效" in result_section(response)
    text = response.content.decode()
    assert "csrfmiddlewaretoken" not in text and 'name="csrf-token"' not in text and not response.cookies
    assert 'name="csrf-token"' in client.get(reverse("accounts:login")).content.decode()  # other pages keep it


def test_uploading_the_genuine_pdf_shows_it_genuine_with_its_proof(client, issued):
    response = client.post(VERIFY, {"mode": "document", "file": upload(pdf_of(issued))})
    section = result_section(response)
    assert "真实有效" in section and issued.number in section and 'id="proof-bundle"' in section


def test_uploading_an_altered_pdf_is_rejected_without_a_leak(client, issued):
    response = client.post(VERIFY, {"mode": "document", "file": upload(altered(pdf_of(issued)))})
    assert response.status_code == 200
    assert "未能核验：该保函不存在或信息不符" in result_section(response)
    assert_no_leak(response.content.decode(), issued)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "number", "number": "", "code": ""}, "请输入保函编号。"),
        ({"mode": "number", "number": "HXDB2026TB000001", "code": ""}, "请输入验真码。"),
        ({"mode": "document"}, "请选择要上传的保函PDF文件。"),
    ],
)
def test_empty_forms_get_clear_messages(client, db, data, message):
    response = client.post(VERIFY, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_file_that_is_not_a_pdf_gets_a_clear_message(client, db):
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64
    response = client.post(VERIFY, {"mode": "document", "file": upload(png, "保函.pdf")})
    assert response.status_code == 400 and "文件内容不是允许的类型（PDF）" in response.content.decode()
    text = client.post(VERIFY, {"mode": "document", "file": upload(b"hello", "保函.txt", "text/plain")})
    assert text.status_code == 400 and "文件内容不是允许的类型（PDF）" in text.content.decode()


def test_an_oversized_file_gets_a_clear_message(client, issued, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = client.post(VERIFY, {"mode": "document", "file": upload(pdf_of(issued))})
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert_no_leak(response.content.decode(), issued)


def test_the_page_refuses_past_the_rate_limit_in_chinese(client, issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert client.post(VERIFY, {"mode": "number", "number": "X1", "code": "Y2"}).status_code == 200
    response = client.post(VERIFY, {"mode": "document", "file": upload(pdf_of(issued))})
    assert response.status_code == 429 and "查验过于频繁，请1分钟后再试。" in response.content.decode()
    again = client.post(VERIFY, {"mode": "number", "number": "X1", "code": "Y2"}).content.decode()
    assert "查验过于频繁，请1分钟后再试。" in again and 'value="X1"' in again


# ---------------------------------------------------------------- the proof bundle


def _bundle_link(response):
    found = re.search(r'id="proof-bundle" href="([^"]+)"', response.content.decode())
    assert found
    return found.group(1).replace("&amp;", "&")


def test_the_bundle_is_downloaded_with_the_token_of_a_verification_and_checks_offline(client, issued, witnesses):
    cosign(witnesses)
    response = client.post(VERIFY, {"mode": "document", "file": upload(pdf_of(issued))})
    download = client.get(_bundle_link(response))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/json")
    assert download["Content-Disposition"] == f'attachment; filename="proof-{issued.number}-v1.json"'
    bundle = json.loads(download.content)
    assert bundle["format"] == "eguarantee-proof-bundle/v1" and bundle["leaf"]["kind"] == "guarantee.document"
    assert check_bundle(bundle, document=pdf_of(issued)).ok
    assert not check_bundle(bundle, document=altered(pdf_of(issued))).ok


def test_the_bundle_needs_a_valid_token(client, issued):
    url = reverse("portal:verify_bundle")
    assert client.get(url).status_code == 400
    entry = Entry.objects.get(kind="guarantee.document")
    forged = verification.bundle_token(entry)[:-2] + "xx"
    response = client.get(url, {"token": forged})
    assert response.status_code == 400 and "证明包下载链接无效" in response.content.decode()
    from django.core import signing as django_signing

    other_salt = django_signing.dumps({"entry": entry.pk})  # signed, but not for this purpose
    assert client.get(url, {"token": other_salt}).status_code == 400


def test_an_expired_bundle_token_says_so(client, issued, settings, monkeypatch):
    token = verification.bundle_token(Entry.objects.get(kind="guarantee.document"))
    monkeypatch.setattr(verification, "BUNDLE_TOKEN_SECONDS", -1)
    response = client.get(reverse("portal:verify_bundle"), {"token": token})
    assert response.status_code == 400 and "已过期" in response.content.decode()


# ---------------------------------------------------------------- the API


def test_api_genuine_by_number_and_code_with_a_proof(client, issued):
    response = client.post(
        API, {"number": issued.number, "code": issued.verification_code}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] and body["verdict"] == "valid" and body["message"] == "真实有效"
    assert body["guarantee"]["number"] == issued.number and body["guarantee"]["status_label"] == "已出函"
    assert body["guarantee"]["applicant"] == issued.applicant.name and body["guarantee"]["amount"] == "200000.00"
    assert body["document"] == {
        "version": 1,
        "sha256": issued.document_sha256,
        "issued_at": body["document"]["issued_at"],
        "amount": "200000.00",
        "end_date": issued.end_date.isoformat(),
        "superseded": False,
        "superseded_at": None,
        "current_version": 1,
    }
    evidence = body["evidence"]
    assert evidence["state"] == "verified" and evidence["leaf_kind"] == "guarantee.document"
    h = merkle.Hasher(evidence["algorithm"])
    assert b64(evidence["leaf_hash"]) == h.leaf(evidence["leaf_data"].encode())
    merkle.verify_inclusion(
        h,
        evidence["leaf_index"],
        evidence["tree_size"],
        b64(evidence["leaf_hash"]),
        [b64(node) for node in evidence["inclusion_proof"]],
        b64(evidence["root"]),
    )
    assert body["bundle_url"].startswith("http://testserver/verify/bundle/?token=")
    assert client.get(body["bundle_url"]).status_code == 200


def test_api_wrong_code_and_unknown_number_answer_the_same(client, issued):
    wrong = client.post(API, {"number": issued.number, "code": "WRONG234"}, content_type="application/json")
    unknown = client.post(API, {"number": "HXDB2099TB999999", "code": "WRONG234"}, content_type="application/json")
    assert wrong.status_code == unknown.status_code == 200
    assert (
        wrong.json()
        == unknown.json()
        == {
            "genuine": False,
            "verdict": "",
            "message": "未能核验：该保函不存在或信息不符。",
            "guarantee": None,
            "document": None,
            "evidence": None,
            "bundle_url": None,
        }
    )


def test_api_upload_genuine_and_altered(client, issued):
    genuine = client.post(API_DOCUMENT, {"file": upload(pdf_of(issued))})
    assert genuine.status_code == 200 and genuine.json()["genuine"]
    assert genuine.json()["evidence"]["state"] == "verified"
    forged = client.post(API_DOCUMENT, {"file": upload(altered(pdf_of(issued)))})
    assert forged.status_code == 200 and forged.json()["genuine"] is False
    assert_no_leak(forged.content.decode(), issued)


def test_api_bad_input_gets_json_errors_with_codes(client, issued, settings):
    assert_api_error(client.post(API, {"number": ""}, content_type="application/json"), 400, "validation_error")
    assert_api_error(client.post(API, "[1, 2]", content_type="application/json"), 400, "validation_error")
    refusals = ({"number": "N" * 41, "code": "ABCD2345"}, {"number": "HX\x00DB", "code": "ABCD2345"}, {"code": "A"})
    for refused in refusals:
        assert_api_error(client.post(API, refused, content_type="application/json"), 400, "validation_error")
    # What the serializer takes but no guarantee has: a number (as DRF's CharField reads it), Chinese
    for taken in ({"number": 20260001, "code": "ABCD2345"}, {"number": "保函一号", "code": "验真码"}):
        assert client.post(API, taken, content_type="application/json").json()["genuine"] is False
    spaced = {"number": f" {issued.number} ", "code": f"\t{issued.verification_code.lower()} "}
    assert client.post(API, spaced, content_type="application/json").json()["genuine"] is True
    assert_api_error(client.post(API_DOCUMENT, {}), 400, "validation_error")
    assert_api_error(
        client.post(API_DOCUMENT, {"file": upload(b"plain text", "a.pdf", "text/plain")}), 400, "file_type_not_allowed"
    )
    assert_api_error(
        client.post(API_DOCUMENT, {"number": 1}, content_type="application/json"), 415, "unsupported_media_type"
    )
    settings.UPLOAD_MAX_BYTES = 1024
    assert_api_error(client.post(API_DOCUMENT, {"file": upload(pdf_of(issued))}), 400, "file_too_large")
    assert_api_error(client.get(API), 405, "method_not_allowed")


def test_api_is_rate_limited_with_429(client, issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 2
    client.post(API, {"number": issued.number, "code": issued.verification_code}, content_type="application/json")
    client.post(API_DOCUMENT, {"file": upload(pdf_of(issued))})
    body = assert_api_error(
        client.post(API, {"number": issued.number, "code": issued.verification_code}, content_type="application/json"),
        429,
        "rate_limited",
    )
    assert body["error"]["message"] == "查验过于频繁，请1分钟后再试。"
    # the page and the API share the budget
    assert client.post(VERIFY, {"mode": "number", "number": "X1", "code": "Y2"}).status_code == 429


def test_api_is_public_even_for_a_logged_in_client_without_csrf(api_for, issued):
    client = api_for("beneficiary_operator")
    client.enforce_csrf_checks = True
    response = client.post(API, {"number": issued.number, "code": issued.verification_code}, format="json")
    assert response.status_code == 200 and response.json()["genuine"]


def test_api_schema_lists_the_verification_routes(client, db):
    text = client.get("/api/schema/").content.decode()
    assert "/api/v1/verify/:" in text and "/api/v1/verify/document/:" in text


# ---------------------------------------------------------------- departments' inspections (6.3.3)


def test_the_inspection_record_shows_the_inspected_guarantees_proof(client_for, demo_users, issued):
    result, found, inspection = guarantees.inspect(
        actor=demo_users["department_inspector"], number=issued.number, code=issued.verification_code
    )
    assert result == "genuine" and found == [issued]
    response = client_for("department_inspector").get(reverse("guarantees:inspection_detail", args=[inspection.pk]))
    text = response.content.decode()
    evidence = verification.evidence_for_guarantee(issued)
    assert response.status_code == 200 and "存证证明" in text and "证明已校验" in text
    assert f'id="proof-index">{evidence.index}<' in text and evidence.root.hex() in text


def test_an_inspection_that_found_nothing_shows_no_proof(client_for, demo_users, issued):
    inspector = demo_users["department_inspector"]
    _, _, inspection = guarantees.inspect(actor=inspector, number="HXDB2099TB999999", code="WRONG234")
    text = client_for("department_inspector").get(reverse("guarantees:inspection_detail", args=[inspection.pk]))
    assert text.status_code == 200 and "存证证明" not in text.content.decode()


# ---------------------------------------------------------------- what a lookup reads


def test_a_lookup_reads_the_guarantee_and_its_versions_in_one_query(issued, django_assert_num_queries):
    verification.by_number(issued.number, issued.verification_code, IP)  # the log's heads, read once
    with django_assert_num_queries(1):
        result = verification.by_number(issued.number, issued.verification_code, IP)
    assert result.evidence.verified


def test_the_next_lookup_sees_a_new_head_a_confirmation_and_a_disabled_witness(ready, log_key, witnesses, demo_users):
    guarantee = issue(ready)
    lookup = lambda: verification.by_number(guarantee.number, guarantee.verification_code, IP).evidence  # noqa: E731
    assert lookup().state == "pending"
    head = services.publish_head()
    first = lookup()
    assert first.verified and first.size == head.size and not first.confirmed and first.witnesses == 2
    cosign(witnesses)  # the same head, now confirmed by both witnesses
    confirmed = lookup()
    assert confirmed.confirmed and confirmed.size == head.size and len(confirmed.cosignatures) == 2
    services.set_witness_active(Witness.objects.get(name="xm-zjj"), active=False, actor=demo_users["platform_admin"])
    assert lookup().witnesses == 1


def test_a_leaf_altered_after_a_good_lookup_fails_the_next_one(issued, caplog):
    assert verification.by_number(issued.number, issued.verification_code, IP).evidence.verified
    entry = Entry.objects.get(kind="guarantee.document")
    Entry.objects.filter(pk=entry.pk).update(data=entry.data.replace('"version":1', '"version":9'))
    assert verification.by_number(issued.number, issued.verification_code, IP).evidence.state == "failed"


def test_a_head_whose_row_was_altered_is_not_trusted_from_memory(issued, caplog):
    """A head's row changed behind the platform (its root) is a new generation: the next
    lookup reads it again, and its signature no longer checks out."""
    assert verification.by_number(issued.number, issued.verification_code, IP).evidence.verified
    TreeHead.objects.update(root=b"\x01" * 32)
    assert verification.by_number(issued.number, issued.verification_code, IP).evidence.state == "failed"


@pytest.mark.parametrize("case", ["genuine", "superseded", "miss", "pending"])
def test_the_api_answer_is_what_its_serializer_documents(rf, ready, log_key, case):
    from eguarantee.evidence.api import serializers as s

    guarantee = issue(ready)
    if case != "pending":
        services.publish_head()
    document = guarantee.versions.get()
    if case == "superseded":
        GuaranteeDocument.objects.filter(pk=document.pk).update(superseded_at=timezone.now())
    code = "WRONG234" if case == "miss" else guarantee.verification_code
    result = verification.by_number(guarantee.number, code, IP)
    request = rf.post(API)
    assert s.result_json(result, request) == s.VerificationResultSerializer(s.result_payload(result, request)).data
