# Django's own Vietnamese formats, with the thousands grouped as Vietnamese documents do
# (115.500 tỷ đồng); Django's `vi` locale sets no grouping.
from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
