"""Object changes for every model, automatically (NetBox's change log, by signals).

pre_save reads the row as it is in the database, post_save/post_delete write an
ObjectChange with before and after. The signals fire inside the caller's transaction, so
the audit row commits or rolls back with the change itself.
"""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from eguarantee.core import context

from .models import ObjectChange

MASK = "********"
MASK_CHANGED = "********（已修改）"  # a secret that changed: the fact is recorded, never the value
SECRET_FIELDS = {"password", "code_hash", "secret", "token", "key"}
EXCLUDED = {
    ("audit", "objectchange"),
    ("audit", "operationlog"),
    ("audit", "loginlog"),
    ("sessions", "session"),
    ("contenttypes", "contenttype"),
    ("auth", "permission"),
    ("django_tasks_db", "dbtaskresult"),
    ("core", "workerheartbeat"),
    ("accounts", "passwordhistory"),
    # The SMS send log is a log itself, and its content holds verification codes, which the
    # auditor must not read (and which must not outlive their five minutes by 180 days).
    ("notifications", "smsmessage"),
}


def tracked(model):
    """Every model, except the logs themselves: models that are a trail of their own say so
    with `changelog_exempt = True` (a guarantee's timeline, the 查验 records)."""
    meta = model._meta
    if meta.abstract or model.__module__ == "__fake__":  # historical models inside migrations
        return False
    if getattr(model, "changelog_exempt", False):
        return False
    return meta.app_label != "migrations" and (meta.app_label, meta.model_name) not in EXCLUDED


def jsonable(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def serialize(instance, *, with_m2m=True):
    data = {}
    bookkeeping = getattr(instance, "BOOKKEEPING_FIELDS", ())
    for field in instance._meta.concrete_fields:
        if field.name in bookkeeping:
            continue
        if field.name in SECRET_FIELDS:
            data[field.name] = MASK
            continue
        data[field.attname] = jsonable(field.value_from_object(instance))
    if with_m2m and instance.pk is not None:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def record(instance, action, before, after):
    ctx = context.current()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    change = ObjectChange.objects.create(
        user=user,
        user_name=user.username if user else ctx.source,
        organization_id=getattr(user, "organization_id", None),
        ip=ctx.ip,
        request_id=ctx.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        prechange_data=before,
        postchange_data=after,
    )
    _remember(instance, change)
    return change


def _remember(instance, change):
    """Later m2m changes of this same instance in the same request amend `change` instead of
    adding rows (NetBox does the same): `role.permissions.set(...)` (a remove, then an add)
    or a create followed by its m2m values is one change, not several half-done states."""
    instance._audit_pending = (change.pk, change.request_id)


def _amend(instance, after):
    """Replace postchange_data of the row last written for this instance in the current
    request: the change log's own bookkeeping, the one write on an existing audit row.
    Returns False when there is none (or it was rolled back with its savepoint)."""
    pending = getattr(instance, "_audit_pending", None)
    if pending is None or pending[1] != context.current().request_id:
        return False
    # Bypasses the append-only guard on purpose (QuerySet.update of the base class).
    return models.QuerySet.update(ObjectChange.objects.filter(pk=pending[0]), postchange_data=after) == 1


def _auto_fields(model):
    """Fields the database layer touches on every save (auto_now): a change to those alone
    is not a change."""
    return {f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}


def _same(model, before, after):
    if before is None or after is None:
        return before is after
    ignored = _auto_fields(model)
    return {k: v for k, v in before.items() if k not in ignored} == {k: v for k, v in after.items() if k not in ignored}


def _secrets(instance):
    return {f.name: f.value_from_object(instance) for f in instance._meta.concrete_fields if f.name in SECRET_FIELDS}


def _pre_save(sender, instance, raw=False, **kwargs):
    instance._audit_secrets = {}
    if raw or not tracked(sender) or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    current = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = serialize(current) if current is not None else None
    instance._audit_secrets = _secrets(current) if current is not None else {}


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not tracked(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = serialize(instance)
    if before is not None:
        old = getattr(instance, "_audit_secrets", {})
        for name, value in _secrets(instance).items():
            if name in old and old[name] != value:
                after[name] = MASK_CHANGED
    if not created and _same(sender, before, after):
        return  # saved without a change (or only its auto_now timestamp): nothing to record
    record(instance, ObjectChange.Action.CREATE if created else ObjectChange.Action.UPDATE, before, after)


def _pre_delete(sender, instance, **kwargs):
    if tracked(sender):
        instance._audit_before = serialize(instance)


def _post_delete(sender, instance, **kwargs):
    if tracked(sender):
        record(instance, ObjectChange.Action.DELETE, getattr(instance, "_audit_before", None), None)


def _m2m_changed(sender, instance, action, reverse, **kwargs):
    if reverse or not tracked(type(instance)):
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._audit_m2m_before = serialize(instance)
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_audit_m2m_before", None)
        after = serialize(instance)
        if before != after and not _amend(instance, after):
            record(instance, ObjectChange.Action.UPDATE, before, after)


def connect():
    pre_save.connect(_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="audit_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="audit_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit_m2m_changed")
