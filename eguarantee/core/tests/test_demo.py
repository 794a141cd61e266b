"""`manage.py seed_demo` (what `make run` loads): every module's demo records, twice over
without duplicates."""

import io

import pytest
from django.core.management import call_command

from eguarantee.catalog.models import GuaranteeTemplate
from eguarantee.departments.models import JurisdictionRule
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee
from eguarantee.guarantors.models import Clause, Offer
from eguarantee.projects.models import Project


@pytest.mark.django_db
def test_seed_demo_loads_every_module_once(settings):
    settings.DEBUG = True
    for _ in range(2):
        call_command("seed_demo", stdout=io.StringIO())
    project = Project.objects.get()
    assert project.department is not None and project.sections.count() == 2
    assert Offer.objects.exists() and Clause.objects.exists() and GuaranteeTemplate.objects.exists()
    assert JurisdictionRule.objects.exists()
    statuses = sorted(Guarantee.objects.values_list("status", flat=True))
    assert statuses == sorted([GuaranteeStatus.ISSUED, GuaranteeStatus.SUBMITTED])
    issued = Guarantee.objects.get(status=GuaranteeStatus.ISSUED)
    assert issued.document.read().startswith(b"%PDF") and len(issued.document_sm3) == 64
    # Everything the demo made went through the services, so the evidence log holds it all,
    # and the two demo witnesses are registered with the keys `make run` starts them with.
    from eguarantee.evidence import demo, services
    from eguarantee.evidence.checker import check
    from eguarantee.evidence.models import Witness

    services.tick()
    report = check()
    assert report.ok, report.problems
    assert set(Witness.objects.values_list("name", flat=True)) == set(demo.DEMO_WITNESSES)
    assert all(demo.key_file(name).exists() for name in demo.DEMO_WITNESSES)
