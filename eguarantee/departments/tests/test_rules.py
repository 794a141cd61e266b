"""归口 rules: who may write them, what is refused (with the database unchanged), and the
rules_changed signal after commit."""

import pytest
from django.db import transaction

from eguarantee.accounts.models import Organization
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.departments import services
from eguarantee.departments.models import JurisdictionRule
from eguarantee.departments.signals import rules_changed
from eguarantee.projects.choices import ProjectType

from .helpers import department, rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(demo_users):
    return demo_users["platform_admin"]


@pytest.fixture
def city(demo_users):
    return demo_users["department_admin"].organization  # 厦门市建设局, 350200


def snapshot():
    return sorted(
        JurisdictionRule.objects.values_list("pk", "project_type", "region_code", "department_id", "enabled", "note")
    )


def data(department, region_code="350200", project_type=ProjectType.BUILDING, **extra):
    return {"project_type": project_type, "region_code": region_code, "department": department, **extra}


@pytest.fixture
def received():
    calls = []

    def listener(sender, signal, **kwargs):
        calls.append(kwargs)

    rules_changed.connect(listener)
    yield calls
    rules_changed.disconnect(listener)


def test_platform_admin_creates_a_rule(admin, city):
    created = services.create_rule(actor=admin, data=data(city, note="  厦门房建  "))
    assert snapshot() == [(created.pk, "building", "350200", city.pk, True, "厦门房建")]


def test_a_second_enabled_rule_for_the_same_scope_is_a_conflict(admin, city):
    existing = services.create_rule(actor=admin, data=data(city))
    other = department("厦门市交通运输局", "350200")
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        services.create_rule(actor=admin, data=data(other))
    assert exc.value.code == "rule_conflict"
    assert f"编号 {existing.pk}" in exc.value.message and "厦门市建设局" in exc.value.message
    assert exc.value.details == {"existing_rule": existing.pk}
    assert snapshot() == before


def test_an_exact_duplicate_is_a_conflict_even_when_disabled(admin, city):
    existing = services.create_rule(actor=admin, data=data(city, enabled=False))
    before = snapshot()
    for enabled in (True, False):
        with pytest.raises(Conflict) as exc:
            services.create_rule(actor=admin, data=data(city, enabled=enabled))
        assert exc.value.code == "rule_conflict" and f"编号 {existing.pk}" in exc.value.message
    assert snapshot() == before


def test_a_disabled_alternative_may_wait_but_not_be_enabled_alongside(admin, city):
    active = services.create_rule(actor=admin, data=data(city))
    other = department("厦门市交通运输局", "350200")
    waiting = services.create_rule(actor=admin, data=data(other, enabled=False))
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        services.set_rule_enabled(waiting, actor=admin, enabled=True)
    assert exc.value.code == "rule_conflict" and f"编号 {active.pk}" in exc.value.message
    assert snapshot() == before
    services.set_rule_enabled(active, actor=admin, enabled=False)
    services.set_rule_enabled(waiting, actor=admin, enabled=True)
    waiting.refresh_from_db()
    assert waiting.enabled


def test_moving_a_rule_onto_an_enabled_scope_is_a_conflict(admin, city):
    services.create_rule(actor=admin, data=data(city, "350203"))
    moving = services.create_rule(actor=admin, data=data(city, "350206"))
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        services.update_rule(moving, actor=admin, data={"region_code": "350203"})
    assert exc.value.code == "rule_conflict"
    assert snapshot() == before


def test_the_department_must_cover_the_region(admin, city):
    """A city department cannot be in charge of another city's district, nor of its province."""
    before = snapshot()
    for region in ("350102", "350000", "110105"):
        with pytest.raises(ServiceError) as exc:
            services.create_rule(actor=admin, data=data(city, region))
        assert exc.value.code == "region_outside_department", region
        assert "厦门市建设局" in exc.value.message
    province = department("福建省住房和城乡建设厅", "350000")
    assert services.create_rule(actor=admin, data=data(province, "350102")).department == province
    assert len(snapshot()) == len(before) + 1


@pytest.mark.parametrize(
    ("region", "code"),
    [
        ("", "invalid_region_code"),
        ("35020", "invalid_region_code"),
        ("abcdef", "invalid_region_code"),
        ("999999", "unknown_region_code"),
        (None, "invalid_region_code"),
        ("350202", "unknown_region_code"),
    ],
)
def test_invalid_region_codes_are_refused(admin, city, region, code):
    with pytest.raises(ServiceError) as exc:
        services.create_rule(actor=admin, data=data(city, region))
    assert exc.value.code == code and exc.value.field == "region_code"
    assert JurisdictionRule.objects.count() == 0


def test_invalid_project_type_is_refused(admin, city):
    with pytest.raises(ServiceError) as exc:
        services.create_rule(actor=admin, data=data(city, project_type="spaceport"))
    assert exc.value.code == "invalid_project_type"
    assert JurisdictionRule.objects.count() == 0


def test_only_department_organizations_may_be_in_charge(admin, demo_users):
    applicant = demo_users["applicant_admin"].organization
    with pytest.raises(ServiceError) as exc:
        services.create_rule(actor=admin, data=data(applicant, "350203"))
    assert exc.value.code == "not_department" and applicant.name in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.create_rule(actor=admin, data=data(None))
    assert exc.value.code == "department_required"
    assert JurisdictionRule.objects.count() == 0


@pytest.mark.parametrize("role", ["department_admin", "department_inspector", "platform_security", "applicant_admin"])
def test_only_the_platform_admin_writes_rules(demo_users, admin, city, role):
    actor = demo_users[role]
    existing = services.create_rule(actor=admin, data=data(city))
    before = snapshot()
    for attempt in (
        lambda: services.create_rule(actor=actor, data=data(city, "350203")),
        lambda: services.update_rule(existing, actor=actor, data={"note": "改"}),
        lambda: services.set_rule_enabled(existing, actor=actor, enabled=False),
        lambda: services.delete_rule(existing, actor=actor),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert snapshot() == before


def test_enable_and_disable_twice_is_refused(admin, city):
    existing = services.create_rule(actor=admin, data=data(city))
    with pytest.raises(Conflict) as exc:
        services.set_rule_enabled(existing, actor=admin, enabled=True)
    assert exc.value.code == "invalid_state"


def test_two_enabled_rules_cannot_reach_the_database(city):
    """The partial unique index backs the service's check against simultaneous requests."""
    from django.db import IntegrityError

    rule(city, "350200")
    with pytest.raises(IntegrityError), transaction.atomic():
        rule(department("厦门市交通运输局", "350200"), "350200")
    assert JurisdictionRule.objects.count() == 1


# ---------------------------------------------------------------- rules_changed


def test_rules_changed_is_sent_only_after_commit(admin, city, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.create_rule(actor=admin, data=data(city))
    assert received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert received == [{"action": "created", "rule_id": created.pk, "scopes": [("building", "350200")]}]


def test_every_kind_of_change_is_announced(admin, city, received, django_capture_on_commit_callbacks):
    existing = rule(city, "350200")
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_rule(existing, actor=admin, data={"region_code": "350203", "project_type": "municipal"})
    with django_capture_on_commit_callbacks(execute=True):
        services.set_rule_enabled(existing, actor=admin, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_rule_enabled(existing, actor=admin, enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_rule(existing, actor=admin)
    assert [(r["action"], r["scopes"]) for r in received] == [
        ("updated", [("building", "350200"), ("municipal", "350203")]),
        ("updated", [("municipal", "350203")]),
        ("updated", [("municipal", "350203")]),
        ("deleted", [("municipal", "350203")]),
    ]


def test_refused_or_rolled_back_changes_send_nothing(admin, city, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ServiceError):
            services.create_rule(actor=admin, data=data(city, "350102"))
        try:
            with transaction.atomic():
                services.create_rule(actor=admin, data=data(city))
                raise RuntimeError("later step failed")
        except RuntimeError:
            pass
    assert callbacks == [] and received == []
    assert JurisdictionRule.objects.count() == 0


def test_a_department_deleted_with_its_rules_announces_them(city, received, django_capture_on_commit_callbacks):
    doomed = department("厦门市某临时指挥部", "350200")
    gone = rule(doomed, "350206")
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Organization.objects.filter(pk=doomed.pk).delete()
    assert received == [{"action": "deleted", "rule_id": gone.pk, "scopes": [("building", "350206")]}]
