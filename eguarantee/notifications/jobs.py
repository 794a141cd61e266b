from django_tasks import task

from . import services


@task()
def deliver_sms(message_id):
    message = services.deliver(message_id)
    return message.status if message else None
