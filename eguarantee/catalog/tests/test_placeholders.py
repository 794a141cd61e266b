"""The guarantee template language: what a guarantor may write, and what the text becomes."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from eguarantee.catalog import placeholders
from eguarantee.catalog.placeholders import (
    HEADING,
    MAX_BODY_LENGTH,
    PARAGRAPH,
    PLACEHOLDERS,
    QR,
    SAMPLE_BODY,
    Block,
    TemplateError,
    amount_in_words,
    format_amount,
    format_date,
    render_text,
    sample_values,
    validate,
)

REQUIRED_NAMES = [
    "保函编号",
    "验真码",
    "保函类型",
    "申请人",
    "申请人统一社会信用代码",
    "保证人",
    "保证人统一社会信用代码",
    "受益人",
    "受益人统一社会信用代码",
    "项目编号",
    "项目名称",
    "标段编号",
    "标段名称",
    "担保金额",
    "担保金额大写",
    "生效日期",
    "失效日期",
    "出函日期",
    "条款",
    "验真网址",
    "二维码",
]


def test_every_placeholder_of_the_standard_is_offered_with_a_chinese_description():
    for name in REQUIRED_NAMES:
        assert PLACEHOLDERS[name].strip(), name


# --- amounts and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.5", "人民币伍角整"),
        ("0.50", "人民币伍角整"),
        ("0.01", "人民币壹分"),
        ("0.05", "人民币伍分"),
        ("10.05", "人民币壹拾元零伍分"),
        ("100.10", "人民币壹佰元壹角整"),
        ("1001.01", "人民币壹仟零壹元零壹分"),
        ("100000", "人民币壹拾万元整"),
        ("100000.00", "人民币壹拾万元整"),
        ("100000.05", "人民币壹拾万元零伍分"),
        ("1000000", "人民币壹佰万元整"),
        ("1010000", "人民币壹佰零壹万元整"),
        ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("100000001", "人民币壹亿零壹元整"),
        ("0", "人民币零元整"),
    ],
)
def test_amount_in_chinese_capitals(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("amount", "figures"),
    [("1000000", "¥1,000,000.00"), ("0.5", "¥0.50"), ("1234567.89", "¥1,234,567.89"), ("-0", "¥0.00")],
)
def test_amount_in_figures(amount, figures):
    assert format_amount(Decimal(amount)) == figures


def test_a_float_amount_is_refused_because_it_has_already_lost_cents():
    with pytest.raises(TypeError):
        amount_in_words(0.1)
    with pytest.raises(TypeError):
        format_amount(1000000.0)


@pytest.mark.parametrize("amount", ["1.005", "-1", "NaN", "Infinity", "1E16"])
def test_amounts_that_cannot_be_printed_exactly_are_refused_not_rounded(amount):
    with pytest.raises(ValueError):
        amount_in_words(Decimal(amount))
    with pytest.raises(ValueError):
        format_amount(Decimal(amount))


def test_the_largest_amount_a_decimal_field_holds_is_written_out():
    assert amount_in_words(Decimal("9999999999999999.99")).endswith("玖拾玖元玖角玖分")


def test_dates_are_written_the_chinese_way_and_in_shanghai_time():
    assert format_date(date(2026, 11, 27)) == "2026年11月27日"
    assert format_date(date(2027, 1, 5)) == "2027年1月5日"
    # 17:30 UTC on the 26th is already the 27th in Shanghai.
    assert format_date(datetime(2026, 11, 26, 17, 30, tzinfo=UTC)) == "2026年11月27日"


# --- validation ----------------------------------------------------------------------------


def test_the_sample_template_is_valid():
    assert validate(SAMPLE_BODY) == []


def test_whitespace_inside_the_braces_is_allowed():
    assert validate("保函编号：{{ 保函编号 }}，金额{{\u3000担保金额\u3000}}") == []


def test_an_unknown_placeholder_is_refused_with_its_name_line_and_the_allowed_names():
    errors = validate("致：{{受益人}}\n\n担保人：{{担保人}}")
    assert len(errors) == 1
    assert "第 3 行" in errors[0]
    assert "{{担保人}}" in errors[0]
    for name in PLACEHOLDERS:
        assert name in errors[0]


def test_a_filter_or_expression_in_a_placeholder_is_explained():
    (error,) = validate("{{ 保函编号|safe }}")
    assert "{{保函编号|safe}}" in error
    assert "不支持过滤器" in error


@pytest.mark.parametrize(
    "body",
    [
        "{% for x in items %}{{保函编号}}{% endfor %}",
        "{% load static %}",
        "{# 注释 #}",
        "<script>alert(1)</script>",
        "<SCRIPT src=x>",
        "${x}",
        "${7*7}",
        "#{7*7}",
        "*{name}",
        "<%= system('id') %>",
        "<?php echo 1; ?>",
        "<b>加粗</b>",
        "<img src=x onerror=alert(1)>",
        "<!-- 注释 -->",
        "{{{保函编号}}}",
        "点击 javascript:alert(1)",
        "VBScript: msgbox",
    ],
)
def test_markup_that_some_engine_would_run_is_refused(body):
    errors = validate(f"# 投标保函\n\n{body}")
    assert errors
    assert "第 3 行" in errors[0]
    assert "不允许" in errors[0] or "花括号" in errors[0]


def test_every_forbidden_piece_of_a_line_is_named():
    (error,) = validate("{% if x %}<script>${y}")
    assert "“{%”" in error and "“<script”" in error and "“${”" in error


@pytest.mark.parametrize("body", ["{{保函编号}", "{保函编号}}", "{保函编号}", "金额}", "{{保函\n编号}}"])
def test_unbalanced_or_malformed_braces_are_refused(body):
    errors = validate(body)
    assert errors
    assert "花括号" in errors[0]


def test_a_less_than_sign_before_a_digit_is_ordinary_text():
    assert validate("投标有效期<90日，金额>0元。") == []


def test_an_empty_placeholder_is_refused():
    (error,) = validate("编号：{{ }}")
    assert "缺少名称" in error


def test_empty_and_overlong_bodies_are_refused():
    assert validate("") == ["模板正文不能为空。"]
    assert validate(" \n\n ") == ["模板正文不能为空。"]
    (error,) = validate("保" * (MAX_BODY_LENGTH + 1))
    assert "过长" in error and str(MAX_BODY_LENGTH) in error
    assert validate("保" * MAX_BODY_LENGTH) == []


def test_invisible_control_characters_are_refused():
    # A right-to-left override would make the text read differently from what it says.
    (error,) = validate("金额：\u202e元000,1")
    assert "控制字符" in error
    assert validate("a\x00b")


def test_the_qr_code_stands_alone_and_once():
    assert "单独占一行" in validate("二维码：{{二维码}}")[0]
    assert "只能出现一次" in validate("{{二维码}}\n\n{{二维码}}")[0]


def test_a_long_list_of_problems_is_cut_short():
    errors = validate("\n".join(f"{{{{未知{n}}}}}" for n in range(40)))
    assert len(errors) == 21
    assert errors[-1] == "……另有 20 处问题。"


def test_a_problem_on_many_lines_names_the_first_ten():
    (error,) = validate("{{担保人}}\n" * 30)
    assert error.startswith("第 1、2、3、4、5、6、7、8、9、10 行等 30 行：未知的占位符 {{担保人}}")


def test_a_body_that_is_not_text_is_refused():
    assert validate(None) == ["模板正文必须是文本。"]


# --- rendering -----------------------------------------------------------------------------


def test_values_are_substituted_into_headings_and_paragraphs():
    blocks = render_text(
        "# {{保函类型}}\n\n保函编号：{{ 保函编号 }}\n致：{{受益人}}\n\n{{二维码}}",
        {"保函类型": "投标保函", "保函编号": "BH001", "受益人": "厦门市城市建设投资集团有限公司"},
    )
    assert blocks == [
        Block(HEADING, "投标保函"),
        Block(PARAGRAPH, "保函编号：BH001\n致：厦门市城市建设投资集团有限公司"),
        Block(QR),
    ]


def test_a_value_is_plain_text_never_substituted_again_nor_interpreted():
    values = {"申请人": "{{保函编号}} <b>粗体</b> {% for %} &amp;", "保函编号": "BH001"}
    blocks = render_text("申请人：{{申请人}}；编号：{{保函编号}}", values)
    assert blocks == [Block(PARAGRAPH, "申请人：{{保函编号}} <b>粗体</b> {% for %} &amp;；编号：BH001")]


def test_a_value_cannot_make_a_heading_or_move_the_qr_code():
    blocks = render_text("{{条款}}", {"条款": "# 伪造的标题\n{{二维码}}"})
    assert blocks == [Block(PARAGRAPH, "# 伪造的标题\n{{二维码}}")]


def test_clauses_with_blank_lines_become_several_paragraphs():
    blocks = render_text("前言。\n\n{{条款}}\n\n结尾。", {"条款": "一、甲。\n\n\n二、乙。\r\n\r\n三、丙。"})
    assert [b.text for b in blocks] == ["前言。", "一、甲。", "二、乙。", "三、丙。", "结尾。"]


def test_leading_full_width_spaces_are_kept_as_indentation():
    (block,) = render_text("\u3000\u3000鉴于{{申请人}}申请。", {"申请人": "甲公司"})
    assert block.text == "\u3000\u3000鉴于甲公司申请。"


def test_decimal_and_date_values_are_formatted():
    (block,) = render_text(
        "{{担保金额}}，{{生效日期}}", {"担保金额": Decimal("1000000"), "生效日期": date(2026, 11, 27)}
    )
    assert block.text == "¥1,000,000.00，2026年11月27日"


def test_invisible_characters_in_values_are_dropped():
    (block,) = render_text("{{申请人}}", {"申请人": "甲\u202e公\u200b司\x00"})
    assert block.text == "甲公司"


def test_a_missing_value_is_an_error_naming_it():
    with pytest.raises(TemplateError) as caught:
        render_text("{{保函编号}}{{受益人}}{{二维码}}", {"保函编号": "BH001", "受益人": None})
    assert caught.value.errors == ["缺少占位符的值：受益人。"]


def test_an_invalid_body_is_never_rendered():
    with pytest.raises(TemplateError) as caught:
        render_text("{% for x in y %}", {})
    assert "不允许" in caught.value.errors[0]


def test_a_value_of_an_unexpected_type_is_refused():
    with pytest.raises(TypeError):
        render_text("{{担保金额}}", {"担保金额": 1000000.0})


def test_sample_values_cover_every_placeholder_and_render_the_sample_template():
    values = sample_values()
    assert set(values) == set(PLACEHOLDERS) - {placeholders.QR_CODE}
    assert values["担保金额大写"] == "人民币捌拾万元整"
    assert values["担保金额"] == "¥800,000.00"
    blocks = render_text(SAMPLE_BODY, values)
    assert blocks[0] == Block(HEADING, "投标保函")
    assert blocks[-1] == Block(QR)
    text = "".join(block.text for block in blocks)
    assert "{{" not in text
    assert "人民币捌拾万元整（¥800,000.00）" in text
