from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from eguarantee.core.api import ReadOnlyScopedViewSet, ScopedViewSet
from eguarantee.core.scope import scoped_get

from .. import filtersets, selectors, services
from ..models import Project, ProjectDocument, Section
from . import serializers as s

PROJECT_EXISTS = OpenApiResponse(
    description="项目编号已存在（code=project_exists，details.project_id 为已有项目ID，可调用 join 加入）"
)


def _project_data(validated):
    data = {k: v for k, v in validated.items() if k != "sections"}
    return data


def _section_rows(validated):
    rows = validated.get("sections")
    return None if rows is None else [dict(row) for row in rows]


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Project
    queryset = Project.objects.none()
    selector = staticmethod(selectors.projects_for)
    serializer_class = s.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet
    ordering_fields = ["number", "name", "bid_opening_at", "created_at"]

    def get_queryset(self):
        if self.action == "join":
            return selectors.joinable_projects_for(self.request.user)
        if self.action in ("partial_update", "destroy"):
            return selectors.editable_projects_for(self.request.user)
        return super().get_queryset().prefetch_related("sections", "participants__organization")

    @extend_schema(responses={201: s.ProjectSerializer, 409: PROJECT_EXISTS})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.create_project(
            actor=request.user,
            data=_project_data(serializer.validated_data),
            sections=_section_rows(serializer.validated_data) or [],
        )
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ProjectSerializer, 409: PROJECT_EXISTS})
    def partial_update(self, request, pk=None):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = services.update_project(
            project,
            actor=request.user,
            data=_project_data(serializer.validated_data),
            sections=_section_rows(serializer.validated_data),
        )
        return Response(self.get_serializer(project).data)

    def destroy(self, request, pk=None):
        services.delete_project(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.JoinResultSerializer, 201: s.JoinResultSerializer})
    @action(detail=True, methods=["post"], permission="projects.join_project")
    def join(self, request, pk=None):
        """加入已有项目：录入时得到 project_exists 的申请人，以该项目ID加入。"""
        _participant, created = services.join_project(self.get_object(), actor=request.user)
        project = selectors.projects_for(request.user).get(pk=pk)
        body = {"joined": created, "project": s.ProjectSerializer(project).data}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SectionViewSet(ReadOnlyScopedViewSet):
    """Sections are written with their project (POST/PATCH /projects/, field `sections`)."""

    model = Section
    queryset = Section.objects.none()
    selector = staticmethod(selectors.sections_for)
    serializer_class = s.SectionSerializer
    filterset_class = filtersets.SectionFilterSet
    ordering_fields = ["number", "bid_bond_amount"]


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = ProjectDocument
    queryset = ProjectDocument.objects.none()
    selector = staticmethod(selectors.documents_for)
    serializer_class = s.DocumentSerializer
    filterset_class = filtersets.DocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["uploaded_at", "size"]

    @extend_schema(request={"multipart/form-data": s.DocumentUploadSerializer}, responses={201: s.DocumentSerializer})
    def create(self, request):
        body = s.DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = scoped_get(selectors.projects_for(request.user), data["project"])
        document = services.upload_document(
            project, actor=request.user, doc_type=data["doc_type"], upload=data["file"], note=data.get("note", "")
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.delete_document(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission="projects.view_projectdocument")
    def download(self, request, pk=None):
        document = self.get_object()
        request._request.audit_sensitive = "下载项目资料"
        request._request.audit_object = document
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=document.original_name)
