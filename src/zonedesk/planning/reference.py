"""Reference data of the plan: the default land-use categories.

Codes follow the abbreviations of Vietnamese zoning plans; `leasable` marks the land for
investment projects, the basis of the land registration rate. Migration 0002 writes them;
`ensure_land_uses` (run after every `migrate` and after a test database is flushed) writes
them again only when the table is empty, so that an admin's changes are kept.
"""

from __future__ import annotations

LAND_USES = [
    # code, Vietnamese, English, colour, leasable
    ("PM", "Công viên phần mềm", "Software park", "#5c6bc0", True),
    ("NC", "Nghiên cứu và phát triển", "Research and development", "#8e24aa", True),
    ("CNC", "Công nghiệp công nghệ cao", "Hi-tech industry", "#a1887f", True),
    ("GD", "Giáo dục và đào tạo", "Education and training", "#fb8c00", True),
    ("TT", "Trung tâm", "Centre", "#e53935", False),
    ("DV", "Dịch vụ", "Services", "#ec407a", False),
    ("O", "Nhà ở", "Housing", "#fdd835", False),
    ("CX", "Cây xanh", "Green space", "#66bb6a", False),
    ("TDTT", "Thể dục thể thao", "Sport", "#9ccc65", False),
    ("HT", "Hạ tầng kỹ thuật", "Technical infrastructure", "#78909c", False),
    ("GT", "Giao thông", "Transport", "#bdbdbd", False),
    ("MN", "Mặt nước", "Water surface", "#4fc3f7", False),
]


def write_land_uses(LandUse) -> None:
    for order, (code, vi, en, color, leasable) in enumerate(LAND_USES, 1):
        LandUse.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "color": color, "leasable": leasable, "order": order}
        )


def ensure_land_uses(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the defaults, when there are no land uses at all."""
    from django.db import connections

    from zonedesk.planning.models import LandUse

    if "planning_landuse" not in connections[using].introspection.table_names():
        return
    if not LandUse.objects.using(using).exists():
        write_land_uses(LandUse)
