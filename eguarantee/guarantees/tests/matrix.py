"""Permission-matrix lines for 查验 (6.3.3): department staff check; the platform's
administrator and auditor read the records."""

from eguarantee.core.matrix import ADMIN, AUDITOR, DEPARTMENTS, Route, pk
from eguarantee.guarantees.choices import InspectionResult
from eguarantee.guarantees.models import Inspection

NAMESPACES = {"guarantees"}
READERS = DEPARTMENTS | ADMIN | AUDITOR


def inspection(o):
    """A record of the acting role's own organization (records are read per organization)."""
    return Inspection.objects.create(
        inspector=o.actor, organization=o.org, query={"number": "X"}, result=InspectionResult.NOT_FOUND
    )


ROUTES = [
    Route("guarantees:inspect", DEPARTMENTS),
    Route("guarantees:inspection_list", READERS),
    Route("guarantees:inspection_detail", READERS, pk(inspection)),
    Route("api:inspection-list", READERS),
    Route("api:inspection-detail", READERS, pk(inspection)),
]
