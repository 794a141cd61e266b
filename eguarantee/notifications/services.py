"""Notifications are queued inside the business transaction and delivered after it
commits, by the task worker; a failed delivery is recorded and never undoes the fact."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import InSiteMessage, SmsMessage
from .sms import get_sender


def queue_sms(mobile, content, *, purpose=""):
    message = SmsMessage.objects.create(mobile=mobile, content=content, purpose=purpose)
    transaction.on_commit(lambda: _enqueue_delivery(message.pk), robust=True)
    return message


def _enqueue_delivery(message_id):
    from .jobs import deliver_sms

    deliver_sms.enqueue(message_id)


def deliver(message_id):
    """Send one queued SMS. Safe to run twice: a message already sent is left alone."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == SmsMessage.Status.SENT:
            return message
        message.attempts += 1
        sender = get_sender()
        try:
            result = sender.send(message.mobile, message.content)
        except Exception as exc:  # any provider failure is recorded, not raised
            message.status = SmsMessage.Status.FAILED
            message.error = str(exc)[:500]
            message.provider = getattr(sender, "name", "")
        else:
            message.status = SmsMessage.Status.SENT
            message.provider = result.provider
            message.provider_message_id = result.message_id
            message.sent_at = timezone.now()
            message.error = ""
        message.save()
    return message


def send_in_site(recipient, title, body="", link=""):
    with transaction.atomic():
        message = InSiteMessage.objects.create(recipient=recipient, title=title, body=body, link=link)
        # The top bar shows the count on every page: kept on the user row, not counted each time.
        get_user_model().objects.filter(pk=recipient.pk).update(unread_messages=F("unread_messages") + 1)
    return message


def mark_read(user, message_ids=None):
    with transaction.atomic():
        qs = InSiteMessage.objects.filter(recipient=user, read_at__isnull=True)
        if message_ids is not None:
            qs = qs.filter(pk__in=message_ids)
        marked = qs.update(read_at=timezone.now())
        unread = InSiteMessage.objects.filter(recipient=user, read_at__isnull=True).count()
        get_user_model().objects.filter(pk=user.pk).update(unread_messages=unread)
        user.unread_messages = unread
    return marked
