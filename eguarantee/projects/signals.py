"""What projects listen to: an organization approved as beneficiary (its projects link to
it), and the departments' 归口 rules changing (every project's department is recomputed)."""

from django.db.models.signals import post_save


def _organization_saved(sender, instance, **kwargs):
    from .services import link_registered_beneficiary

    if not kwargs.get("raw"):
        link_registered_beneficiary(instance)


def _rules_changed(sender, scopes=None, **kwargs):
    # Sent after the rules commit; the recomputation may touch many projects, so it runs on
    # the task worker rather than in the administrator's request.
    from .jobs import reassign_departments

    reassign_departments.enqueue([list(scope) for scope in scopes] if scopes is not None else None)


def connect():
    from eguarantee.accounts.models import Organization

    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="projects_link_beneficiary")
    from eguarantee.departments.signals import rules_changed

    rules_changed.connect(_rules_changed, dispatch_uid="projects_reassign_departments")
