"""The innovation ecosystem's scorecard: the seven conditions as reference data, counts taken
from the registry of actors (never typed in), the arithmetic of attainment and scores with
"lower is better" indicators and missing measurements, who may write, and the pages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from zonedesk.core.errors import ServiceError
from zonedesk.ecosystem import selectors, services
from zonedesk.ecosystem.models import Actor, Condition, Indicator, Measurement
from zonedesk.ecosystem.selectors import attainment
from zonedesk.roadmaps import services as roadmaps
from zonedesk.roadmaps.models import OwnerKind, RoadmapKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def test_the_seven_conditions_and_their_indicators_are_reference_data():
    conditions = list(Condition.objects.order_by("number").prefetch_related("indicators"))
    assert [c.number for c in conditions] == [1, 2, 3, 4, 5, 6, 7]
    assert all(2 <= c.indicators.count() <= 4 for c in conditions)
    assert conditions[4].name_en == "A specific legal corridor for controlled sandboxes"
    assert {i.code for i in Indicator.objects.filter(direction="lower")} == {"T2", "T3"}
    assert Indicator.objects.filter(computed="").exists() and Indicator.objects.exclude(computed="").exists()


def test_attainment_arithmetic():
    assert attainment(Decimal(36), Decimal(40), lower_is_better=False) == Decimal("0.9")
    assert attainment(Decimal(62), Decimal(55), lower_is_better=True) == Decimal(55) / Decimal(62)
    assert attainment(Decimal(0), Decimal(30), lower_is_better=True) == 1  # nothing left to shorten
    assert attainment(Decimal(5), Decimal(0), lower_is_better=False) == 1
    assert attainment(None, Decimal(3), lower_is_better=False) is None
    assert attainment(Decimal(3), None, lower_is_better=True) is None


def test_scores_cap_each_indicator_and_skip_the_missing(zone, board_user):
    y = 2025
    # transport: T1 counted (no link yet: 0 of 2), T2 lower is better, T3 not measured
    for code, target in (("T1", 2), ("T2", 60), ("T3", 30)):
        services.target_set(by=board_user, indicator=ind(code), zone=zone, year=y, value=target)
    services.measurement_record(by=board_user, indicator=ind("T2"), zone=zone, year=y, value="40", source="Khảo sát")
    # funds: measured deals far above target, one fund of 300 bn against 600
    services.target_set(by=board_user, indicator=ind("F3"), zone=zone, year=y, value=2)
    services.measurement_record(by=board_user, indicator=ind("F3"), zone=zone, year=y, value=10, source="Báo cáo")
    services.target_set(by=board_user, indicator=ind("F2"), zone=zone, year=y, value=600)
    services.actor_create(
        by=board_user,
        zone=zone,
        kind="fund",
        name_vi="Quỹ mạo hiểm",
        fund_kind="venture",
        capital_committed_vnd=300_000_000_000,
        active_from=dt.date(2024, 1, 1),
    )
    card = selectors.scorecard(zone=zone, year=y)
    by_number = {c.condition.number: c for c in card["conditions"]}
    transport = {r.indicator.code: r for r in by_number[7].rows}
    assert transport["T1"].value == 0 and transport["T1"].attainment_pct == 0
    assert transport["T2"].attainment_pct == Decimal("150.0")  # 60 / 40: faster than the target
    assert transport["T3"].attainment_pct is None
    assert by_number[7].score == Decimal("50.0")  # (0 + 100 capped) / 2; T3 missing
    assert by_number[7].missing == 1
    funds = {r.indicator.code: r for r in by_number[4].rows}
    assert funds["F2"].value == Decimal("300.0") and funds["F2"].attainment_pct == Decimal("50.0")
    assert funds["F3"].attainment_pct == Decimal("500.0")
    assert by_number[4].score == Decimal("75.0")  # (50 + 100) / 2; F1 has no target
    assert by_number[1].score is None  # nothing to score
    assert card["overall"] == Decimal("62.5")  # the mean of the conditions that have a score


def test_counts_come_from_the_registry_and_are_never_typed_in(zone, board_user):
    with pytest.raises(ServiceError) as caught:
        services.measurement_record(by=board_user, indicator=ind("S1"), zone=zone, year=2025, value=4, source="x")
    assert "counted from the registry" in caught.value.message_dict["indicator"][0]
    assert not Measurement.objects.exists()
    basis = "Quyết định thử nghiệm"
    ended = services.actor_create(
        by=board_user, zone=zone, kind="sandbox", name_vi="Drone", legal_basis=basis, active_from=dt.date(2024, 7, 1)
    )
    services.actor_create(
        by=board_user,
        zone=zone,
        kind="sandbox",
        name_vi="Xe tự hành",
        legal_basis=basis,
        active_from=dt.date(2025, 9, 1),
    )
    services.actor_end(by=board_user, actor=ended, on=dt.date(2024, 12, 31))
    running = {y: selectors.computed_value("sandboxes_running", zone, y) for y in (2023, 2024, 2025)}
    assert running == {2023: 0, 2024: 1, 2025: 1}
    for name, done in (("Trạm biến áp", dt.date(2016, 1, 1)), ("Nước thải 2", dt.date(2025, 8, 1)), ("Nước 3", None)):
        services.actor_create(by=board_user, zone=zone, kind="infrastructure", name_vi=name, active_from=done)
    assert selectors.computed_value("infrastructure_built_pct", zone, 2024) == Decimal("33.3")
    assert selectors.computed_value("infrastructure_built_pct", zone, 2025) == Decimal("66.7")
    # without workers reported, researchers per 1,000 workers cannot be computed: not scored
    services.actor_create(by=board_user, zone=zone, kind="university", name_vi="Đại học", researchers=200)
    assert selectors.computed_value("researchers_per_1000", zone, 2025) is None
    assert selectors.computed_value("universities", zone, 2025) == 1


def test_bad_input_is_refused_and_nothing_is_written(zone, board_user):
    cases = [
        (dict(kind="fund", name_vi="Quỹ"), "fund_kind"),
        (dict(kind="university", name_vi="Đại học", fund_kind="public"), "fund_kind"),
        (dict(kind="sandbox", name_vi="Thử nghiệm"), "legal_basis"),
        (
            dict(kind="transport", name_vi="", active_from=dt.date(2025, 1, 2), active_until=dt.date(2025, 1, 1)),
            "active_until",
        ),
        (dict(kind="fund", name_vi="Quỹ", fund_kind="venture", capital_committed_vnd=-1), "capital_committed_vnd"),
        (dict(kind="nope", name_vi="?"), "kind"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ServiceError) as caught:
            services.actor_create(by=board_user, zone=zone, **kwargs)
        assert field in caught.value.message_dict, kwargs
    assert not Actor.objects.exists()
    for kwargs, field in [
        (dict(value="-3", source="x", year=2025), "value"),
        (dict(value="abc", source="x", year=2025), "value"),
        (dict(value="3", source="", year=2025), "source"),
        (dict(value="3", source="x", year=dt.date.today().year + 1), "year"),
    ]:
        with pytest.raises(ServiceError) as caught:
            services.measurement_record(by=board_user, indicator=ind("T2"), zone=zone, **kwargs)
        assert field in caught.value.message_dict, kwargs
    assert not Measurement.objects.exists()
    m = services.measurement_record(by=board_user, indicator=ind("T2"), zone=zone, year=2025, value="62,5", source="x")
    assert m.value == Decimal("62.50")  # a Vietnamese decimal comma is read


def test_only_the_board_writes(zone, enterprise_user, agency_user, board_user):
    for user in (enterprise_user, agency_user):
        with pytest.raises(PermissionDenied):
            services.target_set(by=user, indicator=ind("T2"), zone=zone, year=2025, value=50)
        with pytest.raises(PermissionDenied):
            services.actor_create(by=user, zone=zone, kind="university", name_vi="x")
    public, firm, board = Client(), Client(), Client()
    firm.force_login(enterprise_user)
    board.force_login(board_user)
    for url in ("/ecosystem/measurements/new/", "/ecosystem/targets/new/", "/ecosystem/actors/new/"):
        assert public.get(url).status_code == 302
        assert firm.get(url).status_code == 403
        assert board.get(url).status_code == 200
    answer = board.post(
        "/ecosystem/measurements/new/",
        {"indicator": ind("T2").pk, "zone": zone.code, "year": 2025, "value": "58", "source": "Khảo sát 2025"},
    )
    assert answer.status_code == 302 and Measurement.objects.get().value == 58
    # the list of measured indicators offers no counted one
    form = board.get("/ecosystem/measurements/new/").content.decode()
    assert f'value="{ind("T2").pk}"' in form and f'value="{ind("S1").pk}"' not in form


def test_the_scorecard_page_draws_the_seven_and_lists_the_actions(zone, board_user, client):
    services.target_set(by=board_user, indicator=ind("T2"), zone=zone, year=2024, value=60)
    services.measurement_record(by=board_user, indicator=ind("T2"), zone=zone, year=2024, value=80, source="Khảo sát")
    services.target_set(by=board_user, indicator=ind("T2"), zone=zone, year=2025, value=60)
    services.measurement_record(by=board_user, indicator=ind("T2"), zone=zone, year=2025, value=60, source="Khảo sát")
    task = roadmaps.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.TASK, title_vi="Giao thông kết nối", owner_kind=OwnerKind.BOARD
    )
    roadmaps.milestone_add(
        by=board_user,
        roadmap=task,
        title="Mở tuyến buýt nhanh",
        responsible_name="Sở Xây dựng",
        planned_start=dt.date(2025, 1, 1),
        planned_end=dt.date(2027, 1, 1),
        condition=Condition.objects.get(number=7),
    )
    page = client.get(f"/ecosystem/?zone={zone.code}&year=2025").content.decode()
    radar = json.loads(page.split('id="ecosystem-radar" type="application/json">')[1].split("</script>")[0])
    assert radar["type"] == "radar" and len(radar["labels"]) == 7
    assert radar["datasets"][0]["data"][6] == 100.0 and radar["datasets"][0]["data"][0] is None
    trend = json.loads(page.split('id="ecosystem-trend" type="application/json">')[1].split("</script>")[0])
    assert trend["labels"] == ["2024", "2025"] and trend["datasets"][6]["data"] == [75.0, 100.0]
    assert "Mở tuyến buýt nhanh" in page
    assert "Khảo sát" in page  # the source of a measurement is shown beside it


def test_an_actor_that_ends_stops_counting(zone, board_user):
    fund = services.actor_create(
        by=board_user, zone=zone, kind="fund", name_vi="Quỹ", fund_kind="public", active_from=dt.date(2023, 1, 1)
    )
    c = Client()
    c.force_login(board_user)
    page = c.get(f"/ecosystem/actors/{fund.pk}/end/").content.decode()
    assert f'name="version" value="{fund.version}"' in page
    assert c.post(f"/ecosystem/actors/{fund.pk}/end/", {"on": "2024-06-30", "version": fund.version}).status_code == 302
    assert [selectors.computed_value("funds", zone, y) for y in (2024, 2025)] == [1, 0]
    fund.refresh_from_db()
    refused = c.post(  # before it started
        f"/ecosystem/actors/{fund.pk}/end/", {"on": "2022-01-01", "version": fund.version}
    )
    assert refused.status_code == 200
    fund.refresh_from_db()
    assert fund.active_until == dt.date(2024, 6, 30)


def test_a_zone_code_in_another_case_names_the_same_zone(zone, other_zone, board_user, client):
    """?zone=kcntl is KCNTL's scorecard and registry, as in the planning API (not the default HHTP)."""
    client.force_login(board_user)
    scorecard = client.get(f"/ecosystem/?zone={other_zone.code.lower()}&export=csv")
    assert f'filename="scorecard-{other_zone.code}-' in scorecard["Content-Disposition"]
    page = client.get(f"/ecosystem/actors/?zone={other_zone.code.lower()}").content.decode()
    assert other_zone.name_en in page or other_zone.name_vi in page
    assert client.get("/ecosystem/?zone=nope&export=csv")["Content-Disposition"].count("scorecard-HHTP-") == 1


def test_a_value_is_read_as_every_decimal_and_never_guessed(zone, board_user, client):
    """The measurement page reads its value as every decimal is read (core.inputs): a space between
    thousands and a decimal comma, but no "1e3" (once silently a thousand)."""
    client.force_login(board_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"indicator": ind("T2").pk, "zone": zone.code, "year": 2025, "source": "Khảo sát 2025"}
    for typed in ("1e3", "Infinity"):
        page = client.post("/ecosystem/measurements/new/", data | {"value": typed})
        assert page.status_code == 200 and "Enter a number." in page.content.decode()
    assert not Measurement.objects.exists()
    assert client.post("/ecosystem/measurements/new/", data | {"value": "1 062,5"}).status_code == 302
    assert Measurement.objects.get().value == Decimal("1062.50")
