"""What goes into a guarantee's document: the template's placeholders filled from the
guarantee, its parties, its project and the clause frozen at approval."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from eguarantee.catalog.placeholders import amount_in_words, format_amount, format_date


def verify_url(guarantee):
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('portal:verify')}?number={guarantee.number}"


def values_for(guarantee):
    project, section = guarantee.project, guarantee.section
    issued = timezone.localtime(guarantee.issued_at).date() if guarantee.issued_at else timezone.localdate()
    return {
        "保函编号": guarantee.number or "",
        "验真码": guarantee.verification_code or "",
        "保函类型": guarantee.guarantee_type.name,
        "申请人": guarantee.applicant.name,
        "申请人统一社会信用代码": guarantee.applicant.credit_code,
        "保证人": guarantee.guarantor.name,
        "保证人统一社会信用代码": guarantee.guarantor.credit_code,
        "受益人": guarantee.beneficiary_name,
        "受益人统一社会信用代码": guarantee.beneficiary_credit_code,
        "项目编号": project.number if project else "",
        "项目名称": project.name if project else "",
        "标段编号": section.number if section else "",
        "标段名称": section.name if section else "",
        "担保金额": format_amount(guarantee.amount),
        "担保金额大写": amount_in_words(guarantee.amount),
        "生效日期": format_date(guarantee.start_date),
        "失效日期": format_date(guarantee.end_date),
        "出函日期": format_date(issued),
        "条款": guarantee.clause.body if guarantee.clause else "",
        "验真网址": verify_url(guarantee),
    }
