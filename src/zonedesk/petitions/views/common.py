"""What the petition pages share: who reaches the queue, a petition found for its reader, paging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest

from zonedesk.core.permissions import actor_of, get_restricted_or_404
from zonedesk.petitions.models import Petition

PAGE_SIZE = 25


def officer_required(view):
    """The queue: the board side and agency officers. The public logs in; others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = actor_of(request.user)
        if not (actor.is_board_side or actor.role == "agency"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def petition_or_404(request: HttpRequest, reference: str) -> Petition:
    """The petition with this reference if the person may open it, else 404."""
    return get_restricted_or_404(
        Petition.objects.select_related("zone", "lead_agency", "enterprise", "project", "merged_into", "policy_action"),
        request.user,
        reference=reference,
    )


def page_of(request: HttpRequest, qs, size: int):
    return Paginator(qs, size).get_page(request.GET.get("page"))
