"""The enterprise portal: the enterprise's own petitions, and filing one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonedesk.core.formviews import bind, form_view
from zonedesk.core.permissions import capability_required
from zonedesk.investment.models import Project
from zonedesk.petitions import forms as pforms
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import Source
from zonedesk.petitions.views.common import PAGE_SIZE, page_of


@capability_required("portal.view")
def portal_petitions(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    show = request.GET.get("show", "")
    qs = selectors.petition_list(
        user=request.user, filters=selectors.PetitionFilters(status="open" if show == "open" else ""), now=now
    ).order_by("-received_at", "-pk")
    page = page_of(request, qs, PAGE_SIZE)
    for p in page.object_list:
        selectors.mark_badges(p, now)
    counts = selectors.portal_counts(user=request.user, now=now)
    return render(
        request,
        "petitions/portal_list.html",
        {"enterprise": request.user.enterprise, "page": page, "counts": counts, "show": show},
    )


@capability_required("portal.view")
@require_http_methods(["GET", "POST"])
def portal_petition_new(request: HttpRequest) -> HttpResponse:
    enterprise = request.user.enterprise
    projects = list(Project.objects.restrict(request.user, "report").order_by("code"))

    def write(cd):
        return services.petition_submit(
            zone=cd["zone"],
            title=cd["title"],
            body=cd["body"],
            category=cd["category"],
            priority=cd["priority"],
            source=Source.PORTAL,
            by=request.user,
            enterprise=enterprise,
            project=cd["project"],
            procedure=cd["procedure"],
            publish_allowed=cd["publish_allowed"],
            attachments=cd["attachments"],
            attachments_confidential=not cd["attachments_public"],
        )

    return form_view(
        request,
        bind(request, pforms.PortalPetitionForm, initial={"zone": enterprise.zone.code}, files=True, projects=projects),
        write=write,
        message=lambda petition: (
            _("Your petition was received with the reference %(reference)s.") % {"reference": petition.reference}
        ),
        success=lambda petition: reverse("petition_detail", args=[petition.reference]),
        page="petitions/portal_form.html",
        context={"enterprise": enterprise},
    )
