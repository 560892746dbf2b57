"""A person's rights over their personal data: the public petitioner's private pages (reached by
the signed link of their e-mails) and the account page of a person who logs in. The writes are
`rights_services`; the reads `rights_selectors`."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zonedesk.core.formviews import bind, form_view
from zonedesk.core.text import fold
from zonedesk.core.throttle import client_address, throttle_hit
from zonedesk.core.views import read_version
from zonedesk.privacy import rights_forms as forms
from zonedesk.privacy import rights_selectors as selectors
from zonedesk.privacy import rights_services as services

ERASED_KEY = "privacy_erased"  # the reference just erased, for the page that says so


def _private(response: HttpResponse) -> HttpResponse:
    """A page reached by a private link: not kept by a cache, not indexed, and its address (the
    token) never sent to another site as the referrer ("same-origin": the site's own forms need
    their origin, which "no-referrer" would blank, for the CSRF check)."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _dead(request: HttpRequest) -> HttpResponse:
    """Tampered, expired, replaced by a newer link or erased: one answer for all (410)."""
    return _private(render(request, "privacy/rights_link_dead.html", status=410))


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


# --- a public petitioner --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_data_request(request: HttpRequest) -> HttpResponse:
    """Ask a new private link with the e-mail or phone used. The answer is the same whether the
    platform holds that contact or not; the link goes only by e-mail, to the address on file."""
    status, sent, throttled = 200, False, False
    if request.method == "POST":
        form = forms.LinkRequestForm(request.POST)
        if form.is_valid():
            contact = form.cleaned_data["contact"].strip()
            ident = fold(contact) if "@" in contact else selectors.phone_digits(contact)
            limit, window = settings.PRIVACY_LINK_REQUEST_LIMIT, settings.PRIVACY_LINK_REQUEST_WINDOW_SECONDS
            # per address, and per contact (no one floods a person's mailbox from many addresses)
            by_address = throttle_hit(
                scope="privacy-link", ident=client_address(request), limit=limit, window_seconds=window
            )
            by_contact = throttle_hit(scope="privacy-link-contact", ident=ident, limit=limit, window_seconds=window)
            if not (by_address and by_contact):
                throttled, status = True, 429
            else:
                services.link_request(contact=contact)
                sent = True
                form = forms.LinkRequestForm()
        else:
            status = 400
    else:
        form = forms.LinkRequestForm()
    context = {"form": form, "sent": sent, "throttled": throttled}
    return render(request, "privacy/rights_request.html", context, status=status)


def _page(request: HttpRequest, petition, token: str, *, correct=None, erase=None, status: int = 200):
    data = selectors.petitioner_data(petition)
    correct = correct or forms.PetitionerCorrectForm(
        initial={
            "name": petition.petitioner_name,
            "email": petition.petitioner_email,
            "phone": petition.petitioner_phone,
        }
    )
    context = {
        "petition": petition,
        "data": data,
        "token": token,
        "correct": correct,
        "erase": erase or forms.EraseForm(),
        "link_days": settings.PRIVACY_LINK_DAYS,
        "version": read_version(request, petition),
    }
    return _private(render(request, "privacy/rights_petitioner.html", context, status=status))


@require_GET
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    petition = selectors.petition_for_token(token)
    if petition is None:
        return _dead(request)
    return _page(request, petition, token)


@require_POST
def my_data_correct(request: HttpRequest, token: str) -> HttpResponse:
    petition = selectors.petition_for_token(token)
    if petition is None:
        return _dead(request)
    version = read_version(request, petition)
    return form_view(
        request,
        forms.PetitionerCorrectForm(request.POST),
        write=lambda cd: services.petitioner_correct(
            petition=petition, name=cd["name"], email=cd["email"], phone=cd["phone"], version=version
        ),
        message=_("Your data was corrected."),
        success=reverse("privacy_my_data", kwargs={"token": token}),
        page=lambda form, status: _page(request, petition, token, correct=form, status=status),
        invalid_status=400,
    )


@require_POST
def my_data_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    petition = selectors.petition_for_token(token)
    if petition is None:
        return _dead(request)
    services.consent_withdraw(petition=petition)
    messages.success(
        request, _("Your consent was withdrawn: nothing more is e-mailed to you. Your petition is still handled.")
    )
    return redirect("privacy_my_data", token=token)


@require_GET
def my_data_export(request: HttpRequest, token: str) -> HttpResponse:
    petition = selectors.petition_for_token(token)
    if petition is None:
        return _dead(request)
    return _json_download(selectors.petitioner_data(petition), f"{petition.reference}-personal-data.json")


@require_POST
def my_data_erase(request: HttpRequest, token: str) -> HttpResponse:
    petition = selectors.petition_for_token(token)
    if petition is None:
        return _dead(request)
    form = forms.EraseForm(request.POST)
    if not form.is_valid():
        return _page(request, petition, token, erase=form, status=400)
    services.petitioner_erase(petition=petition)
    request.session[ERASED_KEY] = petition.reference
    return redirect("privacy_my_data_erased")


@require_GET
def my_data_erased(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(ERASED_KEY)
    if not reference:
        return redirect("privacy_my_data_request")
    return _private(render(request, "privacy/rights_erased.html", {"reference": reference}))


# --- a person with an account ---------------------------------------------------------------


def _account_page(request: HttpRequest, *, correct=None, erasure=None, status: int = 200) -> HttpResponse:
    user = request.user
    correct = correct or forms.AccountCorrectForm(
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    )
    context = {
        "data": selectors.account_data(user),
        "correct": correct,
        "erasure": erasure or forms.AccountErasureForm(),
    }
    return render(request, "privacy/rights_account.html", context, status=status)


@require_http_methods(["GET", "POST"])
def account_my_data(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        bind(request, forms.AccountCorrectForm),
        write=lambda cd: services.account_correct(user=request.user, **cd),
        message=_("Your data was corrected."),
        success="account_my_data",
        page=lambda form, status: _account_page(request, correct=form if form.is_bound else None, status=status),
        invalid_status=400,
    )


@require_GET
def account_my_data_export(request: HttpRequest) -> HttpResponse:
    return _json_download(selectors.account_data(request.user), f"{request.user.username}-personal-data.json")


@require_POST
def account_erasure(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        forms.AccountErasureForm(request.POST),
        write=lambda cd: services.account_erasure_request(user=request.user, reason=cd["reason"]),
        message=_("Your request was sent to the board's administrators: they will answer you."),
        success="account_my_data",
        page=lambda form, status: _account_page(request, erasure=form, status=status),
        invalid_status=400,
    )
