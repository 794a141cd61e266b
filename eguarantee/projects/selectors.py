"""What each user may see of projects. Lists, details, exports and the API read through these.

A project is seen by the applicant organizations that entered or joined it, its
beneficiary, the department in charge of it (归口), and the platform."""

from django.db.models import Exists, OuterRef, Q

from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization

from .models import Project, ProjectDocument, ProjectParticipant, Section


def projects_for(user):
    qs = Project.objects.select_related("created_by", "beneficiary", "department")
    if not user.is_authenticated or user.organization_id is None:
        return qs.none()
    if user.is_platform:
        return qs
    participating = ProjectParticipant.objects.filter(project=OuterRef("pk"), organization_id=user.organization_id)
    return qs.filter(
        Q(Exists(participating)) | Q(beneficiary_id=user.organization_id) | Q(department_id=user.organization_id)
    )


def editable_projects_for(user):
    """Projects this user's organization entered (the platform: all)."""
    qs = projects_for(user)
    return qs if user.is_platform else qs.filter(created_by_id=user.organization_id)


def joinable_projects_for(user):
    """Any project an applicant may bid on: it reaches it by the number it typed, which is
    public tender information, before it is a participant."""
    if user.organization_id is None or user.organization.org_type != OrgType.APPLICANT:
        return Project.objects.none()
    return Project.objects.all()


def sections_for(user):
    return Section.objects.filter(project__in=projects_for(user).values("pk")).select_related("project")


def documents_for(user):
    return ProjectDocument.objects.filter(project__in=projects_for(user).values("pk")).select_related(
        "project", "organization", "uploaded_by"
    )


def is_participant(user, project):
    return ProjectParticipant.objects.filter(project=project, organization_id=user.organization_id).exists()


def registered_beneficiaries():
    """The beneficiary organizations a project may name (招标人 registered on the platform)."""
    return Organization.objects.filter(org_type=OrgType.BENEFICIARY, status=OrgStatus.APPROVED).order_by("name")
