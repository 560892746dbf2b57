"""The one-stop desk's figures as Decision 766 measures a service, on SQLite and PostgreSQL: a
hand-built year of dossiers, taken through the services with fixed times, counted by hand (on-time
rate over the dossiers received and due, online rate, the median of working days, apologies,
supplements, satisfaction, the index's points, by month, unit and zone); the cache that a write
of a dossier refreshes; the public page and the API that agree; the open dataset.

The dossiers (procedure CN-01: 15 working days, desk MC → division KHCN → its head → the
board's leadership LDB signs), received in 2026 unless said:

    A  online, zone HHTP, received Mon 2 Mar 09:00, returned Fri 6 Mar 09:00: 4 working days, on time, rated 5
    B  online, HHTP, received Tue 3 Mar 09:00, returned Wed 11 Mar 09:00: 6 working days, on time, rated 4
    C  paper,  HHTP, received Wed 1 Apr 09:00 (appointment 22 Apr), an apology, returned Fri 24 Apr 09:00:
       17 working days, late
    D  online, HHTP, received Mon 6 Apr, refused by the head of KHCN on Wed 8 Apr: resolved, on time
    E  online, HHTP, received Mon 4 May, still with the head of KHCN: its appointment has passed, due, not on time
    F  online, HHTP, received Tue 5 May, a supplement requested: the clock stands still, not due
    G  online, HHTP, filed 6 May and never received: not counted
    H  online, zone KCNTL, received Wed 4 Mar 09:00, returned Mon 9 Mar 09:00: 3 working days, on time
    I  online, HHTP, received in 2025 and returned: not in 2026
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone

from tests.conftest import _user
from zonedesk.core.models import Role
from zonedesk.procedures import figures, services
from zonedesk.procedures.models import Channel, Dossier
from zonedesk_demo.procedures import build_catalogue, files_for

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
FORM = {"hitech_revenue_share": 70, "rnd_spending_share": 2, "rnd_staff_share": 8}


def at(day: str, hm: str = "09:00") -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(hm), TZ)


class Desk:
    def __init__(self, enterprise_user, other_enterprise_user) -> None:
        self.people = {
            "motcua": _user("motcua", Role.BOARD),
            "chuyenvien": _user("chuyenvien", Role.BOARD),
            "truongphong": _user("truongphong", Role.BOARD),
            "lanhdao": _user("lanhdao", Role.LEADER),
        }
        self.catalogue = build_catalogue()
        self.procedure = self.catalogue["CN-01"]
        self.owner, self.other = enterprise_user, other_enterprise_user

    def file(self, when: dt.datetime, *, owner=None, paper: bool = False) -> Dossier:
        owner = owner or self.owner
        return services.dossier_file(
            procedure=self.procedure,
            by=self.people["motcua"] if paper else owner,
            enterprise=owner.enterprise if paper else None,
            channel=Channel.PAPER if paper else Channel.ONLINE,
            files=files_for(self.procedure, when.date()),
            form=FORM,
            at=when,
        )

    def act(self, dossier: Dossier, action: str, who: str, when: dt.datetime, **kw) -> Dossier:
        dossier.refresh_from_db()
        by = self.people.get(who) or who
        return services.act(dossier, action, by=by, version=dossier.version, at=when, **kw)

    def to_head(self, dossier: Dossier, received: dt.datetime) -> Dossier:
        dossier = self.act(dossier, "receive", "motcua", received)
        return self.act(dossier, "forward", "chuyenvien", received + dt.timedelta(hours=2))

    def returned(self, received: dt.datetime, back: dt.datetime, *, owner=None, rating=None) -> Dossier:
        dossier = self.to_head(self.file(received - dt.timedelta(hours=1), owner=owner), received)
        dossier = self.act(dossier, "forward", "truongphong", received + dt.timedelta(hours=4))
        dossier = self.act(dossier, "sign", "lanhdao", back - dt.timedelta(hours=1))
        dossier = self.act(dossier, "return_result", "motcua", back)
        if rating:
            dossier = services.rate(dossier, by=owner or self.owner, version=dossier.version, rating=rating)
        return dossier


@pytest.fixture
def year(enterprise_user, other_enterprise_user):
    """The dossiers of the module's doc, A to I."""
    desk = Desk(enterprise_user, other_enterprise_user)
    made = {}
    made["A"] = desk.returned(at("2026-03-02"), at("2026-03-06"), rating=5)
    made["B"] = desk.returned(at("2026-03-03"), at("2026-03-11"), rating=4)
    c = desk.to_head(desk.file(at("2026-04-01", "08:30"), paper=True), at("2026-04-01"))
    c.refresh_from_db()
    services.apologise(
        c,
        by=desk.people["truongphong"],
        version=c.version,
        reason="Cần lấy ý kiến Sở Khoa học và Công nghệ",
        new_date=dt.date(2026, 4, 28),
        at=at("2026-04-20"),
    )
    c = desk.act(c, "forward", "truongphong", at("2026-04-23"))
    c = desk.act(c, "sign", "lanhdao", at("2026-04-23", "15:00"))
    made["C"] = desk.act(c, "return_result", "motcua", at("2026-04-24"))
    d = desk.act(desk.file(at("2026-04-06", "08:30")), "receive", "motcua", at("2026-04-06"))
    made["D"] = desk.act(d, "refuse", "truongphong", at("2026-04-08"), reason="Không đạt tiêu chí công nghệ cao")
    made["E"] = desk.to_head(desk.file(at("2026-05-04", "08:30")), at("2026-05-04"))
    f = desk.act(desk.file(at("2026-05-05", "08:30")), "receive", "motcua", at("2026-05-05"))
    part = f.procedure_version.parts.order_by("order").first()
    made["F"] = desk.act(
        f, "request_supplement", "chuyenvien", at("2026-05-06"), items=[{"part": part.pk, "reason": "Thiếu chữ ký"}]
    )
    made["G"] = desk.file(at("2026-05-06"))
    made["H"] = desk.returned(at("2026-03-04"), at("2026-03-09"), owner=other_enterprise_user)
    made["I"] = desk.returned(at("2025-06-02"), at("2025-06-05"))
    return made


def test_the_hand_built_set_is_what_the_module_says(year):
    # the working days and timeliness the figures add up, as the services recorded them
    got = {k: (d.working_days, d.on_time) for k, d in year.items() if d.status == "returned"}
    assert got == {"A": (4, True), "B": (6, True), "C": (17, False), "H": (3, True), "I": (3, True)}
    assert timezone.localtime(year["C"].original_due_at).date() == dt.date(2026, 4, 22)
    year["E"].refresh_from_db()
    assert year["E"].status == "processing" and year["E"].original_due_at < timezone.now()
    assert year["F"].status == "supplement" and year["F"].paused_at is not None


def test_the_year_counted_by_hand(year):
    f = figures.compute(year=2026)
    # received A B C D E F H (not G, never received; not I, of 2025); resolved A B C D H
    assert (f["received"], f["resolved"]) == (7, 5)
    # due: the resolved and E (its appointment passed); on time: A B D H
    assert (f["due"], f["on_time"], f["on_time_rate"]) == (6, 4, round(4 / 6, 4))
    assert (f["online"], f["online_rate"]) == (6, round(6 / 7, 4))  # C came on paper
    assert f["median_working_days"] == 5.0  # 3 4 6 17: (4 + 6) / 2
    assert (f["apologies"], f["supplements"], f["supplements_per_dossier"]) == (1, 1, round(1 / 7, 3))
    assert (f["rated"], f["satisfaction"]) == (2, 4.5)
    index = {g["group"]: g for g in f["index"]["groups"]}
    assert index["progress"]["score"] == round(20 * 4 / 6, 2) == 13.33
    assert index["online"]["score"] == round(12 * 6 / 7, 2) == 10.29
    assert index["satisfaction"]["score"] == 18 * 4.5 / 5 == 16.2
    assert [g for g, x in index.items() if not x["measured"]] == ["transparency", "digitisation", "online_payment"]
    assert all(x["score"] is None and x["name"] for x in index.values() if not x["measured"])
    assert (f["index"]["measured_points"], f["index"]["measured_score"]) == (50, round(13.33 + 10.29 + 16.2, 2))


def test_by_month_procedure_unit_and_zone(year):
    f = figures.compute(year=2026)
    months = {m["month"]: m for m in f["by_month"]}
    assert list(months) == [f"2026-{m:02d}" for m in range(1, 13)]  # the 12 months, the empty ones too
    march, april, may = months["2026-03"], months["2026-04"], months["2026-05"]
    assert (march["received"], march["on_time_rate"], march["median_working_days"]) == (3, 1.0, 4.0)  # A B H
    assert (april["received"], april["due"], april["on_time_rate"], april["median_working_days"]) == (2, 2, 0.5, 17.0)
    assert (may["received"], may["due"], may["on_time_rate"], may["supplements"]) == (2, 1, 0.0, 1)  # E late, F waits
    assert months["2026-01"]["received"] == 0 and months["2026-01"]["on_time_rate"] is None
    assert [(p["code"], p["received"]) for p in f["by_procedure"]] == [("CN-01", 7)]
    # the unit that answers: the leadership signed A B C H; D was refused at KHCN, E and F are there
    units = {u["code"]: (u["received"], u["resolved"]) for u in f["by_unit"]}
    assert units == {"LDB": (4, 4), "KHCN": (3, 1)}
    zones = {z["code"]: (z["received"], z["on_time_rate"]) for z in f["by_zone"]}
    assert zones == {"HHTP": (6, 0.6), "KCNTL": (1, 1.0)}
    cells = {(r["code"], r["month"]): r["received"] for r in f["by_procedure_month"]}
    assert cells == {("CN-01", "2026-03"): 3, ("CN-01", "2026-04"): 2, ("CN-01", "2026-05"): 2}


def test_a_zone_and_another_year(year, zone):
    hhtp = figures.compute(zone=zone, year=2026)
    assert (hhtp["zone"], hhtp["received"], hhtp["on_time_rate"]) == ("HHTP", 6, 0.6)
    assert hhtp["median_working_days"] == 6.0  # 4 6 17
    assert hhtp["by_zone"] == []  # one zone asked: no breakdown by zone
    last = figures.compute(year=2025)
    assert (last["received"], last["on_time_rate"], last["median_working_days"]) == (1, 1.0, 3.0)


def test_the_median_of_a_histogram():
    from collections import Counter

    assert figures.median(Counter()) is None
    assert figures.median(Counter({7: 1})) == 7
    assert figures.median(Counter({3: 1, 4: 1, 6: 1, 17: 1})) == 5
    assert figures.median(Counter({2: 3, 9: 1})) == 2
    assert figures.median(Counter({1: 2, 5: 2})) == 3
    assert figures.median(Counter({1: 1, 5: 1, 8: 1})) == 5


def test_a_write_of_a_dossier_refreshes_the_cached_figures(year, django_assert_max_num_queries):
    first = figures.figures(year=2026)
    with django_assert_max_num_queries(1):  # the generation only
        assert figures.figures(year=2026) == first
    e = year["E"]
    e.refresh_from_db()
    services.act(e, "forward", by=_person("truongphong"), version=e.version, at=at("2026-06-01"))
    e.refresh_from_db()
    services.act(e, "sign", by=_person("lanhdao"), version=e.version, at=at("2026-06-01", "10:00"))
    e.refresh_from_db()
    services.act(e, "return_result", by=_person("motcua"), version=e.version, at=at("2026-06-02"))
    after = figures.figures(year=2026)
    assert (first["resolved"], first["due"], first["on_time"]) == (5, 6, 4)
    assert (after["resolved"], after["due"], after["on_time"]) == (6, 6, 4)  # E returned, late
    e.refresh_from_db()
    services.rate(e, by=e.enterprise.members.get(), version=e.version, rating=1)
    assert (figures.figures(year=2026)["rated"], after["rated"]) == (3, 2)


def _person(username: str):
    from zonedesk.core.models import User

    return User.objects.get(username=username)


def test_the_api_and_the_public_page_agree(client, year):
    api = client.get("/api/v1/dossiers/figures?year=2026")
    assert api.status_code == 200
    data = api.json()
    assert data == json.loads(json.dumps(figures.compute(year=2026), default=str))
    page = client.get("/dossiers/figures/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    whole = re.search(r'<dl class="facts" id="figures-whole">(.*?)</dl>', html, re.S).group(1)
    values = [re.sub(r"\s+", " ", v).strip() for v in re.findall(r"<dd>(.*?)</dd>", whole, re.S)]
    assert values[:3] == ["7", "5", "67 %"]  # received, resolved, on time
    index = dict(re.findall(r'<tr data-group="(\w+)">(.*?)</tr>', html))
    assert all("chưa đo" in index[g] for g in ("transparency", "digitisation", "online_payment"))
    assert "13,33" in index["progress"] and "10,29" in index["online"] and "16,2" in index["satisfaction"]
    # each chart is drawn from its table's rows: the same labels and values, in the same order
    charts = {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(r'<script id="(chart-[\w-]+)" type="application/json">(.*?)</script>', html, re.S)
    }
    assert {"chart-dossier-months", "chart-dossier-procedures"} <= set(charts)
    month_rows = re.findall(
        r'<tr data-month="([\d-]+)"><th scope="row">[^<]*</th><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)</td><td class="num">([\d,.—]+)</td>',
        html,
    )
    assert [r[0] for r in month_rows] == [m["month"] for m in data["by_month"]] and len(month_rows) == 12
    months = charts["chart-dossier-months"]
    on_time = months["datasets"][0]["data"]
    assert [None if r[3] == "—" else float(r[3].replace(",", ".")) for r in month_rows] == on_time
    assert [int(r[1]) for r in month_rows] == [m["received"] for m in data["by_month"]]
    assert [m["on_time_rate"] for m in data["by_month"]][2:5] == [1.0, 0.5, 0.0]
    assert on_time[2:5] == [100.0, 50.0, 0.0] and months["labels"][2] == "03/2026"
    procedures = charts["chart-dossier-procedures"]
    assert procedures["datasets"][0]["data"] == [p["received"] for p in data["by_procedure"]] == [7]
    assert procedures["datasets"][1]["data"] == [p["resolved"] for p in data["by_procedure"]] == [5]


def test_the_page_filters_by_zone_and_year_and_names_no_one(client, year, zone):
    html = client.get("/dossiers/figures/?zone=HHTP&year=2026").content.decode()
    whole = re.search(r'<dl class="facts" id="figures-whole">(.*?)</dl>', html, re.S).group(1)
    assert re.findall(r"<dd>(.*?)</dd>", whole, re.S)[0].strip() == "6"
    assert 'name="zone"' in html and 'name="year"' in html
    for name in ("dn1", "dn2", "motcua", "truongphong", year["A"].code, year["A"].enterprise.name):
        assert name not in html


def test_the_open_dataset_of_figures_by_procedure_and_month(client, year):
    catalog = client.get("/open-data/catalog.jsonld").json()
    assert "dossier-figures" in {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    rows = json.loads(b"".join(client.get("/open-data/dossier-figures.json").streaming_content))
    cells = {(r["zone"], r["year"], r["procedure"], r["month"]): r for r in rows}
    march = cells[("", 2026, "CN-01", 3)]
    assert (march["received"], march["on_time_rate"], march["median_working_days"]) == (3, 1.0, 4.0)
    assert cells[("", 2025, "CN-01", 6)]["received"] == 1
    assert cells[("HHTP", 2026, "CN-01", 3)]["received"] == 2
    text = b"".join(client.get("/open-data/dossier-figures.csv").streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == len(rows) + 1
    assert all("dn1" not in line and year["A"].code not in line for line in text.splitlines())
