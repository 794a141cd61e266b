"""The daily qualification check: who is told, once, and what the lists show."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eguarantee.accounts.models import Role, User
from eguarantee.guarantors import services
from eguarantee.guarantors.jobs import check_qualifications_job
from eguarantee.notifications.models import InSiteMessage

from .helpers import qualification_for, second_guarantor, today

pytestmark = pytest.mark.django_db


def recipients(title_part=""):
    return sorted(
        InSiteMessage.objects.filter(title__contains=title_part).values_list("recipient__username", flat=True)
    )


def test_expiring_qualification_warns_guarantor_and_platform_admins_once(demo_users, guarantor):
    expiring = qualification_for(guarantor, valid_to=today() + timedelta(days=20))
    qualification_for(guarantor, valid_to=today() + timedelta(days=31))  # outside the window
    qualification_for(guarantor, valid_to=None)  # long-term
    qualification_for(
        guarantor, valid_from=today() - timedelta(days=900), valid_to=today() - timedelta(days=400), historical=True
    )
    result = services.check_qualification_expiry()
    assert result.warned == [expiring.pk]
    assert recipients() == ["guarantor_admin", "platform_admin"]
    message = InSiteMessage.objects.get(recipient=demo_users["guarantor_admin"])
    assert "即将到期" in message.title and expiring.licence_number in message.body and "剩余20天" in message.body
    assert message.link == expiring.get_absolute_url()
    expiring.refresh_from_db()
    assert expiring.expiry_warned_for == expiring.valid_to and expiring.expiry_warned_at is not None
    # Running again (the job, then the command) sends nothing more.
    again = services.check_qualification_expiry()
    assert again.warned == [] and again.messages == 0
    call_command("check_qualifications")
    assert InSiteMessage.objects.count() == 2


def test_renewal_arms_the_warning_again(demo_users, guarantor):
    licence = qualification_for(guarantor, valid_to=today() + timedelta(days=10))
    services.check_qualification_expiry()
    licence.valid_to = today() + timedelta(days=25)
    licence.save()
    assert services.check_qualification_expiry().warned == [licence.pk]
    assert InSiteMessage.objects.filter(recipient=demo_users["guarantor_admin"]).count() == 2


def test_expired_without_warning_is_told_as_expired(demo_users, guarantor):
    licence = qualification_for(guarantor, valid_to=today() + timedelta(days=60))
    result = services.check_qualification_expiry(today() + timedelta(days=61))
    assert result.warned == [licence.pk]
    assert "已过期" in InSiteMessage.objects.filter(recipient=demo_users["platform_admin"]).get().title


def test_only_this_guarantors_admins_are_told(demo_users, guarantor):
    other = second_guarantor()
    qualification_for(other, valid_to=today() + timedelta(days=5))
    services.check_qualification_expiry()
    assert recipients() == ["other_guarantor_77", "platform_admin"]
    assert not InSiteMessage.objects.filter(recipient=demo_users["guarantor_reviewer"]).exists()


def test_disabled_admin_role_is_not_told(demo_users, guarantor):
    Role.objects.filter(code="guarantor_admin").update(enabled=False)
    qualification_for(guarantor, valid_to=today() + timedelta(days=5))
    services.check_qualification_expiry()
    assert recipients() == ["platform_admin"]


def test_unread_counter_moves_and_task_runs(demo_users, guarantor):
    qualification_for(guarantor, valid_to=today() + timedelta(days=3))
    result = check_qualifications_job.enqueue()
    assert result.return_value["messages"] == 2
    assert User.objects.get(pk=demo_users["guarantor_admin"].pk).unread_messages == 1


def test_command_accepts_a_date_and_refuses_junk(demo_users, guarantor, capsys):
    qualification_for(guarantor, valid_to=today() + timedelta(days=45))
    call_command("check_qualifications", date=(today() + timedelta(days=20)).isoformat())
    assert "提醒资质 1 项" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("check_qualifications", date="2026-13-45")
