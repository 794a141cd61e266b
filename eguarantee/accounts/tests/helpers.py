"""Data builders shared by the accounts tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgType

PASSWORD = "Strong#Pass2026"
NEW_PASSWORD = "Another#Pass2027"

# Just enough bytes for content sniffing: the magic numbers of each kind.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def credit_code(serial=1, prefix="91350206"):
    return demo.credit_code(prefix, 100 + serial)


def pdf_upload(name="licence.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def registration_post(**overrides):
    data = {
        "org_type": OrgType.APPLICANT,
        "name": "厦门测试建设有限公司",
        "credit_code": credit_code(1),
        "region_code": "350206",
        "address": "福建省厦门市湖里区",
        "legal_representative": "张三",
        "full_name": "李四",
        "mobile": "13812345678",
        "email": "lisi@example.com",
        "username": "newcorp",
        "password": PASSWORD,
        "password2": PASSWORD,
        "business_licence": pdf_upload(),
    }
    data.update(overrides)
    return data


def service_registration(**overrides):
    """Keyword arguments for services.register_organization."""
    org = {
        "org_type": OrgType.APPLICANT,
        "name": "厦门测试建设有限公司",
        "credit_code": credit_code(1),
        "region_code": "350206",
    }
    user = {"username": "newcorp", "full_name": "李四", "mobile": "13812345678", "email": ""}
    org.update(overrides.pop("organization", {}))
    user.update(overrides.pop("user", {}))
    kwargs = {"organization": org, "user": user, "password": PASSWORD, "licence": pdf_upload()}
    kwargs.update(overrides)
    return kwargs


def page_text(response):
    return response.content.decode()
