"""Project pages: entering with inline sections, the duplicate-number offer, joining, editing
a locked project, lists and exports by data scope, documents."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from eguarantee.accounts.choices import OrgType
from eguarantee.audit.models import OperationLog
from eguarantee.projects import services
from eguarantee.projects.models import Project, ProjectDocument, ProjectParticipant, Section

from .factories import PDF, make_document, make_org, make_project, shared_project

pytestmark = pytest.mark.django_db


def form_data(users, number="E3502030001202610001", sections=None, **overrides):
    opening = timezone.localtime() + timedelta(days=15)
    data = {
        "number": number,
        "name": "湖里区污水管网工程",
        "project_type": "municipal",
        "region_code": "350206",
        "beneficiary": str(users["beneficiary_admin"].organization.pk),
        "total_investment": "3000000",
        "contract_estimate": "2500000",
        "bid_opening_at": opening.strftime("%Y-%m-%dT%H:%M"),
        "bid_validity_days": "90",
        "tender_announced_at": "",
    }
    data.update(overrides)
    rows = sections if sections is not None else [("01", "一标段", "30000"), ("02", "二标段", "20000")]
    data.update({"sections-TOTAL_FORMS": str(len(rows)), "sections-INITIAL_FORMS": "0"})
    for index, (number_, name, amount) in enumerate(rows):
        data.update(
            {
                f"sections-{index}-number": number_,
                f"sections-{index}-name": name,
                f"sections-{index}-bid_bond_amount": amount,
            }
        )
    return data


def test_create_page_enters_project_with_sections(demo_users, client_for):
    client = client_for("applicant_operator")
    page = client.get(reverse("projects:project_add")).content.decode()
    assert "录入工程项目" in page and 'name="sections-TOTAL_FORMS"' in page and "添加标段" in page
    response = client.post(reverse("projects:project_add"), form_data(demo_users))
    project = Project.objects.get(number="E3502030001202610001")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    detail = client.get(response["Location"]).content.decode()
    assert "湖里区污水管网工程" in detail and "一标段" in detail and "二标段" in detail and "30,000.00" in detail
    assert project.sections.count() == 2


def test_blank_spare_rows_are_ignored(demo_users, client_for):
    data = form_data(demo_users, sections=[("01", "一标段", "30000"), ("", "", "")])
    assert client_for("applicant_admin").post(reverse("projects:project_add"), data).status_code == 302
    assert Section.objects.filter(project__number="E3502030001202610001").count() == 1


def test_duplicate_number_offers_the_existing_project(demo_users, client_for):
    existing = make_project(make_org(OrgType.APPLICANT), number="E3502060009", name="既有的学校工程")
    client = client_for("applicant_admin")
    before = (Project.objects.count(), Section.objects.count())
    response = client.post(reverse("projects:project_add"), form_data(demo_users, number="E3502060009"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "该项目编号已存在：既有的学校工程" in text
    assert reverse("projects:project_join", args=[existing.pk]) in text
    assert (Project.objects.count(), Section.objects.count()) == before

    check = client.get(reverse("projects:number_check"), {"number": "e3502060009"}, HTTP_HX_REQUEST="true")
    assert "该项目编号已存在：既有的学校工程" in check.content.decode()
    assert reverse("projects:project_join", args=[existing.pk]) in check.content.decode()
    assert client.get(reverse("projects:number_check"), {"number": "NEW-1"}).content.decode().strip() == ""

    join_page = client.get(reverse("projects:project_join", args=[existing.pk])).content.decode()
    assert "既有的学校工程" in join_page and "确认加入项目" in join_page
    response = client.post(reverse("projects:project_join", args=[existing.pk]))
    assert response.status_code == 302 and response["Location"] == existing.get_absolute_url()
    assert ProjectParticipant.objects.filter(
        project=existing, organization=demo_users["applicant_admin"].organization
    ).exists()
    assert "既有的学校工程" in client.get(reverse("projects:project_list")).content.decode()
    # A colleague of the same organization sees it too, and the number check now says "查看".
    other = client_for("applicant_operator")
    assert other.get(existing.get_absolute_url()).status_code == 200
    assert "查看该项目" in other.get(reverse("projects:number_check"), {"number": "E3502060009"}).content.decode()


@pytest.mark.parametrize(
    ("overrides", "sections", "message"),
    [
        ({"bid_opening_at": "2020-01-01T09:00"}, None, "开标时间必须晚于当前时间。"),
        ({}, [("01", "一标段", "0")], "标段“01”的投标保证金必须大于0。"),
        ({}, [("01", "一标段", "1"), ("01", "另一个", "2")], "标段编号“01”重复"),
        ({"region_code": "123456"}, None, "行政区划代码“123456”不存在或已撤销。"),
        (
            {"beneficiary": "", "beneficiary_name": "某公司", "beneficiary_credit_code": "91350200MA2Y000000"},
            None,
            "统一社会信用代码无效",
        ),
    ],
)
def test_bad_input_on_the_page(demo_users, client_for, overrides, sections, message):
    before = (Project.objects.count(), Section.objects.count(), ProjectParticipant.objects.count())
    response = client_for("applicant_admin").post(
        reverse("projects:project_add"), form_data(demo_users, sections=sections, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Project.objects.count(), Section.objects.count(), ProjectParticipant.objects.count()) == before
    assert OperationLog.objects.filter(action="project_add").latest("pk").result == "failure"


def test_edit_page_keeps_section_ids_and_deletes_ticked_rows(demo_users, client_for):
    owner = demo_users["applicant_admin"]
    project = make_project(owner.organization, number="E-EDIT-1")
    Section.objects.create(project=project, number="02", name="第二标段", bid_bond_amount=5)
    first, second = project.sections.order_by("number")
    client = client_for("applicant_admin")
    page = client.get(reverse("projects:project_edit", args=[project.pk])).content.decode()
    assert "第二标段" in page and 'value="E-EDIT-1"' in page
    data = form_data(
        demo_users,
        number="E-EDIT-1",
        name="改过的名称",
        sections=[("01", "第一标段（改）", "111"), ("02", "第二标段", "5")],
    )
    data.update({"sections-INITIAL_FORMS": "2", "sections-0-id": str(first.pk), "sections-1-id": str(second.pk)})
    data["sections-1-DELETE"] = "on"
    response = client.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.name == "改过的名称"
    assert [(s.pk, s.name) for s in project.sections.all()] == [(first.pk, "第一标段（改）")]


def test_locked_project_edit_page_refuses_owner_and_lets_admin(demo_users, client_for):
    project = make_project(demo_users["applicant_admin"].organization, number="E-LOCK-1")
    services.lock_project(project, reason="投标保函已出具")
    data = form_data(demo_users, number="E-LOCK-1", name="锁定后改名", sections=[("01", "第一标段", "20000")])
    data.update({"sections-INITIAL_FORMS": "1", "sections-0-id": str(project.sections.get().pk)})
    owner = client_for("applicant_admin")
    assert "项目信息已锁定" in owner.get(reverse("projects:project_edit", args=[project.pk])).content.decode()
    response = owner.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert "项目信息已锁定，不能修改" in response.content.decode()
    assert Project.objects.get(pk=project.pk).name == "测试市政道路工程"
    assert "修改</a>" not in owner.get(project.get_absolute_url()).content.decode()
    response = client_for("platform_admin").post(reverse("projects:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).name == "锁定后改名"


def test_joined_participant_may_not_edit(demo_users, client_for):
    project = make_project(make_org(OrgType.APPLICANT), participants=[demo_users["applicant_admin"].organization])
    client = client_for("applicant_admin")
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 403
    assert client.get(reverse("projects:project_delete", args=[project.pk])).status_code == 403


def test_lists_and_exports_follow_data_scope(demo_users, client_for):
    mine = shared_project(demo_users)
    theirs = make_project(make_org(OrgType.APPLICANT), name="别人的工程")
    for role in ("applicant_operator", "beneficiary_admin", "department_inspector"):
        text = client_for(role).get(reverse("projects:project_list")).content.decode()
        assert mine.number in text and theirs.number not in text, role
    assert theirs.number in client_for("platform_admin").get(reverse("projects:project_list")).content.decode()
    response = client_for("applicant_admin").get(reverse("projects:project_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert numbers == [mine.number]
    assert OperationLog.objects.filter(action__startswith="导出").exists()


def test_list_filters(demo_users, client_for):
    org = demo_users["applicant_admin"].organization
    soon = make_project(
        org, number="F-SOON", project_type="building", bid_opening_at=timezone.now() + timedelta(days=3)
    )
    later = make_project(
        org, number="F-LATER", region_code="350102", bid_opening_at=timezone.now() + timedelta(days=60)
    )
    client = client_for("applicant_admin")

    def listed(**params):
        text = client.get(reverse("projects:project_list"), params).content.decode()
        return {n for n in ("F-SOON", "F-LATER") if n in text}

    assert listed(project_type="building") == {"F-SOON"}
    assert listed(region_code="350200") == {"F-SOON"}
    assert listed(bid_opening_from=(timezone.localdate() + timedelta(days=30)).isoformat()) == {"F-LATER"}
    assert listed(number="later") == {"F-LATER"}
    assert listed(source="trading_centre") == set()
    assert soon and later


def test_document_upload_download_and_refusals(demo_users, client_for, settings):
    project = shared_project(demo_users)
    client = client_for("applicant_operator")
    url = reverse("projects:document_add", args=[project.pk])
    response = client.post(url, {"doc_type": "tender_document", "file": SimpleUploadedFile("招标文件.pdf", PDF)})
    assert response.status_code == 302
    document = ProjectDocument.objects.get(project=project)
    assert "招标文件.pdf" in client.get(project.get_absolute_url()).content.decode()

    bad = client.post(
        url, {"doc_type": "contract", "file": SimpleUploadedFile("合同.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 32)}
    )
    assert bad.status_code == 200 and "与文件内容（PNG）不符" in bad.content.decode()
    assert ProjectDocument.objects.count() == 1

    for role in ("beneficiary_operator", "department_admin"):
        download = client_for(role).get(reverse("projects:document_download", args=[document.pk]))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
    log = OperationLog.objects.filter(action__startswith="下载项目资料").latest("pk")
    assert log.object_repr == str(document) and log.user_name == "department_admin"


def test_other_organizations_documents_are_403(demo_users, client_for):
    theirs = make_project(make_org(OrgType.APPLICANT))
    document = make_document(theirs, theirs.created_by)
    client = client_for("applicant_admin")
    assert client.get(reverse("projects:document_download", args=[document.pk])).status_code == 403
    assert client.get(reverse("projects:document_detail", args=[document.pk])).status_code == 403
    assert client.get(reverse("projects:document_add", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("projects:project_detail", args=[987654])).status_code == 404


def test_delete_project_page(demo_users, client_for):
    project = make_project(demo_users["applicant_admin"].organization)
    response = client_for("applicant_admin").post(reverse("projects:project_delete", args=[project.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("projects:project_list")
    assert not Project.objects.filter(pk=project.pk).exists()


def test_section_and_document_lists(demo_users, client_for):
    project = shared_project(demo_users)
    make_document(project, project.created_by, name="公告.pdf")
    client = client_for("beneficiary_admin")
    assert project.number in client.get(reverse("projects:section_list")).content.decode()
    assert "公告.pdf" in client.get(reverse("projects:document_list")).content.decode()
    section = project.sections.get()
    assert "第一标段" in client.get(reverse("projects:section_detail", args=[section.pk])).content.decode()
