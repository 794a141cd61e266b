from django.contrib.auth.models import Permission
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from eguarantee.core.api import ScopedViewSet
from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get

from .. import filtersets, selectors, services
from ..models import Organization, Role, User
from . import serializers as s


def _roles_by_code(codes):
    roles = list(Role.objects.filter(code__in=codes))
    missing = set(codes) - {r.code for r in roles}
    if missing:
        raise ServiceError(f"角色不存在：{'、'.join(sorted(missing))}", code="unknown_role", field="role_codes")
    return roles


def _permissions(names):
    result = []
    for name in names:
        app_label, _, codename = name.partition(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is None:
            raise ServiceError(f"权限不存在：{name}", code="unknown_permission", field="permissions")
        result.append(perm)
    return result


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Organization
    queryset = Organization.objects.none()
    selector = staticmethod(selectors.organizations_for)
    serializer_class = s.OrganizationSerializer
    filterset_class = filtersets.OrganizationFilterSet
    ordering_fields = ["name", "created_at", "status"]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = services.create_organization(actor=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(org).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        org = self.get_object()
        serializer = self.get_serializer(org, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        org = services.update_organization(org, actor=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(org).data)

    def destroy(self, request, pk=None):
        services.delete_organization(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="accounts.approve_organization")
    def approve(self, request, pk=None):
        org = services.approve_organization(self.get_object(), actor=request.user)
        return Response(self.get_serializer(org).data)

    @extend_schema(request=s.RejectSerializer)
    @action(detail=True, methods=["post"], permission="accounts.approve_organization")
    def reject(self, request, pk=None):
        body = s.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        org = services.reject_organization(self.get_object(), actor=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(org).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="accounts.lock_organization")
    def lock(self, request, pk=None):
        return Response(
            self.get_serializer(
                services.set_organization_locked(self.get_object(), actor=request.user, locked=True)
            ).data
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="accounts.lock_organization")
    def unlock(self, request, pk=None):
        return Response(
            self.get_serializer(
                services.set_organization_locked(self.get_object(), actor=request.user, locked=False)
            ).data
        )


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = User
    queryset = User.objects.none()
    selector = staticmethod(lambda user: selectors.users_for(user).prefetch_related("groups__role"))
    serializer_class = s.UserSerializer
    filterset_class = filtersets.UserFilterSet
    ordering_fields = ["username", "date_joined", "last_login"]

    def get_serializer_class(self):
        return s.UserCreateSerializer if self.action == "create" else s.UserSerializer

    def create(self, request):
        serializer = s.UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        scoped_get(selectors.organizations_for(request.user), organization.pk)
        user = services.create_user(
            actor=request.user,
            organization=organization,
            data={k: data[k] for k in ("username", "full_name", "mobile", "email") if k in data},
            password=data["password"],
            roles=_roles_by_code(data.get("role_codes", [])),
        )
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        user = self.get_object()
        serializer = s.UserSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in ("username", "full_name", "mobile", "email")}
        return Response(s.UserSerializer(services.update_user(user, actor=request.user, data=data)).data)

    def destroy(self, request, pk=None):
        services.deactivate_user(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="accounts.lock_user")
    def lock(self, request, pk=None):
        return Response(
            s.UserSerializer(services.set_user_locked(self.get_object(), actor=request.user, locked=True)).data
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="accounts.lock_user")
    def unlock(self, request, pk=None):
        return Response(
            s.UserSerializer(services.set_user_locked(self.get_object(), actor=request.user, locked=False)).data
        )

    @extend_schema(request=s.RoleAssignSerializer)
    @action(detail=True, methods=["post"], permission="accounts.assign_role")
    def roles(self, request, pk=None):
        body = s.RoleAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = services.assign_roles(
            self.get_object(), actor=request.user, roles=_roles_by_code(body.validated_data["role_codes"])
        )
        return Response(s.UserSerializer(user).data)


class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Role
    queryset = Role.objects.none()
    selector = staticmethod(selectors.roles_for)
    serializer_class = s.RoleSerializer
    filterset_class = filtersets.RoleFilterSet
    ordering_fields = ["name", "code"]

    def _save(self, request, role=None, partial=False):
        serializer = self.get_serializer(role, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        names = data.pop("permissions", None)
        if role is not None:
            data = {k: data.get(k, getattr(role, k)) for k in ("name", "code", "org_type", "enabled", "description")}
        role = services.save_role(
            actor=request.user, data=data, permissions=_permissions(names) if names is not None else None, role=role
        )
        return self.get_serializer(role).data

    def create(self, request):
        return Response(self._save(request), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        return Response(self._save(request, self.get_object(), partial=True))

    def destroy(self, request, pk=None):
        services.delete_role(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
