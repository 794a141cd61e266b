"""Clauses (6.2.3): drafts, publishing, new versions instead of edits, no overlapping
periods, deletion rules, and the version in force on a day."""

from datetime import date, timedelta

import pytest

from eguarantee.core.exceptions import ServiceError
from eguarantee.guarantors import selectors, services
from eguarantee.guarantors.models import Clause

from .helpers import clause_for, gtype, second_guarantor, today

pytestmark = pytest.mark.django_db


def refused(code, call, *args, **kwargs):
    with pytest.raises(ServiceError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def new_clause(actor, guarantor, **data):
    body = {"title": "投标保函条款", "body": "第一条 见索即付。", "effective_from": today()}
    body.update(data)
    return services.create_clause(actor=actor, guarantor=guarantor, guarantee_type=gtype("bid"), data=body)


def snapshot():
    return sorted(Clause.objects.values_list("pk", "version", "status", "effective_from", "effective_to", "title"))


def test_draft_then_publish_then_in_force(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    clause = new_clause(admin, guarantor, effective_from=today() - timedelta(days=10))
    assert clause.status == "draft" and clause.version == 1
    assert selectors.clause_in_force(guarantor, "bid") is None  # drafts are never in force
    services.publish_clause(clause, actor=admin)
    clause.refresh_from_db()
    assert clause.status == "published" and clause.published_by == admin
    assert selectors.clause_in_force(guarantor, gtype("bid")) == clause
    assert selectors.clause_in_force(guarantor, "bid", today() - timedelta(days=11)) is None
    refused("clause_not_draft", services.publish_clause, clause, actor=admin)


def test_editing_published_clause_creates_new_version(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    v1 = services.publish_clause(
        new_clause(admin, guarantor, effective_from=today() - timedelta(days=100)), actor=admin
    )
    start = today() + timedelta(days=7)
    v2 = services.update_clause(v1, actor=admin, data={"body": "第一条 修订后的条款。", "effective_from": start})
    v1.refresh_from_db()
    assert v2.pk != v1.pk and v2.version == 2 and v2.status == "published" and v2.supersedes == v1
    assert v1.body == "第一条 见索即付。"  # the old text is untouched
    assert v1.effective_to == start - timedelta(days=1)
    # A guarantee issued today stays under v1; one issued after the change under v2.
    assert selectors.clause_in_force(guarantor, "bid", today()) == v1
    assert selectors.clause_in_force(guarantor, "bid", start) == v2
    assert selectors.clause_in_force(guarantor, "bid", start - timedelta(days=1)) == v1


def test_editing_a_draft_changes_it_in_place(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    draft = new_clause(admin, guarantor)
    edited = services.update_clause(draft, actor=admin, data={"title": "新标题"})
    assert edited.pk == draft.pk and edited.title == "新标题" and Clause.objects.count() == 1


def test_overlapping_periods_are_refused(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    bounded = clause_for(
        guarantor, status="published", effective_from=date(2030, 1, 1), effective_to=date(2030, 12, 31)
    )
    before = snapshot()
    refused("clause_overlap", new_clause, admin, guarantor, effective_from=date(2030, 6, 1))
    refused(
        "clause_overlap",
        new_clause,
        admin,
        guarantor,
        effective_from=date(2029, 6, 1),
        effective_to=date(2030, 1, 1),
    )
    assert snapshot() == before
    # A draft saved before the published version existed is refused when it is published.
    draft = clause_for(guarantor, effective_from=date(2030, 3, 1), effective_to=date(2030, 3, 31))
    before = snapshot()
    refused("clause_overlap", services.publish_clause, draft, actor=admin)
    assert snapshot() == before
    # Adjacent periods are fine; another type or another guarantor never conflicts.
    new_clause(admin, guarantor, effective_from=date(2031, 1, 1))
    services.create_clause(
        actor=admin,
        guarantor=guarantor,
        guarantee_type=gtype("performance"),
        data={"title": "履约", "body": "正文", "effective_from": date(2030, 6, 1)},
    )
    other = second_guarantor()
    services.create_clause(
        actor=demo_users["platform_admin"],
        guarantor=other,
        guarantee_type=gtype("bid"),
        data={"title": "他方", "body": "正文", "effective_from": date(2030, 6, 1)},
    )
    assert bounded.effective_to == date(2030, 12, 31)


def test_publishing_after_an_open_ended_version_closes_it(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    current = clause_for(guarantor, status="published", effective_from=today() - timedelta(days=30))
    start = today() + timedelta(days=10)
    nxt = services.publish_clause(new_clause(admin, guarantor, effective_from=start), actor=admin)
    current.refresh_from_db()
    assert current.effective_to == start - timedelta(days=1) and nxt.supersedes == current


def test_new_version_may_not_rewrite_the_past(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    current = clause_for(guarantor, status="published", effective_from=today() - timedelta(days=30))
    before = snapshot()
    refused(
        "clause_backdated",
        services.update_clause,
        current,
        actor=admin,
        data={"body": "倒签", "effective_from": today() - timedelta(days=5)},
    )
    refused(
        "clause_overlap",
        services.update_clause,
        current,
        actor=admin,
        data={"body": "更早", "effective_from": today() - timedelta(days=40)},
    )
    refused(
        "invalid_effective_period",
        services.update_clause,
        current,
        actor=admin,
        data={"effective_from": today() + timedelta(days=5), "effective_to": today()},
    )
    assert snapshot() == before


def test_delete_rules(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    draft = new_clause(admin, guarantor, effective_from=date(2035, 1, 1))
    services.delete_clause(draft, actor=admin)
    assert not Clause.objects.filter(pk=draft.pk).exists()
    in_force = clause_for(guarantor, status="published", effective_from=today() - timedelta(days=30))
    error = refused("clause_in_use", services.delete_clause, in_force, actor=admin)
    assert "不能删除" in error.message
    # A version that was in force once stays too.
    past = clause_for(
        guarantor,
        code="performance",
        status="published",
        effective_from=today() - timedelta(days=300),
        effective_to=today() - timedelta(days=200),
    )
    refused("clause_in_use", services.delete_clause, past, actor=admin)
    assert Clause.objects.filter(pk__in=[in_force.pk, past.pk]).count() == 2


def test_withdrawing_a_future_version_reopens_the_one_it_took_over_from(demo_users, guarantor):
    admin = demo_users["guarantor_admin"]
    current = clause_for(guarantor, status="published", effective_from=today() - timedelta(days=30))
    future = services.update_clause(current, actor=admin, data={"effective_from": today() + timedelta(days=20)})
    current.refresh_from_db()
    assert current.effective_to is not None
    services.delete_clause(future, actor=admin)
    current.refresh_from_db()
    assert current.effective_to is None
    assert selectors.clause_in_force(guarantor, "bid", today() + timedelta(days=400)) == current


def test_reviewer_and_other_guarantor_may_not_touch_clauses(demo_users, guarantor):
    mine = clause_for(guarantor)
    refused("permission_denied", services.publish_clause, mine, actor=demo_users["guarantor_reviewer"])
    other = second_guarantor()
    theirs = clause_for(other)
    refused(
        "permission_denied", services.update_clause, theirs, actor=demo_users["guarantor_admin"], data={"title": "x"}
    )
    refused("permission_denied", services.delete_clause, theirs, actor=demo_users["guarantor_admin"])
    refused("permission_denied", new_clause, demo_users["guarantor_admin"], other)
    theirs.refresh_from_db()
    assert theirs.title == "条款" and theirs.status == "draft"
