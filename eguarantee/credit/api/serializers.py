from rest_framework import serializers

from eguarantee.accounts.models import Organization

from ..choices import Polarity, RecordKind
from ..models import CreditRecord


class CreditRecordSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    polarity_display = serializers.CharField(source="get_polarity_display", read_only=True)
    guarantee_number = serializers.CharField(source="guarantee.number", read_only=True, allow_null=True)
    order_number = serializers.CharField(source="guarantee.order_number", read_only=True)

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_display",
            "polarity",
            "polarity_display",
            "guarantee",
            "guarantee_number",
            "order_number",
            "source_event",
            "occurred_at",
            "details",
            "created_at",
        ]
        read_only_fields = fields


def _counts():
    fields = {
        f"{kind}_count": serializers.IntegerField(read_only=True, help_text=label) for kind, label in RecordKind.choices
    }
    fields.update(
        {f"{p}_count": serializers.IntegerField(read_only=True, help_text=label) for p, label in Polarity.choices}
    )
    fields["total_count"] = serializers.IntegerField(read_only=True, help_text="记录总数")
    return fields


class _OrganizationMeta:
    model = Organization
    fields = ["id", "name", "credit_code", "org_type", "total_count"] + [
        f"{v}_count" for v in (*RecordKind.values, *Polarity.values)
    ]
    read_only_fields = fields


# Built from the kinds, so a kind added to choices.py is counted here without a second list.
CreditOrganizationSerializer = type(
    "CreditOrganizationSerializer",
    (serializers.ModelSerializer,),
    {
        "__module__": __name__,
        "__doc__": "An enterprise with its records counted per kind and per polarity (those the caller may see).",
        "Meta": _OrganizationMeta,
        **_counts(),
    },
)
