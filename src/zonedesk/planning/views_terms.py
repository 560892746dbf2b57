"""The board's form of a plot's commercial terms (price, term, hand-over date, published or not)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonedesk.core.formviews import bind, form_view
from zonedesk.core.permissions import capability_required
from zonedesk.core.views import read_version
from zonedesk.planning import selectors_terms, services_terms
from zonedesk.planning.forms import ParcelTermsForm
from zonedesk.planning.views import _parcel_or_404, _parcel_url


@capability_required("planning.edit")
@require_http_methods(["GET", "POST"])
def parcel_terms(request: HttpRequest, zone: str, code: str) -> HttpResponse:
    parcel = _parcel_or_404(zone, code)
    terms = selectors_terms.terms_for(parcel.zone, parcel.code, public_only=False)
    # 0: "I read no terms": if someone records them meanwhile, this writer is told, never overwrites
    version = read_version(request, terms) if terms is not None else 0

    def initial() -> dict:
        if terms is None:
            return {}
        return {
            "price_vnd_m2": terms.price_vnd_m2 if terms.price_vnd_m2 is not None else "",
            "price_basis": terms.price_basis,
            "price_usd_m2": terms.price_usd_m2,
            "usd_rate_vnd": terms.usd_rate_vnd,
            "rate_date": terms.rate_date,
            "term_years": terms.term_years,
            "term_until": terms.term_until,
            "handover_date": terms.handover_date,
            "public": terms.public,
        }

    back = _parcel_url(parcel.zone.code, parcel.code)
    return form_view(
        request,
        bind(request, ParcelTermsForm, initial=initial),
        write=lambda cd: services_terms.parcel_terms_save(
            zone=parcel.zone, code=parcel.code, by=request.user, version=version, **cd
        ),
        message=_("The terms of parcel %(code)s were saved.") % {"code": parcel.code},
        success=lambda saved: reverse("planning_parcel", args=[parcel.zone.code, parcel.code]),
        context={
            "title": _("Commercial terms of parcel %(code)s") % {"code": parcel.code},
            "lead": _(
                "The lease price, term and hand-over date investors see on the parcel card and in the "
                "vacant-land finder once you publish them."
            ),
            "back": back,
            "back_label": _("Parcel %(code)s") % {"code": parcel.code},
            "version": version,
        },
        invalid_status=400,
    )
