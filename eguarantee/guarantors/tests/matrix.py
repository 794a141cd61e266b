"""Permission-matrix lines for 保证人管理: institutions, qualifications, offers, clauses
(pages and API). Records are made on the demo guarantor, so its own users, the platform and
the public viewers (applicants, beneficiaries, departments) each meet them in their scope."""

from eguarantee.core.matrix import (
    ADMIN,
    APPLICANTS,
    AUDITOR,
    BENEFICIARIES,
    DEPARTMENTS,
    GUARANTORS,
    Route,
    pk,
)
from eguarantee.guarantors.choices import ClauseStatus

from .helpers import clause_for, offer_for, profile_for, qualification_for, second_guarantor

NAMESPACES = {"guarantors"}

MANAGE = ADMIN | {"guarantor_admin"}
VIEW_PRIVATE = ADMIN | AUDITOR | GUARANTORS  # qualifications and their certificates
VIEW_PUBLIC = VIEW_PRIVATE | APPLICANTS | BENEFICIARIES | DEPARTMENTS


def guarantor(o):
    return o.org_of("guarantor_admin")


def profile(o):
    return profile_for(guarantor(o), short_code="HXDB")


def qualification(o):
    profile(o)
    return qualification_for(guarantor(o))


def offer(o):
    profile(o)
    return offer_for(guarantor(o))


def draft_clause(o):
    profile(o)
    return clause_for(guarantor(o))


def published_clause(o):
    profile(o)
    return clause_for(guarantor(o), status=ClauseStatus.PUBLISHED)


ROUTES = [
    # ---- institution (6.2.1)
    Route("guarantors:profile_list", VIEW_PUBLIC),
    Route("guarantors:profile_add", MANAGE),
    Route("guarantors:profile_detail", VIEW_PUBLIC, pk(profile)),
    Route("guarantors:profile_edit", MANAGE, pk(profile)),
    Route("guarantors:profile_delete", ADMIN, pk(profile)),
    # ---- qualifications (6.2.1): never shown to the public
    Route("guarantors:qualification_list", VIEW_PRIVATE),
    Route("guarantors:qualification_add", MANAGE),
    Route("guarantors:qualification_detail", VIEW_PRIVATE, pk(qualification)),
    Route("guarantors:qualification_edit", MANAGE, pk(qualification)),
    Route("guarantors:qualification_delete", MANAGE, pk(qualification)),
    Route("guarantors:qualification_certificate", VIEW_PRIVATE, pk(qualification)),
    # ---- business information (6.2.2)
    Route("guarantors:offer_list", VIEW_PUBLIC),
    Route("guarantors:offer_add", MANAGE),
    Route("guarantors:offer_detail", VIEW_PUBLIC, pk(offer)),
    Route("guarantors:offer_edit", MANAGE, pk(offer)),
    Route("guarantors:offer_delete", MANAGE, pk(offer)),
    # ---- clauses (6.2.3)
    Route("guarantors:clause_list", VIEW_PUBLIC),
    Route("guarantors:clause_add", MANAGE),
    Route("guarantors:clause_detail", VIEW_PUBLIC, pk(published_clause)),
    Route("guarantors:clause_edit", MANAGE, pk(draft_clause)),
    Route("guarantors:clause_publish", MANAGE, pk(draft_clause)),
    Route("guarantors:clause_delete", MANAGE, pk(draft_clause)),
    # ---- API
    Route("api:guarantor-list", VIEW_PUBLIC),
    Route("api:guarantor-detail", VIEW_PUBLIC, pk(profile)),
    Route("api:guarantor-selectable", VIEW_PUBLIC, data={"guarantee_type": "bid", "region_code": "350203"}),
    Route("api:guarantor-qualification-list", VIEW_PRIVATE),
    Route("api:guarantor-qualification-detail", VIEW_PRIVATE, pk(qualification)),
    Route("api:guarantor-offer-list", VIEW_PUBLIC),
    Route("api:guarantor-offer-detail", VIEW_PUBLIC, pk(offer)),
    Route("api:guarantor-offer-quote", VIEW_PUBLIC, pk(offer), data={"amount": "100000"}),
    Route("api:guarantor-clause-list", VIEW_PUBLIC),
    Route("api:guarantor-clause-detail", VIEW_PUBLIC, pk(published_clause)),
    Route("api:guarantor-clause-publish", MANAGE, pk(draft_clause), method="post"),
]


def _other_profile(users):
    return second_guarantor().guarantor_profile


def _other_qualification(users):
    return qualification_for(second_guarantor())


def _other_offer(users):
    return offer_for(second_guarantor())


def _other_clause(users):
    return clause_for(second_guarantor())


def _demo_draft_clause(users):
    org = users["guarantor_admin"].organization
    profile_for(org, short_code="HXDB")
    return clause_for(org)


# A guarantor sees and keeps only its own records: another guarantor's answers 403. The
# public sees enabled institutions and published clauses, never drafts.
SCOPE = [
    ("guarantor_admin", "guarantors:profile_detail", _other_profile, 403),
    ("guarantor_admin", "guarantors:profile_edit", _other_profile, 403),
    ("guarantor_reviewer", "guarantors:qualification_detail", _other_qualification, 403),
    ("guarantor_admin", "guarantors:qualification_edit", _other_qualification, 403),
    ("guarantor_admin", "guarantors:qualification_certificate", _other_qualification, 403),
    ("guarantor_admin", "guarantors:offer_edit", _other_offer, 403),
    ("guarantor_admin", "guarantors:clause_delete", _other_clause, 403),
    ("guarantor_admin", "api:guarantor-qualification-detail", _other_qualification, 403),
    ("guarantor_admin", "api:guarantor-offer-detail", _other_offer, 403),
    ("applicant_operator", "guarantors:clause_detail", _demo_draft_clause, 403),
    ("applicant_admin", "guarantors:profile_detail", _other_profile, 200),
    ("applicant_admin", "api:guarantor-offer-detail", _other_offer, 200),
    ("platform_admin", "guarantors:qualification_detail", _other_qualification, 200),
]
