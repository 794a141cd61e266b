"""What goes into the log, and how a database row becomes leaf data.

Each app lists what it records in `<app>/evidence.py`:

    RECORDERS = [Recorder("guarantee.event", "guarantees.GuaranteeEvent", ("id", "guarantee_id", …))]

Leaf data is canonical JSON (keys sorted, no spaces, UTF-8) of the listed values read back
from the database, so appending and re-verifying produce the same bytes on SQLite and
PostgreSQL alike: decimals with their field's places, times in UTC to the microsecond.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.db import models

from eguarantee.core.apphooks import app_modules


@dataclass(frozen=True)
class Recorder:
    kind: str  # "guarantee.event": the leaf's "kind"
    model_label: str  # "guarantees.GuaranteeEvent"
    fields: tuple  # values() names; "__" lookups across relations are allowed
    label: str  # how a report names one: "保函事件"
    subject: str = ""  # the field holding the guarantee's id, for the guarantee's proofs
    name_field: str = ""  # a field that names the record better than its id (保函编号)
    mutable: bool = False  # a record that changes: only its newest leaf must match the row

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @cached_property
    def _converters(self):
        return tuple(_converter(self.model, name) for name in self.fields)

    def rows(self, queryset=None):
        """(pk, data) for the rows of `queryset` (default: all), in primary-key order."""
        qs = self.model._base_manager.all() if queryset is None else queryset
        for row in qs.order_by("pk").values_list("pk", *self.fields).iterator(chunk_size=5000):
            yield row[0], self.data_of(row[0], row[1:])

    def values_of(self, obj):
        """The listed fields of a saved instance, as values() would read them back (the
        converters make the two agree: decimal places, UTC times)."""
        out = []
        for name in self.fields:
            value = obj
            for part in name.split("__"):
                value = getattr(value, part) if value is not None else None
            out.append(value)
        return out

    def data_of(self, pk, values):
        data = {"kind": self.kind, "id": pk}
        for name, convert, value in zip(self.fields, self._converters, values, strict=True):
            data[name] = None if value is None else convert(value)
        return canonical(data)

    def subject_in(self, pk, values):
        if not self.subject:
            return None
        return pk if self.subject == "id" else values[self.fields.index(self.subject)]

    def describe(self, object_id, data_text=None):
        name = ""
        if self.name_field and data_text:
            try:
                name = json.loads(data_text).get(self.name_field) or ""
            except ValueError:
                name = ""
        return f"{self.label} #{object_id}" + (f"（{name}）" if name else "")


def canonical(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _utc(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    return value.isoformat()


def _identity(value):
    return value


def _converter(model, name):
    target = model
    parts = name.split("__")
    for part in parts[:-1]:
        target = target._meta.get_field(part).related_model
    last = parts[-1]
    model_field = target._meta.pk if last == "pk" else _field(target, last)
    if isinstance(model_field, models.DecimalField):
        quantum = Decimal(1).scaleb(-model_field.decimal_places)
        return lambda value: format(Decimal(value).quantize(quantum), "f")
    if isinstance(model_field, (models.DateTimeField, models.DateField)):
        return _utc
    if isinstance(model_field, models.BinaryField):
        return lambda value: bytes(value).hex()
    if isinstance(model_field, models.FileField):
        return str
    return _identity


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        # "guarantee_id": the attname of a foreign key
        for candidate in model._meta.concrete_fields:
            if candidate.attname == name:
                return candidate
        raise


# The evidence app's own: where each audit chain stood (audit_chain.py).
BUILTIN = [
    Recorder(
        "audit.checkpoint",
        "evidence.AuditCheckpoint",
        ("table", "seq", "chain_hash", "created_at"),
        label="审计链检查点",
    )
]


def recorders():
    """{kind: Recorder} over every app's evidence.py, in INSTALLED_APPS order."""
    found = {}
    modules = app_modules("evidence", exclude=("eguarantee.evidence",))
    for recorder in [*BUILTIN, *(r for module in modules for r in getattr(module, "RECORDERS", ()))]:
        if recorder.kind in found:
            raise ValueError(f"evidence kind {recorder.kind} is declared twice")
        found[recorder.kind] = recorder
    return found


_registry = {}


def registry():
    if not _registry:
        _registry.update(recorders())
    return _registry


def recorder(kind):
    return registry()[kind]
