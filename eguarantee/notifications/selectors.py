from .models import InSiteMessage, SmsMessage


def sms_messages_for(user):
    return SmsMessage.objects.all() if user.is_platform else SmsMessage.objects.none()


def inbox_for(user):
    return InSiteMessage.objects.filter(recipient=user)
