"""Guarantee documents as PDF: ReportLab platypus, A4, an embedded CJK TrueType subset.

The font is embedded because a guarantee must look the same on every reader and printer; the
non-embedded CID fonts (STSong-Light) depend on the reader's own fonts. ReportLab embeds only
TrueType outlines, so the CFF-based Noto CJK fonts cannot be used: the default is AR PL UMing
(Debian fonts-arphic-uming), a Song/Ming face, the one customary for formal documents.
"""

import io
import os
import threading
from functools import lru_cache

import segno
from reportlab.lib import textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus import paragraph as paragraph_module
from reportlab.platypus.flowables import KeepTogether

from .placeholders import HEADING, QR, format_value, render_text

# Tried in order when PDF_FONT_PATH is not set; each must have TrueType outlines.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
# A font missing any of these cannot set a guarantee.
_REQUIRED_GLYPHS = "保函人民币壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整第页共：，。（）¥0123456789"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 25 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 22 * mm
BODY_SIZE = 12  # 小四
HEADING_SIZE = 18  # 小二
QR_SIZE = 30 * mm

CREATOR = "工程担保在线服务平台"

# ReportLab's line breaker knows the Japanese punctuation that may not start a line but not the
# Chinese full-width comma, colon, semicolon, closing quotes and book-title marks, so a line
# could begin with "，". Both of its breakers read these module constants; extend them once.
_CHINESE_CANNOT_START = "，：；？！”’》〉〗｝．％·…"
for _module in (textsplit, paragraph_module):
    _module.ALL_CANNOT_START += "".join(c for c in _CHINESE_CANNOT_START if c not in _module.ALL_CANNOT_START)


class PdfFontError(RuntimeError):
    """No usable CJK font; never papered over with a font the PDF would not carry."""


_font_lock = threading.Lock()
_font_names = {}  # path -> registered ReportLab font name


def font_path():
    """PDF_FONT_PATH from Django settings or the environment; None means search the defaults."""
    try:
        from django.conf import settings

        configured = getattr(settings, "PDF_FONT_PATH", None) if settings.configured else None
    except ImportError:
        configured = None
    return configured or os.environ.get("PDF_FONT_PATH") or None


def font_name():
    """Register the CJK font once per process and return its ReportLab name.

    Registration parses the whole font file; doing it per document would cost more than
    rendering the document.
    """
    configured = font_path()
    key = configured or ""
    name = _font_names.get(key)
    if name:
        return name
    with _font_lock:
        if key not in _font_names:
            font = _load_font(configured) if configured else _search_font()
            pdfmetrics.registerFont(font)
            _font_names[key] = font.fontName
    return _font_names[key]


def _load_font(path):
    if not os.path.isfile(path):
        raise PdfFontError(f"PDF 字体文件不存在：{path}（PDF_FONT_PATH）。")
    name = f"GuaranteeCJK{len(_font_names) + 1}"
    try:
        font = TTFont(name, path, subfontIndex=0)
    except TTFError as error:
        raise PdfFontError(
            f"PDF 字体无法嵌入：{path}（{error}）。需要 TrueType 轮廓的中文字体，"
            "如 fonts-arphic-uming 的 uming.ttc；Noto CJK 为 CFF 轮廓，不能使用。"
        )
    missing = [char for char in _REQUIRED_GLYPHS if ord(char) not in font.face.charToGlyph]
    if missing:
        raise PdfFontError(f"PDF 字体缺少中文字形（{''.join(missing)}）：{path}。")
    _slice_glyphs_in_place(font.face)
    return font


class _TableSlices:
    """Slices of one table, cut straight from the font file's bytes."""

    def __init__(self, data, start):
        self.data = data
        self.start = start

    def __getitem__(self, index):
        return self.data[self.start + index.start : self.start + index.stop]


def _slice_glyphs_in_place(face):
    # ReportLab's subsetter copies the whole glyf table (17 MB in UMing) for every subset of every
    # document, only to cut a few hundred glyphs out of the copy: a third of the time of a
    # document. It only ever slices that table, so give it slices of the file instead.
    get_table = face.get_table

    def table(tag):
        if tag == "glyf":
            return _TableSlices(face._ttf_data, face.get_table_pos("glyf")[0])
        return get_table(tag)

    face.get_table = table


def _search_font():
    problems = []
    for path in FONT_CANDIDATES:
        if not os.path.isfile(path):
            continue
        try:
            return _load_font(path)
        except PdfFontError as error:
            problems.append(str(error))
    raise PdfFontError(
        "找不到可嵌入 PDF 的中文字体。请安装 Debian 软件包 fonts-arphic-uming，"
        f"或用 PDF_FONT_PATH 指定 TrueType 字体文件。已查找：{'、'.join(FONT_CANDIDATES)}。" + "".join(problems)
    )


@lru_cache(maxsize=8)
def _styles(font):
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.75,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontSize=HEADING_SIZE,
        leading=HEADING_SIZE * 1.5,
        alignment=TA_CENTER,
        spaceBefore=2 * mm,
        spaceAfter=6 * mm,
    )
    return body, heading


@lru_cache(maxsize=256)
def _line_style(font, indent_em, last):
    # Each line of a block is its own Paragraph so that its leading spaces become a real indent
    # (ReportLab would collapse them); only a block's last line gets the gap after it.
    body, _ = _styles(font)
    return ParagraphStyle(
        f"line{indent_em}{last}",
        parent=body,
        firstLineIndent=indent_em * BODY_SIZE,
        spaceAfter=BODY_SIZE * 0.5 if last else 0,
    )


_INDENT_EM = {"\u3000": 1.0, " ": 0.5, "\t": 2.0}


def _escape(text):
    # Values are plain text: ReportLab's paragraph mini-language must see none of it as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph_lines(text, font):
    lines = text.split("\n")
    flowables = []
    for number, line in enumerate(lines):
        stripped = line.lstrip("\u3000 \t")
        indent = min(sum(_INDENT_EM[char] for char in line[: len(line) - len(stripped)]), 20.0)
        style = _line_style(font, indent, number == len(lines) - 1)
        flowables.append(Paragraph(_escape(stripped) or "&nbsp;", style))
    return flowables


class VerificationQr(Flowable):
    """The verification QR code with a caption under it, kept on one page."""

    caption = "扫码验真"

    def __init__(self, url, font, size=QR_SIZE):
        super().__init__()
        self.url = url
        self.font = font
        self.size = size
        self.modules = segno.make_qr(url, error="m", boost_error=False).matrix

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.size + 10 * mm  # the caption, then a paragraph's worth of space
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        count = len(self.modules)
        border = 2  # quiet zone in modules; the page margin around it adds the rest
        cell = self.size / (count + 2 * border)
        top = self.height
        # One path with a rectangle per run of dark modules: far fewer operators than one
        # filled rectangle per module, and no gaps between modules in any viewer.
        path = canvas.beginPath()
        for row_number, row in enumerate(self.modules):
            y = top - (row_number + border + 1) * cell
            column = 0
            while column < count:
                if row[column]:
                    start = column
                    while column < count and row[column]:
                        column += 1
                    path.rect((start + border) * cell, y, (column - start) * cell, cell)
                else:
                    column += 1
        canvas.saveState()
        canvas.setFillGray(0)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFont(self.font, 9)
        canvas.drawCentredString(self.size / 2, top - self.size - 4 * mm, self.caption)
        canvas.restoreState()


class _PagedCanvas(Canvas):
    """Holds every page until the end so the footer can say how many pages there are."""

    def __init__(self, *args, chrome, **kwargs):
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._chrome(self, number, total)
            super().showPage()
        super().save()


def _page_chrome(font, guarantor_name, number_text):
    def draw(canvas, number, total):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.setFillGray(0.35)
        top = PAGE_HEIGHT - 14 * mm
        canvas.drawString(MARGIN_LEFT, top, guarantor_name)
        if number_text:
            canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top, number_text)
        canvas.setStrokeGray(0.6)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, top - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 2.5 * mm)
        canvas.drawCentredString(PAGE_WIDTH / 2, 12 * mm, f"第 {number} 页 共 {total} 页")
        canvas.restoreState()

    return draw


def _story(blocks, font, verify_url):
    _, heading_style = _styles(font)
    story = []
    for block in blocks:
        if block.kind == HEADING:
            story.append(Paragraph(_escape(block.text), heading_style))
        elif block.kind == QR:
            if verify_url:
                story.append(VerificationQr(verify_url, font))
        else:
            lines = _paragraph_lines(block.text, font)
            # A few lines in one block (the signature, the verification data) stay on one page.
            story.extend([KeepTogether(lines)] if 1 < len(lines) <= 4 else lines)
    if verify_url and not any(block.kind == QR for block in blocks):
        story.append(VerificationQr(verify_url, font))
    return story


def render_guarantee_pdf(body, values, *, guarantor_name, title=None, verify_url=None, invariant=False):
    """Render a guarantee template with its values into PDF bytes.

    Raises TemplateError for an invalid body or missing values, PdfFontError without a usable
    font. The QR code (verify_url, by default the 验真网址 value) goes where {{二维码}} stands,
    or after the text when the body has none. invariant=True gives byte-identical output for
    the same input (fixed dates and document id), for tests and stored hashes.
    """
    font = font_name()
    if verify_url is None and values.get("验真网址") is not None:
        verify_url = format_value(values["验真网址"]).strip()
    story = _story(render_text(body, values), font, verify_url or None)

    # The header is drawn as it is, outside any paragraph: give it the same clean one-line text.
    number = " ".join(format_value(values["保函编号"]).split()) if values.get("保函编号") is not None else ""
    guarantor_name = " ".join(format_value(guarantor_name).split())
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title or " ".join(part for part in (str(values.get("保函类型") or ""), number) if part) or "电子保函",
        author=guarantor_name,
        subject="电子保函",
        creator=CREATOR,
        invariant=1 if invariant else 0,
        initialFontName=font,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="guarantee", frames=[frame])])
    chrome = _page_chrome(font, guarantor_name, f"保函编号：{number}" if number else "")
    document.build(story, canvasmaker=lambda *args, **kwargs: _PagedCanvas(*args, chrome=chrome, **kwargs))
    return buffer.getvalue()
