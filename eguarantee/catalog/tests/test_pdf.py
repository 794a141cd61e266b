"""The guarantee PDF as a reader sees it: opened with real PDF readers, never by peeking at our
own intermediate structures."""

import io
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from eguarantee.catalog import pdf
from eguarantee.catalog.pdf import PdfFontError, render_guarantee_pdf
from eguarantee.catalog.placeholders import SAMPLE_BODY, TemplateError, sample_values

GUARANTOR = "海峡工程担保股份有限公司"
VERIFY_URL = "https://eguarantee.example.org/verify/HXDB2026TB000128"


def render(body=SAMPLE_BODY, values=None, **kwargs):
    kwargs.setdefault("guarantor_name", GUARANTOR)
    return render_guarantee_pdf(body, sample_values() if values is None else values, **kwargs)


def pages_text(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squeezed(text):
    # Lines wrap anywhere in Chinese text; compare without the line breaks a reader cannot see.
    return "".join(text.split())


def qr_codes(data):
    """The QR codes a phone would read on each page (pages rendered at 144 dpi)."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [[code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())] for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def sample_pdf():
    return render()


def test_the_sample_guarantee_is_two_a4_pages(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842


def test_the_text_shows_the_substituted_values_and_the_amount_in_capitals(sample_pdf):
    text = squeezed("".join(pages_text(sample_pdf)))
    for expected in [
        "投标保函",
        "保函编号：HXDB2026TB000128",
        "致：厦门市城市建设投资集团有限公司（受益人）",
        "鉴于厦门鹭江建设工程有限公司（统一社会信用代码：913502030000000028",
        "厦门市翔安区新店片区市政道路工程（项目编号：XMJS-2026-0156）",
        "第二标段（道路及排水工程）（标段编号：XMJS-2026-0156-02）",
        "91350211000000003X",
        "担保金额为人民币捌拾万元整（¥800,000.00）",
        "二、在本保函有效期内，申请人有下列情形之一的",
        "本保函自2026年11月27日起生效，至2027年3月26日失效",
        "出函日期：2026年11月27日",
        "验真码：K7Q4-M9XD",
        "验真网址：" + VERIFY_URL,
        "扫码验真",
    ]:
        assert expected in text
    assert "{{" not in text and "}}" not in text


def page_margins_text(data):
    """Per page, the text drawn in the top 20 mm and in the bottom 20 mm."""
    mm = 72 / 25.4
    result = []
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)
        top, bottom = [], []

        def visit(text, cm, tm, font, size, top=top, bottom=bottom, height=height):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and y > height - 20 * mm:
                top.append(text)
            elif text.strip() and y < 20 * mm:
                bottom.append(text)

        page.extract_text(visitor_text=visit)
        # Spacing between text pieces is the reader's guess; compare without it.
        result.append((squeezed("".join(top)), squeezed("".join(bottom))))
    return result


def test_every_page_has_the_guarantor_header_and_its_page_number(sample_pdf):
    margins = page_margins_text(sample_pdf)
    assert len(margins) == 2
    for number, (top, bottom) in enumerate(margins, start=1):
        assert GUARANTOR in top
        assert "保函编号：HXDB2026TB000128" in top
        assert bottom == f"第{number}页共2页"


def test_no_line_starts_with_closing_punctuation(sample_pdf):
    for text in pages_text(sample_pdf):
        for line in text.splitlines():
            assert not line.strip().startswith(tuple("，。、：；？！）》”")), line


def test_the_font_is_embedded_and_no_other_font_is_used(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            # A subset: "ABCDEF+Name".
            assert font["/BaseFont"][7] == "+"
            seen.add(str(font["/BaseFont"]))
    assert seen
    assert not any("STSong" in name or "Helvetica" in name for name in seen)


def test_the_document_says_who_issued_what(sample_pdf):
    metadata = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert metadata.title == "投标保函 HXDB2026TB000128"
    assert metadata.author == GUARANTOR
    assert metadata.subject == "电子保函"
    assert render(title="自定义标题").startswith(b"%PDF")
    assert PdfReader(io.BytesIO(render(title="自定义标题"))).metadata.title == "自定义标题"


def test_the_qr_code_reads_as_the_verification_link_where_the_template_puts_it(sample_pdf):
    # The sample template ends with {{二维码}}: on the last page.
    assert qr_codes(sample_pdf) == [[], [VERIFY_URL]]
    # Placed before the clauses, it is on the first page.
    body = SAMPLE_BODY.replace("{{二维码}}", "").replace("{{条款}}", "{{二维码}}\n\n{{条款}}")
    assert qr_codes(render(body)) == [[VERIFY_URL], []]


def test_without_a_qr_placeholder_the_code_goes_after_the_text_and_verify_url_wins():
    body = "# {{保函类型}}\n\n保函编号：{{保函编号}}"
    data = render(body, verify_url="https://example.org/v/1")
    assert qr_codes(data) == [["https://example.org/v/1"]]


def test_without_a_verification_link_there_is_no_qr_code():
    values = sample_values()
    del values["验真网址"]
    body = SAMPLE_BODY.replace("验真网址：{{验真网址}}", "")
    data = render(body, values)
    assert qr_codes(data) == [[], []]
    assert "扫码验真" not in "".join(pages_text(data))


def test_values_that_look_like_markup_are_printed_as_written():
    values = sample_values()
    values["申请人"] = "<b>甲公司</b> {{保函编号}} &amp; ${x}"
    text = squeezed("".join(pages_text(render(values=values))))
    assert "鉴于<b>甲公司</b>{{保函编号}}&amp;${x}（统一社会信用代码" in text


def test_a_long_guarantee_runs_over_more_pages_numbered_throughout():
    values = sample_values()
    clause = "保证人按本保函约定承担保证责任。" * 6
    values["条款"] = "\n\n".join(f"\u3000\u3000第{n}条　{clause}" for n in range(1, 41))
    data = render(values=values)
    texts = pages_text(data)
    total = len(texts)
    assert total >= 4
    for number, (top, bottom) in enumerate(page_margins_text(data), start=1):
        assert GUARANTOR in top
        assert bottom == f"第{number}页共{total}页"
    assert "第40条" in squeezed(texts[-1]) or "第40条" in squeezed(texts[-2])


def test_a_short_guarantee_is_one_page():
    texts = pages_text(render("# {{保函类型}}\n\n保函编号：{{保函编号}}"))
    assert len(texts) == 1
    assert "第 1 页 共 1 页" in texts[0]


def test_invariant_output_is_byte_identical():
    assert render(invariant=True) == render(invariant=True)


def test_an_invalid_template_or_missing_value_is_not_rendered():
    with pytest.raises(TemplateError):
        render("{% include 'x' %}")
    values = sample_values()
    del values["受益人"]
    with pytest.raises(TemplateError, match="受益人"):
        render(values=values)


def test_a_configured_font_file_that_does_not_exist_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PDF_FONT_PATH", "/nonexistent/font.ttf")
    with pytest.raises(PdfFontError, match="不存在"):
        render()


def test_a_font_setting_wins_over_the_environment(monkeypatch, settings):
    monkeypatch.setenv("PDF_FONT_PATH", "/nonexistent/env.ttf")
    settings.PDF_FONT_PATH = "/nonexistent/settings.ttf"
    with pytest.raises(PdfFontError, match=r"settings\.ttf"):
        render()


NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_a_cff_font_such_as_noto_cjk_is_refused_not_silently_replaced(monkeypatch):
    monkeypatch.setenv("PDF_FONT_PATH", str(NOTO))
    with pytest.raises(PdfFontError, match="无法嵌入"):
        render()


def test_a_font_without_chinese_glyphs_is_refused(monkeypatch):
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    monkeypatch.setenv("PDF_FONT_PATH", str(vera))
    with pytest.raises(PdfFontError, match="缺少中文字形"):
        render()


def test_no_usable_font_anywhere_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ("/nonexistent/a.ttc", "/nonexistent/b.ttf"))
    with pytest.raises(PdfFontError, match="找不到可嵌入") as caught:
        pdf._search_font()
    assert "PDF_FONT_PATH" in str(caught.value)
    assert "fonts-arphic-uming" in str(caught.value)


def test_the_font_is_registered_once_per_process():
    assert pdf.font_name() is pdf.font_name()
