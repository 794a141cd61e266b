"""Permission-matrix lines for guarantee types (platform administrator maintains, everyone
reads) and templates (platform and guarantors' administrators)."""

from eguarantee.catalog import placeholders
from eguarantee.catalog.choices import TemplateStatus, ValidityRule
from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
from eguarantee.core.matrix import ADMIN, EVERYONE, Route, pk

NAMESPACES = {"catalog"}
TEMPLATE_EDITORS = ADMIN | {"guarantor_admin"}
TEMPLATE_READERS = TEMPLATE_EDITORS | {"guarantor_reviewer"}


def custom_type(o):
    n = GuaranteeType.objects.count() + 1
    return GuaranteeType.objects.create(
        code=f"custom{n}", name=f"自定义保函{n}", validity_rule=ValidityRule.CONTRACT, sort_order=900
    )


def template(o, status=TemplateStatus.DRAFT):
    """A template of the guarantor's (every role that may read templates sees it)."""
    guarantor = o.org_of("guarantor_admin")
    version = GuaranteeTemplate.objects.filter(guarantor=guarantor).count() + 1
    return GuaranteeTemplate.objects.create(
        guarantee_type=GuaranteeType.objects.get(code="bid"),
        guarantor=guarantor,
        name="矩阵模板",
        version=version,
        status=status,
        body=placeholders.SAMPLE_BODY,
    )


def published(o):
    return template(o, TemplateStatus.PUBLISHED)


def bid(o):
    return {"pk": GuaranteeType.objects.get(code="bid").pk}


ROUTES = [
    Route("catalog:type_list", EVERYONE),
    Route("catalog:type_add", ADMIN),
    Route("catalog:type_detail", EVERYONE, bid),
    Route("catalog:type_edit", ADMIN, bid),
    Route("catalog:type_delete", ADMIN, pk(custom_type)),
    Route("catalog:type_disable", ADMIN, pk(custom_type)),
    Route("catalog:type_enable", ADMIN, pk(custom_type)),
    Route("catalog:template_list", TEMPLATE_READERS),
    Route("catalog:template_add", TEMPLATE_EDITORS),
    Route("catalog:template_detail", TEMPLATE_READERS, pk(template)),
    Route("catalog:template_edit", TEMPLATE_EDITORS, pk(template)),
    Route("catalog:template_delete", TEMPLATE_EDITORS, pk(template)),
    Route("catalog:template_publish", TEMPLATE_EDITORS, pk(template)),
    Route("catalog:template_retire", TEMPLATE_EDITORS, pk(published)),
    Route("catalog:template_new_version", TEMPLATE_EDITORS, pk(published)),
    Route("catalog:template_preview", TEMPLATE_READERS, pk(template)),
    Route("api:guaranteetype-list", EVERYONE),
    Route("api:guaranteetype-detail", EVERYONE, bid),
    Route("api:guaranteetype-disable", ADMIN, pk(custom_type), method="post"),
    Route("api:guaranteetype-enable", ADMIN, pk(custom_type), method="post"),
    Route("api:guaranteetemplate-list", TEMPLATE_READERS),
    Route("api:guaranteetemplate-detail", TEMPLATE_READERS, pk(template)),
    Route("api:guaranteetemplate-publish", TEMPLATE_EDITORS, pk(template), method="post"),
    Route("api:guaranteetemplate-retire", TEMPLATE_EDITORS, pk(published), method="post"),
    Route("api:guaranteetemplate-new-version", TEMPLATE_EDITORS, pk(published), method="post", ok=201),
    Route("api:guaranteetemplate-preview", TEMPLATE_READERS, pk(template)),
    Route("api:guaranteetemplate-placeholders", TEMPLATE_READERS),
]

SCOPE = []
