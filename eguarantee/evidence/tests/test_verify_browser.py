"""保函查验 in a real browser: the QR link opens the page with the number filled in, the
holder types the code and sees 真实有效 with the evidence log's proof and takes the bundle
away; then an altered copy of the PDF is uploaded and turned away."""

import json
from pathlib import Path

import pytest

from eguarantee.evidence import services
from eguarantee.evidence.testing import issue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_verify_by_number_and_code_then_an_altered_pdf_is_rejected(page, ready, log_key, tmp_path, assert_styled):
    guarantee = issue(ready)  # signing moves off Playwright's running loop by itself
    head = services.publish_head()

    page.goto(f"/verify/?number={guarantee.number}")  # what the QR code on the PDF opens
    assert_styled(page)
    assert page.input_value("#id_number") == guarantee.number
    page.get_by_text("请输入保函上印制的验真码").wait_for()
    page.fill("#id_code", guarantee.verification_code)
    page.get_by_role("button", name="查验", exact=True).click()
    verdict = page.locator("#verify-verdict")
    verdict.wait_for()
    assert "真实有效" in verdict.inner_text()
    record = page.locator("#verify-record").inner_text()
    assert guarantee.number in record and guarantee.applicant.name in record and "已出函" in record

    proof = page.locator("#evidence-proof")
    assert "证明已校验" in proof.inner_text()
    assert page.locator("#proof-size").inner_text() == str(head.size)
    assert page.locator("#proof-root").inner_text() == bytes(head.root).hex()
    path = page.locator("#proof-path li")
    assert not path.first.is_visible()  # folded until asked for
    page.locator("#proof-path summary").click()
    assert path.first.is_visible() and path.count() > 0

    with page.expect_download() as download:
        page.locator("#proof-bundle").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["head"]["size"] == head.size and bundle["leaf"]["kind"] == "guarantee.document"

    with guarantee.document.open("rb") as handle:
        content = bytearray(handle.read())
    content[len(content) // 2] ^= 0xFF
    forged = tmp_path / "保函.pdf"
    forged.write_bytes(bytes(content))
    page.set_input_files("#id_file", str(forged))
    page.get_by_role("button", name="上传并查验").click()
    page.get_by_text("未能核验：该保函不存在或信息不符").wait_for()
    answer = page.locator("#verify-result").inner_text()
    assert guarantee.number not in answer and guarantee.applicant.name not in answer
    assert page.locator("#evidence-proof").count() == 0
