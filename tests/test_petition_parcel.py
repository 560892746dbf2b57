"""A petition's land parcel is a parcel of the plan in force: checked at triage, linked on the page.

Without a parcels plan for the zone any code is kept as typed (a park that has not imported its
plan yet must still be able to triage); once a plan is in force, a code that is not in it is
refused with a reason, a code in another case is stored as the plan writes it, and the petition
page links to the parcel's card.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import box

from zonedesk.core.errors import ServiceError
from zonedesk.petitions import services
from zonedesk.planning import geometry
from zonedesk.planning import services as plan
from zonedesk.planning.services import Feature

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def petition(zone, project, enterprise_user):
    return services.petition_submit(
        zone=zone,
        title="Xin điều chỉnh ranh giới lô đất",
        body="Doanh nghiệp đề nghị xem xét điều chỉnh ranh giới lô đất đã thuê để mở rộng nhà xưởng.",
        category="land",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        received_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=HANOI),
    )


def _plan(zone, board_user, *codes: str) -> None:
    features = [
        Feature(
            geometry=geometry.to_wgs84(box(552_000 + 300 * i, 2_323_000, 552_200 + 300 * i, 2_323_200), 5897),
            code=code,
            properties={"land_use": "CNC"},
        )
        for i, code in enumerate(codes)
    ]
    plan.revision_create(
        zone=zone,
        layer="parcels",
        features=features,
        effective_date=timezone.localdate() - dt.timedelta(days=1),
        by=board_user,
    )


def test_without_a_plan_any_parcel_code_is_kept(petition, board_user):
    p = services.petition_act(petition=petition, action="triage", by=board_user, parcel_code=" X-9 ")
    assert p.parcel_code == "X-9"


def test_a_code_not_in_the_plan_in_force_is_refused(petition, zone, board_user):
    _plan(zone, board_user, "CN-01", "CN-02")
    with pytest.raises(ServiceError) as err:
        services.petition_act(petition=petition, action="triage", by=board_user, parcel_code="CN-07")
    assert "parcel_code" in err.value.message_dict
    petition.refresh_from_db()
    assert petition.status == "submitted" and petition.parcel_code == ""


def test_a_code_in_another_case_is_stored_as_the_plan_writes_it_and_linked(client, petition, zone, board_user):
    _plan(zone, board_user, "CN-01", "CN-02")
    p = services.petition_act(petition=petition, action="triage", by=board_user, parcel_code="cn-02")
    assert p.parcel_code == "CN-02"
    client.force_login(board_user)
    page = client.get(reverse("petition_detail", args=[p.reference])).content.decode()
    assert f'href="{reverse("planning_parcel", args=[zone.code, "CN-02"])}"' in page
