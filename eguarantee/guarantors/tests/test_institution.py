"""Institution information and qualifications (6.2.1): services and their refusals."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eguarantee.core.exceptions import ServiceError
from eguarantee.guarantors import services
from eguarantee.guarantors.models import GuarantorProfile, Qualification

from .helpers import PDF_BYTES, pdf, qualification_for, second_guarantor, today

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "institution_type": "bank",
        "registered_capital": Decimal("2000000000.00"),
        "credit_rating": "AAA",
        "rating_agency": "中诚信国际",
        "legal_representative": "王行长",
        "service_hotline": "95555",
        "short_code": "zsyh",
        "introduction": "",
    }
    data.update(overrides)
    return data


def qualification_data(**overrides):
    data = {
        "kind": "financing_guarantee_licence",
        "licence_number": "闽融担00099",
        "issuing_body": "福建省地方金融监督管理局",
        "valid_from": today() - timedelta(days=30),
        "valid_to": today() + timedelta(days=700),
    }
    data.update(overrides)
    return data


def refused(code, call, *args, **kwargs):
    with pytest.raises(ServiceError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    return caught.value


def test_guarantor_admin_creates_own_profile_short_code_normalized(demo_users):
    org = demo_users["guarantor_admin"].organization
    profile = services.create_profile(actor=demo_users["guarantor_admin"], organization=org, data=profile_data())
    assert profile.short_code == "ZSYH" and profile.enabled and profile.organization == org
    refused(
        "profile_exists",
        services.create_profile,
        actor=demo_users["platform_admin"],
        organization=org,
        data=profile_data(short_code="X2"),
    )
    assert GuarantorProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"short_code": "A"}, "invalid_short_code"),
        ({"short_code": "含中文"}, "invalid_short_code"),
        ({"short_code": "AB-1"}, "invalid_short_code"),
        ({"registered_capital": Decimal("-1")}, "negative_value"),
    ],
)
def test_bad_profile_input_writes_nothing(demo_users, overrides, code):
    org = demo_users["guarantor_admin"].organization
    refused(
        code,
        services.create_profile,
        actor=demo_users["platform_admin"],
        organization=org,
        data=profile_data(**overrides),
    )
    assert not GuarantorProfile.objects.exists()


def test_profile_only_for_guarantors_and_own_organization(demo_users):
    applicant_org = demo_users["applicant_admin"].organization
    refused(
        "not_a_guarantor",
        services.create_profile,
        actor=demo_users["platform_admin"],
        organization=applicant_org,
        data=profile_data(),
    )
    other = second_guarantor(with_admin=False)
    GuarantorProfile.objects.filter(organization=other).delete()
    refused(
        "permission_denied",
        services.create_profile,
        actor=demo_users["guarantor_admin"],
        organization=other,
        data=profile_data(),
    )
    refused(
        "permission_denied",
        services.create_profile,
        actor=demo_users["applicant_admin"],
        organization=applicant_org,
        data=profile_data(),
    )
    assert not GuarantorProfile.objects.filter(organization__in=[other, applicant_org]).exists()


def test_duplicate_short_code_refused(demo_users, guarantor):
    other = second_guarantor(with_admin=False)
    profile = other.guarantor_profile
    refused(
        "duplicate_short_code",
        services.update_profile,
        profile,
        actor=demo_users["platform_admin"],
        data={"short_code": "hxdb"},
    )
    profile.refresh_from_db()
    assert profile.short_code != "HXDB"


def test_guarantor_cannot_change_short_code_or_enable_itself(demo_users, guarantor):
    profile = guarantor.guarantor_profile
    actor = demo_users["guarantor_admin"]
    refused("field_locked", services.update_profile, profile, actor=actor, data={"short_code": "NEW1"})
    refused("field_locked", services.update_profile, profile, actor=actor, data={"enabled": False})
    services.update_profile(profile, actor=actor, data={"service_hotline": "400-000-1111", "short_code": "HXDB"})
    profile.refresh_from_db()
    assert profile.short_code == "HXDB" and profile.enabled and profile.service_hotline == "400-000-1111"
    services.update_profile(profile, actor=demo_users["platform_admin"], data={"enabled": False, "short_code": "HX01"})
    profile.refresh_from_db()
    assert not profile.enabled and profile.short_code == "HX01"


def test_profile_delete_refused_while_records_exist(demo_users, guarantor):
    qualification_for(guarantor)
    refused("profile_in_use", services.delete_profile, guarantor.guarantor_profile, actor=demo_users["platform_admin"])
    assert GuarantorProfile.objects.filter(organization=guarantor).exists()
    refused(
        "permission_denied", services.delete_profile, guarantor.guarantor_profile, actor=demo_users["guarantor_admin"]
    )


def test_add_qualification_stores_file_and_both_digests(demo_users, guarantor):
    qualification = services.add_qualification(
        actor=demo_users["guarantor_admin"], guarantor=guarantor, data=qualification_data(), certificate=pdf()
    )
    qualification.refresh_from_db()
    assert qualification.certificate.read() == PDF_BYTES
    assert qualification.certificate_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (
        len(qualification.certificate_sm3) == 64 and qualification.certificate_sm3 != qualification.certificate_sha256
    )
    assert qualification.status == "valid"


def test_expired_qualification_cannot_be_added_as_current(demo_users, guarantor):
    data = qualification_data(valid_from=today() - timedelta(days=800), valid_to=today() - timedelta(days=1))
    error = refused(
        "qualification_expired",
        services.add_qualification,
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        data=data,
        certificate=pdf(),
    )
    assert "资质已过期" in error.message and error.field == "valid_to"
    assert not Qualification.objects.exists()
    # Entered explicitly as history it is kept, and never counts as valid.
    kept = services.add_qualification(
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        data={**data, "is_historical": True},
        certificate=pdf(),
    )
    assert kept.status == "historical" and not kept.is_valid_on(today())


def test_historical_record_never_counts_even_within_its_dates(demo_users, guarantor):
    kept = services.add_qualification(
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        data=qualification_data(is_historical=True),
        certificate=pdf(),
    )
    assert not kept.is_valid_on(today())


@pytest.mark.parametrize(
    ("overrides", "upload", "code"),
    [
        ({"valid_to": today() - timedelta(days=30)}, "pdf", "invalid_validity_period"),
        ({"valid_from": today(), "valid_to": today()}, "pdf", "invalid_validity_period"),
        ({"kind": "other", "name": ""}, "pdf", "name_required"),
        ({}, None, "certificate_required"),
        ({}, "text", "file_type_not_allowed"),
        ({}, "png-named-pdf", "file_extension_mismatch"),
    ],
)
def test_bad_qualification_input_writes_nothing(demo_users, guarantor, overrides, upload, code):
    uploads = {
        "pdf": pdf(),
        None: None,
        "text": SimpleUploadedFile("c.pdf", b"just some text, not a pdf", content_type="application/pdf"),
        "png-named-pdf": SimpleUploadedFile("c.png", PDF_BYTES, content_type="image/png"),
    }
    refused(
        code,
        services.add_qualification,
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        data=qualification_data(**overrides),
        certificate=uploads[upload],
    )
    assert not Qualification.objects.exists()


def test_certificate_size_limit(demo_users, guarantor, settings):
    settings.UPLOAD_MAX_BYTES = 50
    refused(
        "file_too_large",
        services.add_qualification,
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        data=qualification_data(),
        certificate=pdf(),
    )
    assert not Qualification.objects.exists()


def test_qualification_needs_a_profile_first(demo_users):
    org = demo_users["guarantor_admin"].organization
    refused(
        "profile_required",
        services.add_qualification,
        actor=demo_users["guarantor_admin"],
        guarantor=org,
        data=qualification_data(),
        certificate=pdf(),
    )


def test_editing_an_expired_record_other_than_its_dates_is_allowed(demo_users, guarantor):
    old = qualification_for(guarantor, valid_from=today() - timedelta(days=400), valid_to=today() - timedelta(days=5))
    services.update_qualification(old, actor=demo_users["guarantor_admin"], data={"issuing_body": "更正后的发证机关"})
    old.refresh_from_db()
    assert old.issuing_body == "更正后的发证机关" and old.status == "expired"
    refused(
        "qualification_expired",
        services.update_qualification,
        old,
        actor=demo_users["guarantor_admin"],
        data={"valid_to": today() - timedelta(days=2)},
    )
    renewed = services.update_qualification(
        old, actor=demo_users["guarantor_admin"], data={"valid_to": today() + timedelta(days=365)}
    )
    assert renewed.status == "valid"


def test_other_guarantor_records_are_out_of_reach(demo_users, guarantor):
    other = second_guarantor()
    theirs = qualification_for(other)
    actor = demo_users["guarantor_admin"]
    refused("permission_denied", services.update_qualification, theirs, actor=actor, data={"issuing_body": "篡改"})
    refused("permission_denied", services.delete_qualification, theirs, actor=actor)
    refused(
        "permission_denied",
        services.add_qualification,
        actor=actor,
        guarantor=other,
        data=qualification_data(),
        certificate=pdf(),
    )
    theirs.refresh_from_db()
    assert theirs.issuing_body == "福建省地方金融监督管理局"
    assert Qualification.objects.filter(guarantor=other).count() == 1


def test_reviewer_may_not_write(demo_users, guarantor):
    refused(
        "permission_denied",
        services.add_qualification,
        actor=demo_users["guarantor_reviewer"],
        guarantor=guarantor,
        data=qualification_data(),
        certificate=pdf(),
    )
