"""The investor's side of the demo (issue 26): incentives, a profile and contacts for each zone,
a dozen plots with terms (most published), and English for the main texts, seen as a foreign
visitor sees them."""

from __future__ import annotations

import pytest

from zonedesk.core.models import Zone
from zonedesk.investment.models import BoardContact, Incentive, Project, ZoneProfile
from zonedesk.planning import selectors
from zonedesk.planning.models import Layer, ParcelTerms, PlanningDecision


@pytest.fixture
def built(demo_everything, db):
    return demo_everything


def test_the_demo_has_the_investors_reference_data(built):
    assert Incentive.objects.filter(category="cit", applies_to="hitech").exists()
    assert Incentive.objects.filter(indicative=True).exists()
    assert set(ZoneProfile.objects.values_list("zone__code", flat=True)) == set(
        Zone.objects.values_list("code", flat=True)
    )
    assert BoardContact.objects.filter(zone__isnull=True).exists()
    terms = list(ParcelTerms.objects.all())
    assert len(terms) == 12 and 6 <= sum(t.public for t in terms) < 12
    for t in terms:  # each on a vacant plot in force, with its USD price and the rate's date
        parcel = selectors.current_features(Layer.PARCELS, zone=t.zone).get(code=t.parcel_code)
        assert parcel.occupancy == "vacant" and t.price_usd is not None and t.rate_date is not None
    assert PlanningDecision.objects.get(number="899/QĐ-TTg").authority_en == "The Prime Minister"
    assert Project.objects.exclude(objectives_en="").count() >= 5


def test_a_foreign_visitor_reads_the_demo_in_english(built, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    landing = client.get("/invest/").content.decode()
    assert "Hoa Lac Hi-Tech Park" in landing and "Corporate income tax at 10% for 15 years" in landing
    park = client.get("/invest/parks/HHTP/").content.decode()
    assert "45 km" in park and "5,310,000" in park
    published = ParcelTerms.objects.filter(public=True, zone__code="HHTP").first()
    page = client.get(f"/planning/parcels/HHTP/{published.parcel_code}/").content.decode()
    assert "VND/m²/year" in page and "USD/m²/year" in page and "Request a site visit" in page
    finder = client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": "2"}).content.decode()
    assert f"{published.price_vnd_m2:,}" in finder
    tenants = client.get("/invest/tenants/", {"country": "JP"}).content.decode()
    assert "Japan" in tenants
