"""Amounts of đồng as people write them (`core.money.parse_amount`): a pure function, no database.

The report form reads its amounts with it; static/zonedesk/amounts.js mirrors the same rules in
the browser (tests/browser/test_report_amounts.py checks a few of these there too)."""

from __future__ import annotations

import pytest
from django.utils import translation

from zonedesk.core.money import MAX_VND, AmountError, format_amount, parse_amount


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("written", "dong"),
    [
        # digits, grouped or not
        ("1500000000", 1_500_000_000),
        ("1.500.000.000", 1_500_000_000),
        ("1,500,000,000", 1_500_000_000),
        ("1 500 000 000", 1_500_000_000),
        ("1\u00a0500\u00a0000\u00a0000", 1_500_000_000),
        ("1.500", 1_500),  # whole đồng: a group of three is thousands, never a decimal
        ("0", 0),
        ("  250.000  ", 250_000),
        ("1.500.000.000 đ", 1_500_000_000),
        ("1.500.000.000 VNĐ", 1_500_000_000),
        ("1.500.000.000₫", 1_500_000_000),
        ("1.500.000,00", 1_500_000),  # both separators: the last one is the decimal point
        # Vietnamese units, with and without diacritics, either decimal separator
        ("1,5 tỷ", 1_500_000_000),
        ("1.5 tỷ", 1_500_000_000),
        ("1,5 tỉ", 1_500_000_000),
        ("1,5 ty", 1_500_000_000),
        ("1,5tỷ", 1_500_000_000),
        ("1,5 Tỷ đồng", 1_500_000_000),
        ("0,500 tỷ", 500_000_000),  # "0," is never thousands
        ("250 triệu", 250_000_000),
        ("250 trieu", 250_000_000),
        ("250tr", 250_000_000),
        ("2 tỷ 300 triệu", 2_300_000_000),
        ("2 tỷ 300 triệu đồng", 2_300_000_000),
        ("1 tỷ 2 triệu 500 nghìn", 1_002_500_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500 nghin", 500_000),
        ("750k", 750_000),
        ("1.234,5 triệu", 1_234_500_000),
        ("12 tỷ", 12_000_000_000),
        # English units
        ("1.5 billion", 1_500_000_000),
        ("2 billion", 2_000_000_000),
        ("1.5bn", 1_500_000_000),
        ("250 million", 250_000_000),
        ("3 thousand", 3_000),
        ("1,234.5 million", 1_234_500_000),
        # Unicode: decomposed diacritics (as some keyboards send them) read the same
        ("1,5 ty\u0309", 1_500_000_000),
        ("+1.000", 1_000),
        (1_500_000_000, 1_500_000_000),
    ],
)
def test_amounts_as_people_write_them(written, dong):
    assert parse_amount(written) == dong
    assert isinstance(parse_amount(written), int)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("-5", "cannot be negative"),
        ("−1.500.000", "cannot be negative"),
        ("-1,5 tỷ", "cannot be negative"),
        ("âm 5 triệu", "cannot be negative"),
        (-3, "cannot be negative"),
        # ambiguous: a decimal or thousands?
        ("1.500 tỷ", "can be read two ways"),
        ("1,500 triệu", "can be read two ways"),
        # a fraction of a đồng
        ("1,5", "fraction of a đồng"),
        ("12.345.678,9", "fraction of a đồng"),
        ("1,0000000005 tỷ", "not a whole number of đồng"),
        ("1,0000000000000000000000000001 tỷ", "not a whole number of đồng"),  # past Decimal's 28 digits
        ("9" * 70, "too many digits"),
        ("1٣", "not an amount we can read"),  # digits of other scripts are not read as digits
        # not an amount
        ("abc", "not an amount we can read"),
        ("1,5 tỷ đô", "not an amount we can read"),
        ("2 tỷ 300", "write the unit of 300"),  # 300 of what?
        ("1.5.0", "not an amount we can read"),
        ("1.50.000", "not an amount we can read"),
        ("1.", "not an amount we can read"),
        ("1,5 tỷ 3", "write the unit of 3"),
        ("12 34", "not an amount we can read"),
        ("1e9", "not an amount we can read"),
        ("²", "not an amount we can read"),
        (True, "not an amount we can read"),
        # units in the wrong order
        ("300 triệu 2 tỷ", "larger unit first"),
        ("5 triệu 5 triệu", "larger unit first"),
        # too large for the database
        (f"{MAX_VND + 1}", "too large"),
        ("2 tỷ tỷ", "not an amount we can read"),
    ],
)
def test_what_is_not_read_says_why(written, says):
    with pytest.raises(AmountError) as caught:
        parse_amount(written)
    assert says in caught.value.message


def test_an_ambiguous_amount_offers_both_readings():
    with pytest.raises(AmountError) as caught:
        parse_amount("1.500 tỷ")
    assert "1,5 tỷ" in caught.value.message and "1500 tỷ" in caught.value.message


def test_the_messages_are_in_vietnamese_too():
    with translation.override("vi"), pytest.raises(AmountError) as caught:
        parse_amount("-5")
    assert "âm" in caught.value.message


def test_amounts_are_shown_grouped_as_the_language_groups_them_and_read_back():
    with translation.override("vi"):
        assert format_amount(1_500_000_000) == "1.500.000.000"
        assert format_amount(0) == "0"
        assert format_amount(None) == ""
    with translation.override("en"):
        assert format_amount(1_500_000_000) == "1,500,000,000"  # an English page's form, not 1.500.000.000
    for language in ("vi", "en"):
        with translation.override(language):
            assert parse_amount(format_amount(12_345_678_901)) == 12_345_678_901
