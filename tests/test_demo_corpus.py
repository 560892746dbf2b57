"""The demo petition corpus: deterministic, varied, Vietnamese, zone-aware. No database."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from zonedesk.core.text import fold
from zonedesk_demo import corpus as dc

ZONES = ["HHTP", "KCNTL", "KCNNB", "KCNSDB"]
AGENCIES = {"UBND-HOALAC", "NNMT-HN", "SXD-HN", "QHKT-HN", "BQL-HN", "THUE-HN", "HQ-HN", "SNV-HN", "EVN-HN", "CA-HN"}
KEYS = {"title", "body", "category", "agency", "urgent", "impact", "procedure", "confidential_note"}
VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I)


@pytest.fixture(scope="module")
def hoalac() -> list[dict]:
    return dc.generate(seed=7, count=300, zone_code="HHTP")


def test_same_arguments_same_petitions():
    assert dc.generate(seed=3, count=120, zone_code="KCNTL") == dc.generate(seed=3, count=120, zone_code="KCNTL")
    assert dc.generate(seed=3, count=50, zone_code="KCNTL") != dc.generate(seed=4, count=50, zone_code="KCNTL")
    assert dc.generate(seed=3, count=0, zone_code="HHTP") == []


def test_the_bank_is_large_and_hand_written_per_category():
    assert set(dc.BANK) == set(dc.CATEGORIES)
    assert all(len(items) >= 15 for items in dc.BANK.values())
    bases = dc.all_bases()
    assert len(bases) >= 200
    assert len({b.title for b in bases}) == len(bases)
    assert len({b.body[:80] for b in bases}) == len(bases)
    for b in bases:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", b.body) if s]
        assert 2 <= len(sentences) <= 6, b.title


def test_items_have_the_documented_shape(hoalac):
    for item in hoalac:
        assert set(item) == KEYS
        assert item["category"] in dc.CATEGORIES
        assert item["agency"] in AGENCIES
        assert isinstance(item["urgent"], bool)
        impact = item["impact"]
        assert set(impact) == {"production_stopped", "workers_affected", "investment_at_risk_vnd"}
        assert impact["workers_affected"] is None or impact["workers_affected"] > 0
        assert impact["investment_at_risk_vnd"] is None or impact["investment_at_risk_vnd"] >= 10**9
        if impact["production_stopped"]:
            assert item["urgent"]
        # every placeholder filled, and the private figure never in the public text
        for text in (item["title"], item["body"], item["confidential_note"]):
            assert "{" not in text and "}" not in text
        if item["confidential_note"]:
            assert item["confidential_note"] not in item["body"]


def test_every_category_urgent_and_confidential_present(hoalac):
    categories = Counter(i["category"] for i in hoalac)
    assert set(categories) == set(dc.CATEGORIES)
    assert min(categories.values()) >= 15
    assert any(i["urgent"] for i in hoalac) and not all(i["urgent"] for i in hoalac)
    assert any(i["impact"]["production_stopped"] for i in hoalac)
    notes = [i for i in hoalac if i["confidential_note"]]
    assert 0.05 * len(hoalac) < len(notes) < 0.5 * len(hoalac)
    assert sum(bool(i["procedure"]) for i in hoalac) > 0.8 * len(hoalac)


def test_vietnamese_with_diacritics(hoalac):
    for item in hoalac:
        assert VIETNAMESE.search(item["body"]), item["body"]
        assert fold(item["body"]) != item["body"].lower()


def test_varied_not_copies(hoalac):
    titles = [i["title"] for i in hoalac]
    bodies = [i["body"] for i in hoalac]
    assert len(set(titles)) >= 0.9 * len(titles)
    assert len(set(bodies)) == len(bodies)
    # several hundred from one zone still differ from each other
    many = dc.generate(seed=1, count=600, zone_code="HHTP")
    assert len({i["body"] for i in many}) == 600
    assert len({i["title"] for i in many}) >= 0.8 * 600


ZONE_WORDS = {
    "HHTP": ["Hòa Lạc", "Thạch Thất", "Quốc Oai", "Đại lộ Thăng Long", "Quốc lộ 21", "Bình Yên", "Tân Xã", "Hạ Bằng"],
    "KCNTL": ["Thăng Long", "Đông Anh", "Kim Chung", "Võng La", "Hải Bối", "Đại Mạch", "Võ Văn Kiệt"],
    "KCNNB": ["Nội Bài", "Sóc Sơn", "Quang Tiến", "Mai Đình", "Phù Lỗ", "Quốc lộ 2", "Quốc lộ 3"],
    "KCNSDB": ["Sài Đồng", "Long Biên", "Thạch Bàn", "Phúc Đồng", "Quốc lộ 5", "Nguyễn Văn Linh", "Cổ Linh"],
}
ONLY_HOALAC = ["Hòa Lạc", "Thạch Thất", "Quốc Oai", "Bình Yên", "Tân Xã", "Hạ Bằng"]


@pytest.mark.parametrize("zone", ZONES)
def test_each_zone_mentions_its_own_places(zone):
    items = dc.generate(seed=2, count=120, zone_code=zone)
    texts = [f"{i['title']} {i['body']}" for i in items]
    own = sum(any(w in t for w in ZONE_WORDS[zone]) for t in texts)
    assert own >= 0.5 * len(texts)
    if zone != "HHTP":
        assert not any(w in t for t in texts for w in ONLY_HOALAC)
        assert not any("Sài Đồng" in t for t in texts) or zone == "KCNSDB"


def test_routing_follows_the_zone_and_the_text():
    hoalac = dc.generate(seed=5, count=400, zone_code="HHTP")
    thanglong = dc.generate(seed=5, count=400, zone_code="KCNTL")
    land_hl = Counter(i["agency"] for i in hoalac if i["category"] == "land")
    land_tl = Counter(i["agency"] for i in thanglong if i["category"] == "land")
    assert land_hl["UBND-HOALAC"] > land_hl["NNMT-HN"] > 0  # clearance to the commune, records to the department
    assert set(land_tl) == {"NNMT-HN"}
    assert {i["agency"] for i in hoalac if i["category"] == "construction"} == {"SXD-HN", "QHKT-HN"}
    assert {i["agency"] for i in hoalac if i["category"] == "infrastructure"} == {"EVN-HN", "BQL-HN"}
    fixed = {
        "investment": "BQL-HN",
        "tax": "THUE-HN",
        "customs": "HQ-HN",
        "labour": "SNV-HN",
        "environment": "NNMT-HN",
        "security": "CA-HN",
        "other": "BQL-HN",
    }
    for item in hoalac + thanglong:
        if item["category"] in fixed:
            assert item["agency"] == fixed[item["category"]]


def test_category_agency_from_text_agrees_with_the_hand_labels():
    for zone in ZONES:
        for base in dc.all_bases():
            assert dc.category_agency(base.category, zone, f"{base.title} {base.body}") == dc.base_agency(base, zone)


def test_category_agency_on_new_text():
    assert dc.category_agency("infrastructure", "KCNNB", "Mất điện lưới 22kV, nhà máy dừng sản xuất") == "EVN-HN"
    assert dc.category_agency("infrastructure", "KCNNB", "Mat dien luoi 22kV") == "EVN-HN"
    assert dc.category_agency("infrastructure", "HHTP", "Áp lực nước sạch rất yếu") == "BQL-HN"
    assert (
        dc.category_agency("construction", "HHTP", "Điều chỉnh quy hoạch chi tiết 1/500, mật độ xây dựng") == "QHKT-HN"
    )
    assert dc.category_agency("construction", "HHTP", "Chậm cấp giấy phép xây dựng nhà xưởng") == "SXD-HN"
    assert (
        dc.category_agency("land", "HHTP", "Còn 12 hộ dân chưa nhận tiền bồi thường, chưa bàn giao mặt bằng")
        == "UBND-HOALAC"
    )
    assert dc.category_agency("land", "HHTP", "Chậm cấp giấy chứng nhận quyền sử dụng đất") == "NNMT-HN"
    assert dc.category_agency("land", "HHTP") == "UBND-HOALAC"
    assert dc.category_agency("land", "KCNSDB", "Còn hộ dân chưa bàn giao mặt bằng") == "NNMT-HN"
    assert dc.category_agency("tax", "KCNTL") == "THUE-HN"
    assert dc.category_agency("nonsense", "KCNTL") == "BQL-HN"


def test_an_unknown_zone_still_generates():
    items = dc.generate(seed=1, count=20, zone_code="KCNPN")
    assert len(items) == 20
    assert all("{" not in i["body"] for i in items)
