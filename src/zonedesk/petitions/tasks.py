"""Background work of the petition channel (run by `zonedesk worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from zonedesk.petitions.models import Notification, Petition


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail, once: a retry after a crash does not send it twice
    unless the crash came between sending and recording, which SMTP cannot make atomic."""
    with transaction.atomic():
        n = Notification.objects.select_for_update().filter(pk=notification_id, emailed_at__isnull=True).first()
        if n is None or not n.email:
            return False
        send_mail(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.email])
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
        if n.petition_id and Petition.objects.filter(pk=n.petition_id, personal_data_erased_at__isnull=False).exists():
            # the last e-mail to a petitioner whose data was erased: their address is not kept
            Notification.objects.filter(pk=n.pk).update(email="")
    return True


@task()
def petitions_tick() -> dict:
    """The periodic work: escalate overdue petitions, close answered ones nobody replied to."""
    from zonedesk.petitions.services import petitions_autoclose, petitions_escalate

    now = timezone.now()
    return {"escalated": petitions_escalate(now=now), "closed": petitions_autoclose(now=now)}
