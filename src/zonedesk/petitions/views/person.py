"""A person's own pages: their inbox of notifications (any logged-in person)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import Petition
from zonedesk.petitions.views.common import page_of


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's own notifications, newest first."""
    page = page_of(request, selectors.inbox(user=request.user), 25)
    return render(request, "petitions/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and go to its petition (or the page it names)."""
    notification = get_object_or_404(selectors.inbox(user=request.user), pk=notification_id)
    services.notification_read(notification=notification)
    if (
        notification.petition_id
        and Petition.objects.restrict(request.user).filter(pk=notification.petition_id).exists()
    ):
        return redirect("petition_detail", reference=notification.petition.reference)
    if notification.link.startswith("/") and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("inbox")
