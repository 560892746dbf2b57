"""The land-use categories of the plan (reference data the board may extend), with map colours.

Codes follow the abbreviations of Vietnamese zoning plans; `leasable` marks the land for
investment projects, the basis of the land registration rate.
"""

from django.db import migrations

LAND_USES = [
    # code, Vietnamese, English, colour, leasable
    ("PM", "Công viên phần mềm", "Software park", "#5c6bc0", True),
    ("NC", "Nghiên cứu và phát triển", "Research and development", "#8e24aa", True),
    ("CNC", "Công nghiệp công nghệ cao", "Hi-tech industry", "#a1887f", True),
    ("GD", "Giáo dục và đào tạo", "Education and training", "#fb8c00", True),
    ("TT", "Trung tâm", "Centre", "#e53935", True),
    ("DV", "Dịch vụ", "Services", "#ec407a", True),
    ("O", "Nhà ở", "Housing", "#fdd835", True),
    ("CX", "Cây xanh", "Green space", "#66bb6a", False),
    ("TDTT", "Thể dục thể thao", "Sport", "#9ccc65", False),
    ("HT", "Hạ tầng kỹ thuật", "Technical infrastructure", "#78909c", False),
    ("GT", "Giao thông", "Transport", "#bdbdbd", False),
    ("MN", "Mặt nước", "Water surface", "#4fc3f7", False),
]


def seed(apps, schema_editor):
    LandUse = apps.get_model("planning", "LandUse")
    for order, (code, vi, en, color, leasable) in enumerate(LAND_USES, 1):
        LandUse.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "color": color, "leasable": leasable, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
