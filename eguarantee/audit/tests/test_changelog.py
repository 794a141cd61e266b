"""The object change log: every create, update, delete and m2m change of a business model
is an ObjectChange row, written in the same transaction as the change."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from eguarantee.accounts import services as accounts
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.audit.changelog import MASK, MASK_CHANGED
from eguarantee.audit.models import ObjectChange
from eguarantee.core import context

from .helpers import changes_for, org_data

pytestmark = pytest.mark.django_db

IP = "10.20.30.40"
REQUEST_ID = "req-changelog-0001"


def act(user):
    return context.acting_as(user, ip=IP, source="web", request_id=REQUEST_ID)


def test_create_update_delete_of_an_organization_are_recorded_with_actor(demo_users):
    admin = demo_users["platform_admin"]
    with act(admin):
        org = accounts.create_organization(actor=admin, data=org_data(1))
    created = changes_for(org).get()
    assert created.action == ObjectChange.Action.CREATE
    assert created.user == admin and created.user_name == "platform_admin"
    assert created.organization_id == admin.organization_id
    assert created.ip == IP and created.request_id == REQUEST_ID
    assert created.prechange_data is None
    assert created.postchange_data["name"] == "测试单位1"
    assert created.postchange_data["status"] == "approved"
    assert created.object_repr == "测试单位1"

    with act(admin):
        accounts.update_organization(org, actor=admin, data={"address": "厦门市思明区"})
    updated = changes_for(org).last()
    assert updated.action == ObjectChange.Action.UPDATE
    assert updated.prechange_data["address"] == ""
    assert updated.postchange_data["address"] == "厦门市思明区"
    changed = {field for field, _before, _after in updated.diff()}
    assert "address" in changed and "name" not in changed

    pk = org.pk
    with act(admin):
        accounts.delete_organization(org, actor=admin)
    deleted = ObjectChange.objects.filter(object_id=str(pk), action=ObjectChange.Action.DELETE).get()
    assert deleted.content_type.model == "organization"
    assert deleted.prechange_data["name"] == "测试单位1" and deleted.postchange_data is None
    assert deleted.user == admin and deleted.request_id == REQUEST_ID
    assert not Organization.objects.filter(pk=pk).exists()


def test_change_outside_a_request_names_the_source(db):
    with context.acting_as(None, source="seed_demo"):
        org = Organization.objects.create(**org_data(2))
    change = changes_for(org).get()
    assert change.user is None and change.user_name == "seed_demo" and change.ip is None


def test_password_is_masked_in_before_and_after(demo_users):
    user = demo_users["applicant_operator"]
    create = changes_for(user).filter(action="create").get()
    assert create.postchange_data["password"] == MASK
    before_count = changes_for(user).count()
    with act(demo_users["applicant_admin"]):
        accounts.admin_reset_password(user, actor=demo_users["applicant_admin"], password="New@Pass2026x")
    change = changes_for(user).last()
    assert changes_for(user).count() == before_count + 1
    # The change is visible, the hashes are not.
    assert change.prechange_data["password"] == MASK and change.postchange_data["password"] == MASK_CHANGED
    assert "password" in [f for f, _b, _a in change.diff()]
    assert change.postchange_data["must_change_password"] is True

    # A save that changes the password alone is still a change.
    user = User.objects.get(pk=user.pk)
    user.set_password("Other@Pass2026y")
    user.save(update_fields=["password"])
    assert changes_for(user).last().postchange_data["password"] == MASK_CHANGED
    assert changes_for(user).count() == before_count + 2
    hashes = set(User.objects.values_list("password", flat=True))
    for row in ObjectChange.objects.filter(content_type__model="user"):
        for data in (row.prechange_data or {}, row.postchange_data or {}):
            assert data.get("password") in (None, MASK, MASK_CHANGED)
            assert not hashes & {str(v) for v in data.values()}


def test_rolled_back_transaction_leaves_no_change_row(demo_users):
    admin = demo_users["platform_admin"]
    total = ObjectChange.objects.count()
    with pytest.raises(RuntimeError), act(admin), transaction.atomic():
        org = accounts.create_organization(actor=admin, data=org_data(3))
        assert changes_for(org).count() == 1  # written inside the transaction …
        raise RuntimeError("abort")
    assert not Organization.objects.filter(name="测试单位3").exists()
    assert ObjectChange.objects.count() == total  # … and gone with it


def test_failed_service_call_records_nothing(demo_users):
    admin = demo_users["platform_admin"]
    with act(admin):
        org = accounts.create_organization(actor=admin, data=org_data(4))
    total = ObjectChange.objects.count()
    with act(admin), pytest.raises(accounts.ServiceError):
        accounts.update_organization(org, actor=admin, data={"region_code": "bad"})
    assert ObjectChange.objects.count() == total
    org.refresh_from_db()
    assert org.region_code == "350206"


def test_role_permission_change_is_recorded(demo_users):
    security = demo_users["platform_security"]
    perms = list(Permission.objects.filter(codename__in=["view_user", "view_organization"]).order_by("pk"))
    with act(security):
        role = accounts.save_role(
            actor=security,
            data={"name": "测试角色", "code": "test_role", "org_type": "applicant", "description": "测试"},
            permissions=perms,
        )
    # Creating a role with its permissions is one change, not "created empty" + "permissions added".
    created = changes_for(role).get()
    assert created.action == ObjectChange.Action.CREATE
    assert created.postchange_data["permissions"] == sorted(p.pk for p in perms)
    assert created.postchange_data["code"] == "test_role"
    assert created.user == security and created.request_id == REQUEST_ID

    lock = Permission.objects.get(codename="lock_user")
    with act(security):
        accounts.save_role(
            actor=security, data={"name": "测试角色", "code": "test_role"}, permissions=[lock], role=role
        )
    # set() removes then adds: recorded as one update from the old set to the new one.
    assert changes_for(role).count() == 2
    last = changes_for(role).last()
    assert last.action == ObjectChange.Action.UPDATE
    assert last.prechange_data["permissions"] == sorted(p.pk for p in perms)
    assert last.postchange_data["permissions"] == [lock.pk]
    assert [f for f, _b, _a in last.diff()] == ["permissions"]


def test_m2m_changes_in_separate_requests_are_separate_rows(demo_users):
    security = demo_users["platform_security"]
    with context.acting_as(security, request_id="req-m2m-00000001"):
        role = accounts.save_role(
            actor=security, data={"name": "角色甲", "code": "role_a", "org_type": "applicant"}, permissions=[]
        )
    view_user = Permission.objects.get(codename="view_user")
    with context.acting_as(security, request_id="req-m2m-00000002"):
        role.permissions.add(view_user)
    rows = list(changes_for(role))
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[0].postchange_data["permissions"] == []
    assert rows[1].prechange_data["permissions"] == [] and rows[1].postchange_data["permissions"] == [view_user.pk]
    assert rows[1].request_id == "req-m2m-00000002"

    with act(security):
        accounts.delete_role(role, actor=security)
    assert ObjectChange.objects.filter(
        content_type__model="role", object_id=str(role.pk), action=ObjectChange.Action.DELETE
    ).exists()


def test_user_role_assignment_is_recorded(demo_users):
    operator = demo_users["applicant_operator"]
    admin_role = Role.objects.get(code="applicant_admin")
    before = changes_for(operator).count()
    with act(demo_users["applicant_admin"]):
        accounts.assign_roles(operator, actor=demo_users["applicant_admin"], roles=[admin_role])
    rows = list(changes_for(operator))[before:]
    assert rows, "role assignment not recorded"
    assert any(admin_role.pk in (r.postchange_data or {}).get("groups", []) for r in rows)


def test_save_without_change_records_nothing(demo_users):
    admin = demo_users["platform_admin"]
    with act(admin):
        org = accounts.create_organization(actor=admin, data=org_data(5))
    count = changes_for(org).count()
    org = Organization.objects.get(pk=org.pk)
    org.save(update_fields=["name"])
    Role.objects.get(code="platform_admin").save(update_fields=["enabled"])
    assert changes_for(org).count() == count
    user = User.objects.get(pk=admin.pk)
    n = changes_for(user).count()
    user.save(update_fields=["status"])
    user.groups.set(list(user.groups.all()))  # same roles: no change
    assert changes_for(user).count() == n


def test_audit_models_themselves_are_not_tracked(db):
    from eguarantee.audit.changelog import tracked
    from eguarantee.audit.models import LoginLog, OperationLog

    assert not tracked(ObjectChange) and not tracked(OperationLog) and not tracked(LoginLog)
    assert tracked(Organization) and tracked(Role) and tracked(User)


def test_plain_save_touching_only_the_timestamp_records_nothing(demo_users):
    admin = demo_users["platform_admin"]
    with act(admin):
        org = accounts.create_organization(actor=admin, data=org_data(6))
    count = changes_for(org).count()
    Organization.objects.get(pk=org.pk).save()  # updated_at moves, nothing else
    role = Role.objects.get(code="platform_admin")
    role_count = changes_for(role).count()
    role.save()
    assert changes_for(org).count() == count
    assert changes_for(role).count() == role_count
