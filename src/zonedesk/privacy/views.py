"""The privacy page (the notice in force and every earlier version, public) and the board's page
to publish a new version."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonedesk.core.formviews import bind, form_view
from zonedesk.core.permissions import capability_required, has_capability
from zonedesk.privacy import services
from zonedesk.privacy.forms import NoticePublishForm
from zonedesk.privacy.models import PrivacyNotice
from zonedesk.privacy.retention import retention_periods
from zonedesk.privacy.text import blocks

LANGUAGES = ("vi", "en")


def notice_page(request: HttpRequest, version: int | None = None) -> HttpResponse:
    """The notice in force at /privacy/, an earlier version at /privacy/v<N>/; its text in the
    page's language, or in the other one with ?text=vi|en."""
    current = services.notice_current()
    notice = current if version is None else get_object_or_404(PrivacyNotice, version=version)
    page_language = "en" if (get_language() or "vi").startswith("en") else "vi"
    language = request.GET.get("text") if request.GET.get("text") in LANGUAGES else page_language
    text = notice.text_en if language == "en" else notice.text_vi
    summary = notice.summary_en if language == "en" else notice.summary_vi
    context = {
        "notice": notice,
        "current": current,
        "is_current": notice.pk == current.pk,
        "language": language,
        "other_language": "vi" if language == "en" else "en",
        "summary": summary,
        "blocks": blocks(text),
        "versions": PrivacyNotice.objects.only("version", "published_at").order_by("-version"),
        "may_publish": has_capability(request.user, "privacy.edit"),
        "retention": retention_periods(),
    }
    return render(request, "privacy/notice.html", context)


@capability_required("privacy.edit")
@require_http_methods(["GET", "POST"])
def notice_publish(request: HttpRequest) -> HttpResponse:
    """Board officers and admins publish a new version, starting from the current text."""
    current = services.notice_current()
    return form_view(
        request,
        bind(
            request,
            NoticePublishForm,
            initial={
                "summary_vi": current.summary_vi,
                "summary_en": current.summary_en,
                "text_vi": current.text_vi,
                "text_en": current.text_en,
                "based_on": current.version,
            },
        ),
        write=lambda cd: services.notice_publish(
            by=request.user,
            summary_vi=cd["summary_vi"],
            summary_en=cd["summary_en"],
            text_vi=cd["text_vi"],
            text_en=cd["text_en"],
            based_on=cd["based_on"],  # another version published since: 409, as the API answers
        ),
        message=lambda notice: (
            _("Version %(n)s of the privacy notice is published: the forms show it from now on.")
            % {"n": notice.version}
        ),
        success="privacy_notice",
        page="privacy/publish.html",
        context={"current": current, "next_version": current.version + 1},
    )
