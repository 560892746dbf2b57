"""Vietnamese names for synthetic data: provinces, places, people, foreign investors.

Real: the 34 provincial units in force since 1 July 2025 (Resolution 202/2025/QH15) and the
rough position of each one's administrative centre. Weighted by industry (roughly where the
industrial zones are: the south-east and the Red River delta) to spread the zones. Everything
built from these banks is synthetic: no zone, company or person here exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    code: str  # short ASCII code for agency and zone codes
    name: str
    lon: float  # the administrative centre, roughly
    lat: float
    weight: int  # share of the country's industrial zones, roughly
    city: bool = False  # a centrally-run city ("Thành phố", its agencies "TP ...")
    planning_department: bool = False  # a separate Department of Planning and Architecture


PROVINCES: list[Province] = [
    Province("HN", "Hà Nội", 105.85, 21.03, 14, city=True, planning_department=True),
    Province("HUE", "Huế", 107.59, 16.46, 4, city=True),
    Province("HP", "Hải Phòng", 106.68, 20.86, 18, city=True),
    Province("DNG", "Đà Nẵng", 108.21, 16.05, 6, city=True),
    Province("HCM", "Hồ Chí Minh", 106.70, 10.78, 40, city=True, planning_department=True),
    Province("CT", "Cần Thơ", 105.78, 10.03, 5, city=True),
    Province("LCH", "Lai Châu", 103.46, 22.40, 1),
    Province("DB", "Điện Biên", 103.02, 21.39, 1),
    Province("SL", "Sơn La", 103.91, 21.33, 1),
    Province("LS", "Lạng Sơn", 106.76, 21.85, 2),
    Province("QN", "Quảng Ninh", 107.08, 20.95, 10),
    Province("TH", "Thanh Hóa", 105.78, 19.80, 8),
    Province("NA", "Nghệ An", 105.69, 18.67, 6),
    Province("HT", "Hà Tĩnh", 105.90, 18.34, 4),
    Province("CB", "Cao Bằng", 106.26, 22.67, 1),
    Province("TQ", "Tuyên Quang", 105.22, 21.82, 2),
    Province("LCI", "Lào Cai", 104.87, 21.72, 3),
    Province("TN", "Thái Nguyên", 105.85, 21.59, 7),
    Province("PT", "Phú Thọ", 105.40, 21.32, 12),
    Province("BN", "Bắc Ninh", 106.19, 21.27, 20),
    Province("HY", "Hưng Yên", 106.05, 20.65, 14),
    Province("NB", "Ninh Bình", 105.97, 20.25, 10),
    Province("QT", "Quảng Trị", 106.60, 17.47, 3),
    Province("QNG", "Quảng Ngãi", 108.80, 15.12, 5),
    Province("GL", "Gia Lai", 109.22, 13.78, 4),
    Province("KH", "Khánh Hòa", 109.19, 12.24, 4),
    Province("LD", "Lâm Đồng", 108.44, 11.94, 4),
    Province("DL", "Đắk Lắk", 108.04, 12.67, 2),
    Province("DN", "Đồng Nai", 106.82, 10.95, 25),
    Province("TNI", "Tây Ninh", 106.41, 10.54, 18),
    Province("VL", "Vĩnh Long", 105.97, 10.25, 4),
    Province("DT", "Đồng Tháp", 106.36, 10.36, 4),
    Province("CM", "Cà Mau", 105.15, 9.18, 2),
    Province("AG", "An Giang", 105.08, 10.01, 4),
]

# Syllables of Vietnamese place and brand names (with their accents, so that accent-insensitive
# search has something to do).
SYLLABLES = [
    "An", "Ân", "Bình", "Bảo", "Bắc", "Cát", "Châu", "Đại", "Điền", "Định", "Đông", "Đức",
    "Gia", "Hà", "Hải", "Hạnh", "Hậu", "Hiệp", "Hòa", "Hoàng", "Hưng", "Khánh", "Kim", "Lạc",
    "Lộc", "Lợi", "Long", "Minh", "Mỹ", "Nam", "Nghĩa", "Ngọc", "Nhơn", "Phát", "Phong", "Phú",
    "Phước", "Quang", "Quế", "Sơn", "Tài", "Tân", "Tây", "Thái", "Thạnh", "Thành", "Thắng",
    "Thịnh", "Thọ", "Thuận", "Tiến", "Trung", "Trường", "Tường", "Vạn", "Việt", "Vinh", "Vĩnh",
    "Xuân", "Yên",
]  # fmt: skip

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thu", "Hoài", "Gia", "Xuân"]
GIVEN_NAMES = [
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khoa", "Lan", "Linh",
    "Long", "Mai", "Nam", "Ngọc", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
    "Vy", "Yến",
]  # fmt: skip

# Foreign investors: (nationality, names); a brand takes one of these and a suffix by sector.
FOREIGN_NAMES: dict[str, list[str]] = {
    "KR": ["Daeseong", "Hanbit", "Seonjin", "Mirae", "Saebom", "Haneul", "Gaon", "Dasom", "Nuri", "Bitnara",
           "Sejin", "Hwaseong", "Donghae", "Jinwoo", "Yeongil"],
    "JP": ["Kitaura", "Minase", "Hoshida", "Takumi", "Sakurazaka", "Aozora", "Kawabe", "Morinaga", "Tsukide",
           "Yamabuki", "Shirane", "Hinoki", "Asagiri", "Kazahana", "Ishimori"],
    "CN": ["Jinhe", "Qinglan", "Baiyun", "Huaxin", "Longteng", "Xinyuan", "Hengda", "Ruifeng"],
    "TW": ["Jadeview", "Formosa Bay", "Yushan", "Sun Moon", "Tamsui", "Hsinchu Ridge"],
    "SG": ["Merlion", "Straits", "Kallang", "Tanjong"],
    "HK": ["Victoria Peak", "Kowloon Bay", "Harbourfront"],
    "US": ["Redwood", "Lakeshore", "Bluepeak", "Cedarline"],
    "DE": ["Rheinwerk", "Elbtal", "Schwarzwald"],
    "TH": ["Chao Phraya", "Siam Ridge"],
    "MY": ["Seri Teknik", "Lembah"],
}  # fmt: skip
# Second words of foreign brands ("Hanbit Nexus Electronics").
FOREIGN_WORDS = [
    "Advanced", "Alpha", "Asia", "Blue", "Crest", "Delta", "Dynamics", "East", "Element", "Frontier",
    "Global", "Green", "Horizon", "Infinity", "Summit", "Link", "Matrix", "Meridian", "Nexus", "Nova",
    "Orbit", "Pacific", "Pioneer", "Prime", "Quantum", "Ridge", "Sigma", "Smart", "Star", "Unity", "Vina",
    "Vista",
]  # fmt: skip
# How often each nationality invests in Vietnam's zones (roughly: Korea and Japan first).
FOREIGN_WEIGHTS = {"KR": 30, "JP": 22, "CN": 16, "TW": 10, "SG": 8, "HK": 6, "US": 3, "DE": 2, "TH": 2, "MY": 1}
FOREIGN_FORMS = ["Co., Ltd.", "Corporation", "Holdings", "Group", "Industries Co., Ltd."]

PUBLIC_EMAIL_DOMAINS = ["example.vn", "example.com.vn", "example.org"]
