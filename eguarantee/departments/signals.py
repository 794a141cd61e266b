"""rules_changed: sent after the transaction that created, changed, enabled, disabled or deleted
a 归口 rule has committed — never for a change that was rolled back.

Receivers get keyword arguments:

    action   "created" | "updated" | "deleted"
    rule_id  the rule's id
    scopes   [(project_type, region_code), ...]: the scopes whose department may have changed
             (an edit that moves a rule to another type or region lists both)

A listener (projects) re-resolves the projects of those types whose region lies in those
regions, e.g. with `region_code__startswith=jurisdiction_prefix(region_code)`.

The signal follows the model's own post_save / post_delete, so every path that changes a
rule — the services, a department deleted with its rules, a shell — announces it.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

rules_changed = Signal()


def _send(action, rule_id, scopes):
    rules_changed.send(sender=_rule_model(), action=action, rule_id=rule_id, scopes=scopes)


def _rule_model():
    from .models import JurisdictionRule

    return JurisdictionRule


def _schedule(action, rule, scopes):
    unique = list(dict.fromkeys(scope for scope in scopes if scope and all(scope)))
    transaction.on_commit(partial(_send, action, rule.pk, unique))


@receiver(post_save, sender="departments.JurisdictionRule", dispatch_uid="departments_rule_saved")
def _rule_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # fixtures
        return
    current = (instance.project_type, instance.region_code)
    loaded = getattr(instance, "_loaded_scope", None)
    _schedule("created" if created else "updated", instance, [loaded, current])
    instance._loaded_scope = current


@receiver(post_delete, sender="departments.JurisdictionRule", dispatch_uid="departments_rule_deleted")
def _rule_deleted(sender, instance, **kwargs):
    _schedule("deleted", instance, [(instance.project_type, instance.region_code)])
