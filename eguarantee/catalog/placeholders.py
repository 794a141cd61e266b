"""The template language of guarantee templates (保函模板), standard 6.4.2.

A template body is plain text: paragraphs separated by blank lines, an optional heading line
starting with "# ", and named placeholders such as ``{{保函编号}}``. Nothing in a body or in a
value is ever executed or interpreted: guarantors edit templates in a browser, so anything that
would run in some template engine (Jinja, Django, ERB, PHP, Thymeleaf, HTML) is refused outright
rather than escaped, and values are substituted as plain text in one pass.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import cn2an

# Long enough for a multi-page guarantee; short enough that validating and rendering a hostile
# body stays cheap.
MAX_BODY_LENGTH = 20_000

# Listed in the order the template editor shows them.
PLACEHOLDERS = {
    "保函编号": "保函编号（出函时由平台分配）",
    "验真码": "验真码（凭保函编号和验真码在平台核验真伪）",
    "保函类型": "保函类型，如 投标保函、履约保函",
    "申请人": "申请人（委托人）名称",
    "申请人统一社会信用代码": "申请人的统一社会信用代码",
    "保证人": "保证人（出函机构）名称",
    "保证人统一社会信用代码": "保证人的统一社会信用代码",
    "受益人": "受益人（招标人、发包人）名称",
    "受益人统一社会信用代码": "受益人的统一社会信用代码",
    "项目编号": "工程项目编号",
    "项目名称": "工程项目名称",
    "标段编号": "标段（包）编号",
    "标段名称": "标段（包）名称",
    "担保金额": "担保金额（小写），如 ¥1,000,000.00",
    "担保金额大写": "担保金额（大写），如 人民币壹佰万元整",
    "生效日期": "保函生效日期，如 2026年11月27日",
    "失效日期": "保函失效日期，如 2027年2月25日",
    "出函日期": "出函日期，如 2026年11月27日",
    "条款": "保证人的保函条款，可含多个段落",
    "验真网址": "保函验真网址",
    "二维码": "验真二维码的位置（须单独占一行；不写时二维码放在正文末尾）",
}

QR_CODE = "二维码"

# Block kinds produced by render_text().
HEADING = "heading"
PARAGRAPH = "paragraph"
QR = "qr"

SYNTAX_HELP = (
    "正文为纯文本：段落之间空一行；以“# ”开头的一行为居中标题；"
    "行首的全角空格保留为缩进；用 {{占位符}} 插入保函数据，如 {{保函编号}}。"
    "不支持模板语句、脚本和 HTML 标签。"
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Three kinds of token, tried in this order at each position: markup that some engine would run,
# a placeholder, a stray brace. Openers are enough to recognise markup; anything unclosed is then
# also caught as a stray brace.
_TOKEN_RE = re.compile(
    r"(?P<code>\{\{\{|\{%|\{#|[$#@*~]\{|<%|<\?|<!|<\s*/?\s*[a-z][\w:-]*|(?:java|vb)script\s*:)"
    r"|(?P<placeholder>\{\{(?P<inner>[^{}\n]*)\}\})"
    r"|(?P<brace>[{}])",
    re.IGNORECASE,
)
# Whitespace inside the braces may include the full-width space an IME types; never a newline.
_PLACEHOLDER_RE = re.compile(r"\{\{[^\S\n]*([^{}\n]*?)[^\S\n]*\}\}")
_NAME_RE = re.compile(r"^\w+$")
_MAX_ERRORS = 20


class TemplateError(ValueError):
    """A body that may not be rendered; `errors` holds the Chinese messages."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("；".join(self.errors))


@dataclass(frozen=True)
class Block:
    """One unit of layout: a heading, a paragraph (lines separated by "\\n") or the QR code."""

    kind: str
    text: str = ""


def allowed_names():
    return "、".join(PLACEHOLDERS)


def _normalise_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_invisible(char):
    # Control and format characters (bidi overrides, zero-width spaces) can make a legal text
    # read differently from what it says; tabs and newlines are ordinary layout.
    return char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _line_finder(text):
    # One pass over the text, then a bisection per problem: a hostile body with thousands of
    # stray braces must not cost thousands of passes.
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    return lambda offset: bisect_right(starts, offset)


def _lines_label(lines):
    lines = sorted(set(lines))
    label = "第 " + "、".join(str(n) for n in lines[:10]) + " 行"
    return label if len(lines) <= 10 else f"{label}等 {len(lines)} 行"


def validate(body):
    """Return the list of problems with a template body, in Chinese; empty when it is fine."""
    if not isinstance(body, str):
        return ["模板正文必须是文本。"]
    if len(body) > MAX_BODY_LENGTH:
        return [f"模板正文过长：{len(body)} 个字符，最多 {MAX_BODY_LENGTH} 个字符。"]
    if not body.strip():
        return ["模板正文不能为空。"]
    body = _normalise_newlines(body)
    _line_of = _line_finder(body)

    invisible = [_line_of(i) for i, char in enumerate(body) if _is_invisible(char)]
    code = {}  # line -> the offending texts on it
    braces = set()
    unknown = {}  # name -> lines
    qr_lines = []
    for match in _TOKEN_RE.finditer(body):
        line = _line_of(match.start())
        if match.group("code"):
            code.setdefault(line, {})[match.group("code").strip()] = None
        elif match.group("brace"):
            braces.add(line)
        else:
            name = match.group("inner").strip()
            if name == QR_CODE:
                qr_lines.append((line, match.start()))
            elif name not in PLACEHOLDERS:
                unknown.setdefault(name, []).append(line)

    errors = []
    if invisible:
        errors.append(f"{_lines_label(invisible)}：包含不可见的控制字符，请删除后再保存。")
    for line, tokens in sorted(code.items()):
        quoted = "、".join(f"“{token}”" for token in tokens)
        errors.append(
            f"第 {line} 行：不允许{quoted}。模板只能包含文字和 {{{{占位符}}}}，"
            "不能包含模板语句、脚本或 HTML/XML 标签（小于号请用全角“＜”）。"
        )
    # A line with markup already has its message; its leftover braces would only repeat it.
    brace_lines = braces - code.keys()
    if brace_lines:
        errors.append(f"{_lines_label(brace_lines)}：花括号不成对或写法不对，占位符的写法是 {{{{保函编号}}}}。")
    for name, lines in unknown.items():
        if not name:
            errors.append(f"{_lines_label(lines)}：占位符 {{{{}}}} 缺少名称。可用的占位符：{allowed_names()}。")
            continue
        hint = "" if _NAME_RE.match(name) else "占位符只写名称，不支持过滤器、表达式或函数调用。"
        errors.append(f"{_lines_label(lines)}：未知的占位符 {{{{{name}}}}}。{hint}可用的占位符：{allowed_names()}。")
    if len(qr_lines) > 1:
        errors.append(f"{_lines_label([n for n, _ in qr_lines])}：{{{{二维码}}}} 只能出现一次。")
    for line, offset in qr_lines:
        start = body.rfind("\n", 0, offset) + 1
        end = body.find("\n", offset)
        whole_line = body[start : end if end != -1 else len(body)]
        if _PLACEHOLDER_RE.sub("", whole_line).strip():
            errors.append(f"第 {line} 行：{{{{二维码}}}} 须单独占一行。")
    if len(errors) > _MAX_ERRORS:
        errors = [*errors[:_MAX_ERRORS], f"……另有 {len(errors) - _MAX_ERRORS} 处问题。"]
    return errors


# --- values -------------------------------------------------------------------------------


def format_amount(amount):
    """¥1,000,000.00 — the figures as printed on a guarantee."""
    return f"¥{_checked_amount(amount):,.2f}"


def amount_in_words(amount):
    """人民币壹佰万元整 — the amount in Chinese capitals, as the payment rules write it.

    整 follows 元 and 角 and never 分 (人民币伍角整, 人民币壹拾元零伍分); cn2an does the digits.
    """
    amount = _checked_amount(amount)
    words = cn2an.an2cn(f"{amount:.2f}", "rmb")
    if words.endswith("角"):
        words += "整"
    return "人民币" + words


def _checked_amount(amount):
    # Money is Decimal throughout the platform; a float here would already have lost cents.
    if not isinstance(amount, Decimal):
        raise TypeError(f"金额必须是 Decimal，收到 {type(amount).__name__}。")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"金额无效：{amount}。")
    try:
        exact = amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"金额过大：{amount}。")
    if exact != amount:
        raise ValueError(f"金额最多两位小数：{amount}。")
    if exact.is_zero():
        exact = Decimal("0.00")  # never "-0.00"
    if exact >= Decimal("1e16"):  # cn2an stops at 16 integer digits, as DecimalField(18, 2) does
        raise ValueError(f"金额过大：{amount}。")
    return exact


def format_date(value):
    """2026年11月27日; an aware datetime is first put in Shanghai time, where the date is legal."""
    if isinstance(value, datetime):
        value = (value.astimezone(SHANGHAI) if value.tzinfo else value).date()
    if not isinstance(value, date):
        raise TypeError(f"日期必须是 date，收到 {type(value).__name__}。")
    return f"{value.year}年{value.month}月{value.day}日"


def format_value(value):
    """The text a value stands for: str as given, Decimal as an amount, date in Chinese."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, Decimal):
        text = format_amount(value)
    elif isinstance(value, date):
        text = format_date(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        raise TypeError(f"不支持的占位符值类型：{type(value).__name__}。")
    text = _normalise_newlines(text).replace("\t", " ")
    return "".join(char for char in text if not _is_invisible(char))


# --- rendering ------------------------------------------------------------------------------


def used_names(body):
    """The placeholder names a (valid) body uses, in order of first appearance."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER_RE.finditer(_normalise_newlines(body))))


def render_text(body, values):
    """Substitute `values` into `body` and return its layout as a list of Block.

    Values are plain text: one pass of substitution, so a value that itself contains
    "{{保函编号}}" or "<b>" comes out exactly as written. A value with blank lines (条款)
    becomes several paragraphs. Raises TemplateError for an invalid body or missing values.
    """
    errors = validate(body)
    if errors:
        raise TemplateError(errors)
    needed = [name for name in used_names(body) if name != QR_CODE]
    missing = [name for name in needed if values.get(name) is None]
    if missing:
        raise TemplateError([f"缺少占位符的值：{'、'.join(missing)}。"])
    texts = {name: format_value(values[name]) for name in needed}

    def substitute(text):
        return _PLACEHOLDER_RE.sub(lambda m: texts[m.group(1)], text)

    blocks = []
    lines = []

    def flush():
        if lines:
            for paragraph in re.split(r"\n[^\S\n]*\n", substitute("\n".join(lines))):
                paragraph = paragraph.strip("\n").rstrip()
                if paragraph.strip():
                    blocks.append(Block(PARAGRAPH, paragraph))
            lines.clear()

    for line in _normalise_newlines(body).split("\n"):
        if not line.strip():
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(Block(HEADING, " ".join(substitute(line[2:]).split())))
        elif _PLACEHOLDER_RE.fullmatch(line.strip()) and used_names(line) == [QR_CODE]:
            flush()
            blocks.append(Block(QR))
        else:
            lines.append(line.rstrip())
    flush()
    return blocks


# --- demo -----------------------------------------------------------------------------------

SAMPLE_CLAUSES = """\
　　一、本保函项下保证人承担的保证方式为连带责任保证，担保金额以本保函载明的金额为限。

　　二、在本保函有效期内，申请人有下列情形之一的，受益人可以书面形式向保证人提出索赔：
（一）在投标有效期内撤销或修改其投标文件；
（二）中标后无正当理由不与受益人订立合同，或者在签订合同时向受益人提出附加条件；
（三）中标后未按招标文件的规定提交履约担保；
（四）招标文件规定的其他没收投标保证金的情形。

　　三、受益人的索赔通知应当载明申请人违反投标人义务的事实，并附受益人证明该事实的文件，\
由受益人的法定代表人或其授权代理人签字并加盖公章，在本保函有效期内送达保证人。

　　四、保证人收到受益人符合本保函约定的书面索赔通知后，在五个工作日内进行审核，\
经审核符合约定的，在担保金额内向受益人支付索赔款项。

　　五、本保函有效期届满，或保证人已按本保函约定支付全部担保金额，或受益人书面解除\
保证人的保证责任的，保证人在本保函项下的保证责任即告解除。

　　六、因本保函发生的纠纷，由保证人与受益人协商解决；协商不成的，任何一方均可向\
受益人所在地有管辖权的人民法院提起诉讼。"""

SAMPLE_BODY = """\
# {{保函类型}}

保函编号：{{保函编号}}

致：{{受益人}}（受益人）

　　鉴于{{申请人}}（统一社会信用代码：{{申请人统一社会信用代码}}，以下简称“申请人”）\
参加贵方组织的{{项目名称}}（项目编号：{{项目编号}}）{{标段名称}}（标段编号：{{标段编号}}）的投标，\
应申请人的申请，{{保证人}}（统一社会信用代码：{{保证人统一社会信用代码}}，以下简称“保证人”）\
愿就申请人履行投标人义务向贵方提供不可撤销的保证，担保金额为{{担保金额大写}}（{{担保金额}}）。

{{条款}}

　　本保函自{{生效日期}}起生效，至{{失效日期}}失效。本保函以电子形式出具，\
与纸质保函具有同等法律效力。

保证人：{{保证人}}（电子签章）
出函日期：{{出函日期}}

验真码：{{验真码}}
验真网址：{{验真网址}}

{{二维码}}
"""


def sample_values():
    """Realistic demo values for the template preview (the demo organizations of seed_demo)."""
    amount = Decimal("800000.00")
    return {
        "保函编号": "HXDB2026TB000128",
        "验真码": "K7Q4-M9XD",
        "保函类型": "投标保函",
        "申请人": "厦门鹭江建设工程有限公司",
        "申请人统一社会信用代码": "913502030000000028",
        "保证人": "海峡工程担保股份有限公司",
        "保证人统一社会信用代码": "91350211000000003X",
        "受益人": "厦门市城市建设投资集团有限公司",
        "受益人统一社会信用代码": "91350212000000004F",
        "项目编号": "XMJS-2026-0156",
        "项目名称": "厦门市翔安区新店片区市政道路工程",
        "标段编号": "XMJS-2026-0156-02",
        "标段名称": "第二标段（道路及排水工程）",
        "担保金额": format_amount(amount),
        "担保金额大写": amount_in_words(amount),
        "生效日期": format_date(date(2026, 11, 27)),
        "失效日期": format_date(date(2027, 3, 26)),
        "出函日期": format_date(date(2026, 11, 27)),
        "条款": SAMPLE_CLAUSES,
        "验真网址": "https://eguarantee.example.org/verify/HXDB2026TB000128",
    }
