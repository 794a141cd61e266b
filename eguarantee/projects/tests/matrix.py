"""Permission-matrix lines for 工程项目管理: projects, sections, documents (pages and API).
Applicants manage; beneficiaries and departments view; platform_admin all (joining is an
applicant's act)."""

from datetime import timedelta

from django.utils import timezone

from eguarantee.core.matrix import ADMIN, APPLICANTS, BENEFICIARIES, DEPARTMENTS, Route, pk

from .factories import foreign_project, make_document, next_number, shared_project

NAMESPACES = {"projects"}

VIEW = APPLICANTS | BENEFICIARIES | DEPARTMENTS | ADMIN
MANAGE = APPLICANTS | ADMIN
JOIN = APPLICANTS


def visible(o):
    return shared_project(o.users)


def foreign(o):
    return foreign_project(o.users)


def section(o):
    return visible(o).sections.get()


def document(o):
    project = visible(o)
    return make_document(project, project.created_by)


def new_project_payload(o):
    return {
        "number": next_number("API"),
        "name": "接口录入的房建工程",
        "project_type": "building",
        "region_code": "350203",
        "beneficiary": o.org_of("beneficiary_admin").pk,
        "contract_estimate": "5000000.00",
        "bid_opening_at": (timezone.now() + timedelta(days=20)).isoformat(),
        "bid_validity_days": 90,
        "sections": [{"number": "01", "name": "一标段", "bid_bond_amount": "50000.00"}],
    }


ROUTES = [
    Route("projects:project_list", VIEW),
    Route("projects:project_add", MANAGE),
    Route("projects:number_check", MANAGE),
    Route("projects:project_detail", VIEW, pk(visible)),
    Route("projects:project_edit", MANAGE, pk(visible)),
    Route("projects:project_delete", MANAGE, pk(visible)),
    Route("projects:project_join", JOIN, pk(foreign)),
    Route("projects:project_join", JOIN, pk(foreign), method="post", ok=302),
    Route("projects:document_add", MANAGE, pk(visible)),
    Route("projects:section_list", VIEW),
    Route("projects:section_detail", VIEW, pk(section)),
    Route("projects:document_list", VIEW),
    Route("projects:document_detail", VIEW, pk(document)),
    Route("projects:document_download", VIEW, pk(document)),
    Route("projects:document_delete", MANAGE, pk(document)),
    # ---- API
    Route("api:project-list", VIEW),
    Route("api:project-list", MANAGE, method="post", data=new_project_payload, ok=201),
    Route("api:project-detail", VIEW, pk(visible)),
    Route("api:project-join", JOIN, pk(foreign), method="post", ok=201),
    Route("api:project-section-list", VIEW),
    Route("api:project-section-detail", VIEW, pk(section)),
    Route("api:project-document-list", VIEW),
    Route("api:project-document-detail", VIEW, pk(document)),
    Route("api:project-document-download", VIEW, pk(document)),
]

# Another organization's project answers 403, on pages and API alike.
SCOPE = [
    ("applicant_admin", "projects:project_detail", foreign_project, 403),
    ("applicant_operator", "projects:project_edit", foreign_project, 403),
    ("beneficiary_admin", "projects:project_detail", foreign_project, 403),
    ("department_inspector", "projects:project_detail", foreign_project, 403),
    ("applicant_admin", "api:project-detail", foreign_project, 403),
    ("beneficiary_operator", "api:project-detail", foreign_project, 403),
    ("applicant_admin", "projects:project_detail", shared_project, 200),
    ("beneficiary_operator", "projects:project_detail", shared_project, 200),
    ("department_admin", "api:project-detail", shared_project, 200),
    ("platform_admin", "projects:project_detail", foreign_project, 200),
]
