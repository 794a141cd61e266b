"""Project services: entering, duplicate numbers, joining, locking, 归口, invitations, and
every refused input leaving the database as it was."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts import services as account_services
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.audit.models import ObjectChange
from eguarantee.core.exceptions import ServiceError
from eguarantee.notifications.models import SmsMessage
from eguarantee.projects import services, signals
from eguarantee.projects.models import BeneficiaryInvitation, Project, ProjectDocument, ProjectParticipant, Section

from .factories import PDF, make_org, make_project

pytestmark = pytest.mark.django_db

UNREGISTERED_CODE = demo.credit_code("91350205", 777001)


def project_data(users, **overrides):
    data = {
        "number": "E3502030001202609001",
        "name": "思明区体育中心改造工程",
        "project_type": "municipal",
        "region_code": "350203",
        "beneficiary": users["beneficiary_admin"].organization,
        "total_investment": Decimal("12000000"),
        "contract_estimate": Decimal("10000000"),
        "bid_opening_at": timezone.now() + timedelta(days=10),
        "bid_validity_days": 90,
    }
    data.update(overrides)
    return data


SECTIONS = [
    {"number": "01", "name": "一标段", "bid_bond_amount": Decimal("100000")},
    {"number": "02", "name": "二标段", "bid_bond_amount": Decimal("80000.50")},
]


def counts():
    return (
        Project.objects.count(),
        Section.objects.count(),
        ProjectParticipant.objects.count(),
        BeneficiaryInvitation.objects.count(),
        ProjectDocument.objects.count(),
        SmsMessage.objects.count(),
    )


def refused(code, call):
    before = counts()
    with pytest.raises(ServiceError) as info:
        call()
    assert info.value.code == code, info.value.message
    assert info.value.message
    assert counts() == before
    return info.value


# ---------------------------------------------------------------- entering a project


def test_applicant_enters_project_with_sections(demo_users):
    actor = demo_users["applicant_operator"]
    project = services.create_project(actor=actor, data=project_data(demo_users), sections=SECTIONS)
    project.refresh_from_db()
    assert project.created_by == actor.organization
    assert project.created_by_user == actor
    assert project.source == "manual"
    assert project.beneficiary == demo_users["beneficiary_admin"].organization
    assert project.beneficiary_credit_code == project.beneficiary.credit_code
    assert [(s.number, s.bid_bond_amount) for s in project.sections.order_by("number")] == [
        ("01", Decimal("100000.00")),
        ("02", Decimal("80000.50")),
    ]
    assert list(project.participants.values_list("organization", flat=True)) == [actor.organization_id]
    assert not BeneficiaryInvitation.objects.exists()


def test_department_is_resolved_on_create_and_on_type_or_region_change(demo_users, monkeypatch):
    department = demo_users["department_admin"].organization
    calls = []

    def resolve(project_type, region_code):
        calls.append((project_type, region_code))
        return department if region_code.startswith("3502") else None

    monkeypatch.setattr(services, "_resolve_department", resolve)
    actor = demo_users["applicant_admin"]
    project = services.create_project(actor=actor, data=project_data(demo_users), sections=SECTIONS)
    assert project.department == department
    services.update_project(project, actor=actor, data={"name": "新名称"})
    assert len(calls) == 1  # the name is not what 归口 depends on
    project = services.update_project(project, actor=actor, data={"region_code": "350102"})
    assert Project.objects.get(pk=project.pk).department is None
    assert calls[-1] == ("municipal", "350102")


def test_reassign_departments_after_rules_change(demo_users, monkeypatch):
    department = demo_users["department_admin"].organization
    applicant = demo_users["applicant_admin"].organization
    in_xiamen = [make_project(applicant, region_code="350203") for _ in range(3)]
    in_fuzhou = make_project(applicant, region_code="350102", department=department)
    lookups = []

    def resolve(project_type, region_code):
        lookups.append(region_code)
        return department if region_code.startswith("3502") else None

    monkeypatch.setattr(services, "_resolve_department", resolve)
    signals._rules_changed(sender=None)  # what the departments module's signal triggers
    assert sorted(lookups) == ["350102", "350203"]  # one lookup per (type, region), not per project
    for project in in_xiamen:
        project.refresh_from_db()
        assert project.department == department
    in_fuzhou.refresh_from_db()
    assert in_fuzhou.department is None
    assert services.reassign_departments() == 0  # idempotent


def test_scoped_reassignment_touches_only_the_named_scope(demo_users, monkeypatch):
    department = demo_users["department_admin"].organization
    applicant = demo_users["applicant_admin"].organization
    named = make_project(applicant, region_code="350203")
    other_type = make_project(applicant, region_code="350203", project_type="water")
    elsewhere = make_project(applicant, region_code="350102")
    monkeypatch.setattr(services, "_resolve_department", lambda project_type, region_code: department)
    assert services.reassign_departments([("municipal", "350200")]) == 1
    assert [Project.objects.get(pk=p.pk).department for p in (named, other_type, elsewhere)] == [department, None, None]


def test_jurisdiction_rules_of_the_departments_module(demo_users, django_capture_on_commit_callbacks):
    """With the departments module in place: its rule decides a new project's department,
    and a rule added later reaches existing projects through rules_changed."""
    rules = pytest.importorskip("eguarantee.departments.models")
    department = demo_users["department_admin"].organization
    actor = demo_users["applicant_admin"]
    before_rule = services.create_project(actor=actor, data=project_data(demo_users), sections=SECTIONS)
    assert before_rule.department is None
    with django_capture_on_commit_callbacks(execute=True):
        rules.JurisdictionRule.objects.create(project_type="municipal", region_code="350200", department=department)
    before_rule.refresh_from_db()
    assert before_rule.department == department
    later = services.create_project(
        actor=actor, data=project_data(demo_users, number="E-AFTER-RULE", region_code="350206"), sections=SECTIONS
    )
    assert later.department == department
    assert "E-AFTER-RULE" in client_text(demo_users, "department_inspector")


def client_text(users, role):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(users[role], backend="eguarantee.accounts.backends.RoleBackend")
    return client.get(reverse("projects:project_list")).content.decode()


# ---------------------------------------------------------------- same number twice, joining


def test_same_number_offers_existing_project(demo_users):
    first = services.create_project(
        actor=demo_users["applicant_admin"], data=project_data(demo_users), sections=SECTIONS
    )
    other_applicant = make_org(OrgType.APPLICANT)
    error = refused(
        "project_exists",
        lambda: services.create_project(
            actor=_user_of(other_applicant, demo_users),
            data=project_data(demo_users, number=" e3502030001202609001 ", name="重复录入"),
            sections=SECTIONS,
        ),
    )
    assert error.status == 409
    assert error.message == "该项目编号已存在：思明区体育中心改造工程"
    assert error.details["project_id"] == first.pk


def _user_of(org, users):
    """A user of `org` holding the applicant operator's role."""
    from eguarantee.accounts.models import Role, User

    n = User.objects.count() + 1
    user = User.objects.create(
        username=f"bidder{n}", full_name="投标人经办", organization=org, mobile=f"1371111{n:04d}"
    )
    user.groups.add(Role.objects.get(code="applicant_operator"))
    return User.objects.get(pk=user.pk)


def test_join_existing_project(demo_users):
    project = make_project(make_org(OrgType.APPLICANT))
    actor = demo_users["applicant_operator"]
    participant, created = services.join_project(project, actor=actor)
    assert created and participant.organization == actor.organization and participant.joined_at
    again, created_again = services.join_project(project, actor=demo_users["applicant_admin"])
    assert not created_again and again.pk == participant.pk
    assert project.participants.count() == 2


def test_only_applicants_join(demo_users):
    project = make_project(make_org(OrgType.APPLICANT))
    refused("permission_denied", lambda: services.join_project(project, actor=demo_users["beneficiary_admin"]))
    refused("permission_denied", lambda: services.join_project(project, actor=demo_users["platform_admin"]))


# ---------------------------------------------------------------- editing, locking


def test_only_the_entering_organization_edits(demo_users):
    project = make_project(make_org(OrgType.APPLICANT), participants=[demo_users["applicant_admin"].organization])
    refused(
        "permission_denied",
        lambda: services.update_project(project, actor=demo_users["applicant_admin"], data={"name": "改名"}),
    )
    assert Project.objects.get(pk=project.pk).name == "测试市政道路工程"


def test_lock_refuses_changes_except_platform_admin_whose_change_is_audited(demo_users):
    owner = demo_users["applicant_admin"]
    project = make_project(owner.organization)
    assert not services.is_locked(project)
    project = services.lock_project(project, reason="投标保函已出具")
    assert services.is_locked(project) and project.lock_reason == "投标保函已出具"
    first_lock = project.locked_at
    assert services.lock_project(project, reason="第二份保函").locked_at == first_lock

    refused("project_locked", lambda: services.update_project(project, actor=owner, data={"name": "锁定后改名"}))
    document = ProjectDocument.objects.count()
    refused("project_locked", lambda: services.delete_project(project, actor=owner))
    assert ProjectDocument.objects.count() == document

    admin = demo_users["platform_admin"]
    services.update_project(project, actor=admin, data={"name": "平台更正后的名称"})
    project.refresh_from_db()
    assert project.name == "平台更正后的名称" and services.is_locked(project)
    change = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk), action="update"
    ).latest("pk")
    assert change.prechange_data["name"] == "测试市政道路工程"
    assert change.postchange_data["name"] == "平台更正后的名称"


def test_lock_requires_reason(demo_users):
    project = make_project(demo_users["applicant_admin"].organization)
    with pytest.raises(ServiceError) as info:
        services.lock_project(project, reason=" ")
    assert info.value.code == "reason_required"
    assert Project.objects.get(pk=project.pk).locked_at is None


def test_sections_replaced_as_a_set(demo_users):
    actor = demo_users["applicant_admin"]
    project = services.create_project(actor=actor, data=project_data(demo_users), sections=SECTIONS)
    first = project.sections.get(number="01")
    services.update_project(
        project,
        actor=actor,
        data={},
        sections=[
            {"id": first.pk, "number": "01", "name": "一标段（调整）", "bid_bond_amount": Decimal("90000")},
            {"number": "03", "name": "三标段", "bid_bond_amount": Decimal("1")},
        ],
    )
    assert {(s.pk == first.pk, s.number, s.name) for s in project.sections.all()} == {
        (True, "01", "一标段（调整）"),
        (False, "03", "三标段"),
    }


def test_delete_refused_when_others_joined(demo_users):
    owner = demo_users["applicant_admin"]
    project = make_project(owner.organization, participants=[make_org(OrgType.APPLICANT)])
    refused("project_in_use", lambda: services.delete_project(project, actor=owner))
    lonely = make_project(owner.organization)
    services.delete_project(lonely, actor=owner)
    assert not Project.objects.filter(pk=lonely.pk).exists()


# ---------------------------------------------------------------- invitation and link on approval


def test_unregistered_beneficiary_is_invited_and_linked_on_approval(demo_users):
    actor = demo_users["applicant_admin"]
    data = project_data(
        demo_users,
        beneficiary=None,
        beneficiary_name="厦门新区开发建设有限公司",
        beneficiary_credit_code=UNREGISTERED_CODE.lower(),
        invite_mobile="13612345678",
    )
    project = services.create_project(actor=actor, data=data, sections=SECTIONS)
    assert project.beneficiary is None and project.beneficiary_credit_code == UNREGISTERED_CODE
    invitation = BeneficiaryInvitation.objects.get(project=project)
    assert (invitation.mobile, invitation.invited_by, invitation.credit_code) == (
        "13612345678",
        actor,
        UNREGISTERED_CODE,
    )
    assert invitation.invited_at is not None
    sms = SmsMessage.objects.get(pk=invitation.sms_id)
    assert sms.mobile == "13612345678" and sms.purpose == "beneficiary_invitation"
    assert "思明区体育中心改造工程" in sms.content

    registered = make_org(OrgType.BENEFICIARY, status=OrgStatus.PENDING, name="厦门新区开发建设有限公司")
    registered.credit_code = UNREGISTERED_CODE
    registered.save()
    project.refresh_from_db()
    assert project.beneficiary is None  # pending is not yet a beneficiary

    account_services.approve_organization(registered, actor=demo_users["platform_admin"])
    project.refresh_from_db()
    invitation.refresh_from_db()
    assert project.beneficiary == registered
    assert invitation.linked_organization == registered and invitation.linked_at is not None


def test_registered_beneficiary_typed_by_code_is_linked_without_invitation(demo_users):
    beneficiary = demo_users["beneficiary_admin"].organization
    data = project_data(
        demo_users, beneficiary=None, beneficiary_name="随便写的名字", beneficiary_credit_code=beneficiary.credit_code
    )
    project = services.create_project(actor=demo_users["applicant_admin"], data=data, sections=SECTIONS)
    assert project.beneficiary == beneficiary and project.beneficiary_name == beneficiary.name
    assert not BeneficiaryInvitation.objects.exists() and not SmsMessage.objects.exists()


# ---------------------------------------------------------------- refused input, nothing written


@pytest.mark.parametrize(
    ("overrides", "sections", "code", "field"),
    [
        ({"bid_opening_at": timezone.now() - timedelta(minutes=1)}, SECTIONS, "bid_opening_in_past", "bid_opening_at"),
        ({}, [{"number": "01", "name": "一标段", "bid_bond_amount": Decimal("0")}], "invalid_amount", "sections"),
        ({}, [{"number": "01", "name": "一标段", "bid_bond_amount": Decimal("-5")}], "invalid_amount", "sections"),
        (
            {},
            [*SECTIONS, {"number": "01", "name": "重复", "bid_bond_amount": 1}],
            "duplicate_section_number",
            "sections",
        ),
        ({}, [], "sections_required", "sections"),
        ({"region_code": "999999"}, SECTIONS, "unknown_region_code", "region_code"),
        ({"region_code": "35020"}, SECTIONS, "invalid_region_code", "region_code"),
        ({"contract_estimate": Decimal("0")}, SECTIONS, "invalid_amount", "contract_estimate"),
        ({"bid_validity_days": 0}, SECTIONS, "invalid_bid_validity", "bid_validity_days"),
        (
            {"beneficiary": None, "beneficiary_name": "某招标人", "beneficiary_credit_code": "91350200MA2Y000000"},
            SECTIONS,
            "invalid_credit_code",
            "beneficiary_credit_code",
        ),
        (
            {"beneficiary": None, "beneficiary_name": "某招标人", "beneficiary_credit_code": UNREGISTERED_CODE},
            SECTIONS,
            "invite_mobile_required",
            "invite_mobile",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_written(demo_users, overrides, sections, code, field):
    error = refused(
        code,
        lambda: services.create_project(
            actor=demo_users["applicant_admin"], data=project_data(demo_users, **overrides), sections=sections
        ),
    )
    assert error.field == field


def test_section_errors_name_their_row(demo_users):
    rows = [*SECTIONS, {"number": "03", "name": "三标段", "bid_bond_amount": Decimal("0")}]
    error = refused(
        "invalid_amount",
        lambda: services.create_project(
            actor=demo_users["applicant_admin"], data=project_data(demo_users), sections=rows
        ),
    )
    assert "bid_bond_amount" in error.details["sections"]["2"]


def test_applicant_as_beneficiary_is_refused(demo_users):
    applicant = make_org(OrgType.APPLICANT)
    data = project_data(
        demo_users, beneficiary=None, beneficiary_name=applicant.name, beneficiary_credit_code=applicant.credit_code
    )
    refused(
        "beneficiary_type_mismatch",
        lambda: services.create_project(actor=demo_users["applicant_admin"], data=data, sections=SECTIONS),
    )
    refused(
        "invalid_beneficiary",
        lambda: services.create_project(
            actor=demo_users["applicant_admin"], data=project_data(demo_users, beneficiary=applicant), sections=SECTIONS
        ),
    )


def test_edit_with_bad_input_leaves_project_as_it_was(demo_users):
    actor = demo_users["applicant_admin"]
    project = services.create_project(actor=actor, data=project_data(demo_users), sections=SECTIONS)
    refused(
        "bid_opening_in_past",
        lambda: services.update_project(
            project, actor=actor, data={"bid_opening_at": timezone.now() - timedelta(days=1), "name": "改名"}
        ),
    )
    refused(
        "duplicate_section_number",
        lambda: services.update_project(
            project,
            actor=actor,
            data={"name": "改名"},
            sections=[
                {"number": "A", "name": "甲", "bid_bond_amount": 1},
                {"number": "a", "name": "乙", "bid_bond_amount": 1},
            ],
        ),
    )
    project.refresh_from_db()
    assert project.name == "思明区体育中心改造工程"
    assert sorted(project.sections.values_list("number", flat=True)) == ["01", "02"]


def test_unchanged_past_opening_does_not_block_other_edits(demo_users):
    """A project whose bid opening has passed can still be corrected without moving it."""
    actor = demo_users["applicant_admin"]
    project = make_project(actor.organization, bid_opening_at=timezone.now() - timedelta(days=3))
    services.update_project(project, actor=actor, data={"name": "开标后更正名称"})
    assert Project.objects.get(pk=project.pk).name == "开标后更正名称"


# ---------------------------------------------------------------- documents


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_document_upload_stores_hashes(demo_users):
    actor = demo_users["applicant_operator"]
    project = make_project(actor.organization)
    document = services.upload_document(project, actor=actor, doc_type="tender_notice", upload=upload("公告.pdf", PDF))
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF) and document.original_name == "公告.pdf"
    assert len(document.sm3) == 64 and len(document.sha256) == 64
    import hashlib

    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.uploaded_by == actor and document.organization == actor.organization
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


def test_ofd_and_office_files_are_checked_by_content(demo_users):
    import io
    import zipfile

    from openpyxl import Workbook

    actor = demo_users["applicant_admin"]
    project = make_project(actor.organization)

    def package(names):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "<x/>")
        return buffer.getvalue()

    ofd = services.upload_document(
        project, actor=actor, doc_type="other", upload=upload("文件.ofd", package(["OFD.xml", "Doc_0/Document.xml"]))
    )
    assert ofd.content_type == "application/ofd"
    workbook = io.BytesIO()
    Workbook().save(workbook)
    xlsx = services.upload_document(
        project, actor=actor, doc_type="other", upload=upload("清单.xlsx", workbook.getvalue())
    )
    assert xlsx.content_type.endswith("spreadsheetml.sheet")
    refused(
        "file_extension_mismatch",
        lambda: services.upload_document(
            project, actor=actor, doc_type="other", upload=upload("假.ofd", package(["a.txt"]))
        ),
    )


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("招标文件.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "file_extension_mismatch"),
        ("合同.docx", PDF, "file_extension_mismatch"),
        ("说明.pdf", b"just some text, not a pdf at all", "file_type_not_allowed"),
        ("空.pdf", b"", "file_empty"),
    ],
)
def test_bad_documents_are_refused(demo_users, name, content, code):
    actor = demo_users["applicant_admin"]
    project = make_project(actor.organization)
    refused(
        code, lambda: services.upload_document(project, actor=actor, doc_type="contract", upload=upload(name, content))
    )


def test_oversized_document_is_refused(demo_users, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 1024)
    actor = demo_users["applicant_admin"]
    project = make_project(actor.organization)
    error = refused(
        "file_too_large",
        lambda: services.upload_document(
            project, actor=actor, doc_type="contract", upload=upload("大.pdf", PDF + b"0" * 2048)
        ),
    )
    assert "上限" in error.message


def test_non_participant_cannot_upload(demo_users):
    project = make_project(make_org(OrgType.APPLICANT))
    actor = demo_users["applicant_admin"]
    refused(
        "permission_denied",
        lambda: services.upload_document(project, actor=actor, doc_type="contract", upload=upload("a.pdf", PDF)),
    )


def test_documents_of_a_locked_project_stay(demo_users):
    actor = demo_users["applicant_admin"]
    project = make_project(actor.organization)
    document = services.upload_document(project, actor=actor, doc_type="contract", upload=upload("a.pdf", PDF))
    services.lock_project(project, reason="履约保函已出具")
    refused("project_locked", lambda: services.delete_document(document, actor=actor))
    # New documents (a won-bid notice for the next guarantee) may still be added.
    services.upload_document(project, actor=actor, doc_type="award_notice", upload=upload("中标.pdf", PDF))
    assert project.documents.count() == 2


def test_demo_project_is_seeded_once(demo_users):
    from eguarantee.projects import demo as project_demo

    project_demo.seed_demo(demo_users)
    project_demo.seed_demo(demo_users)
    project = Project.objects.get(number=project_demo.DEMO_NUMBER)
    assert Project.objects.count() == 1
    assert (project.project_type, project.region_code) == ("municipal", "350203")
    assert project.created_by == demo_users["applicant_admin"].organization
    assert project.beneficiary == demo_users["beneficiary_admin"].organization
    assert project.sections.count() == 2
    assert timedelta(days=29) < project.bid_opening_at - timezone.now() < timedelta(days=31)
