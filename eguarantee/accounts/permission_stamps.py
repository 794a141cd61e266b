"""Keeps User.permissions_stamp moving whenever what a user may do changes, so that the
backend can cache each user's permission set per process (RoleBackend) and still stop a
disabled role, a removed permission or a withdrawn role on the user's next request.

Signals rather than calls in services: roles, groups and permissions are also changed by
Django's own machinery (post_migrate, m2m helpers), and a missed bump would be a hole.
"""

from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_save, pre_delete

from .models import Role, User


def bump(users):
    users.update(permissions_stamp=F("permissions_stamp") + 1)


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups.… or user.user_permissions.…
        bump(User.objects.filter(pk=instance.pk))
    elif isinstance(instance, Group):  # group.user_set.…
        bump(User.objects.filter(pk__in=pk_set) if pk_set else User.objects.filter(groups=instance))


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # permission.group_set.…: every group touched
        groups = Group.objects.filter(pk__in=pk_set) if pk_set else instance.group_set.all()
        bump(User.objects.filter(groups__in=groups).distinct())
    else:
        bump(User.objects.filter(groups=instance))


def _role_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:  # enabled/disabled, organization type…
        bump(User.objects.filter(groups=instance))


def _group_deleted(sender, instance, **kwargs):
    bump(User.objects.filter(groups=instance))


def connect():
    m2m_changed.connect(_membership_changed, sender=User.groups.through, dispatch_uid="stamp_groups")
    m2m_changed.connect(_membership_changed, sender=User.user_permissions.through, dispatch_uid="stamp_user_perms")
    m2m_changed.connect(_group_permissions_changed, sender=Group.permissions.through, dispatch_uid="stamp_group_perms")
    post_save.connect(_role_saved, sender=Role, dispatch_uid="stamp_role")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="stamp_group_delete")
    pre_delete.connect(_group_deleted, sender=Role, dispatch_uid="stamp_role_delete")
