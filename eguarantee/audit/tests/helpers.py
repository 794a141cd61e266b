from django.contrib.contenttypes.models import ContentType

from eguarantee.accounts import demo
from eguarantee.audit.models import ObjectChange


def changes_for(obj):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id")


def org_data(serial, **extra):
    return {
        "name": f"测试单位{serial}",
        "credit_code": demo.credit_code("91350206", 700 + serial),
        "org_type": "department",
        "region_code": "350206",
        **extra,
    }
