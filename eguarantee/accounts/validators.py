import re

from django.core.exceptions import ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
REGION_RE = re.compile(r"^\d{6}$")


def validate_credit_code(value):
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    try:
        uscc.validate(value)
    except StdnumError:
        raise ValidationError("统一社会信用代码无效：请核对18位代码及校验位。", code="invalid_credit_code") from None


def normalize_credit_code(value):
    return (value or "").strip().upper()


def validate_mobile(value):
    if not MOBILE_RE.match(value or ""):
        raise ValidationError("手机号码格式不正确，应为11位中国大陆手机号。", code="invalid_mobile")


def validate_region_code(value):
    from eguarantee.core import regions

    if not REGION_RE.match(value or ""):
        raise ValidationError("行政区划代码应为6位数字。", code="invalid_region_code")
    if not regions.is_valid(value):
        raise ValidationError(f"行政区划代码“{value}”不存在或已撤销。", code="unknown_region_code")


def jurisdiction_prefix(region_code):
    """A department's region code covers every code that starts with its significant part:
    350000 (province) covers 35xxxx, 350200 (city) 3502xx, 350203 (district) itself."""
    code = region_code or ""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


BANK_ACCOUNT = re.compile(r"^\d{8,32}$")


def validate_bank_account(value):
    """Chinese bank account numbers are 8 to 32 digits (no spaces: the collusion check
    compares them exactly)."""
    if not BANK_ACCOUNT.match(value or ""):
        raise ValidationError("银行账号应为8至32位数字，不含空格。", code="invalid_bank_account")
