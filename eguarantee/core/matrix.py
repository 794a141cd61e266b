"""The permission matrix's vocabulary (test support, like testing.py).

Each app lists its routes in `<app>/tests/matrix.py`:

    NAMESPACES = {"catalog"}            # URL namespaces whose every route needs a line
    PUBLIC = {"portal:home"}            # routes anyone may open (no line)
    ROUTES = [Route("catalog:type_list", VIEW_TYPES), ...]
    SCOPE = [(role, route name, target maker, expected status), ...]   # optional

core/tests/test_permission_matrix.py collects them and runs every route against every role.
A route's kwargs maker receives an `Objects` (the acting role's user and organization, and
every demo user) and returns the URL kwargs; makers that create records create them for the
role under test, so each role's run starts from the same demo data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from eguarantee.accounts.roles import DEFAULT_ROLES

ALL_ROLES = [code for code, *_ in DEFAULT_ROLES]
EVERYONE = frozenset(ALL_ROLES)
ORG_ADMINS = frozenset({"applicant_admin", "guarantor_admin", "beneficiary_admin", "department_admin"})
ORG_OPERATORS = frozenset({"applicant_operator", "guarantor_reviewer", "beneficiary_operator", "department_inspector"})
ADMIN = frozenset({"platform_admin"})
SECURITY = frozenset({"platform_security"})
AUDITOR = frozenset({"platform_auditor"})
APPLICANTS = frozenset({"applicant_admin", "applicant_operator"})
GUARANTORS = frozenset({"guarantor_admin", "guarantor_reviewer"})
BENEFICIARIES = frozenset({"beneficiary_admin", "beneficiary_operator"})
DEPARTMENTS = frozenset({"department_admin", "department_inspector"})

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Objects:
    """What a route's kwargs are built from, seen from the acting role."""

    def __init__(self, users, role):
        self.users = users
        self.role = role
        self.actor = users[role]
        self.org = self.actor.organization

    def org_of(self, role):
        return self.users[role].organization


def pk(maker: Callable) -> Callable:
    """Route kwargs {"pk": ...} from a maker that returns a model instance."""
    return lambda o: {"pk": maker(o).pk}


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset
    kwargs: Callable | None = None  # Objects → url kwargs
    method: str = "get"
    data: dict | Callable = field(default_factory=dict)  # or Objects → data
    ok: int = 200  # status an allowed role gets
    anonymous_to: str = "accounts:login"  # where an anonymous page visit is sent

    @property
    def is_api(self):
        return self.name.startswith("api:")

    def payload(self, objects):
        return self.data(objects) if callable(self.data) else self.data

    def __str__(self):
        return f"{self.method.upper()} {self.name}"
