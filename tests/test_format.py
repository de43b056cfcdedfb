"""Numbers with uncertainties print with as many places as the uncertainty needs."""

from __future__ import annotations

import math

import pytest

from ebp._format import decimals_for, plus_minus


@pytest.mark.parametrize(
    ("error", "places"),
    [(0.03, 2), (0.25, 2), (0.0031, 3), (0.0012, 4), (0.00012, 5), (0.0, 2), (math.nan, 2)],
)
def test_decimals_show_one_significant_digit_of_the_error(error, places):
    assert decimals_for(error) == places


def test_a_small_error_is_not_printed_as_zero():
    assert plus_minus(-0.99871, 0.00031) == "-0.9987 ± 0.0003"
    assert plus_minus(-0.98, 0.03) == "-0.98 ± 0.03"
    assert plus_minus(1.5, 0.0, sign=False) == "1.50 ± 0.00"
    assert plus_minus(0.123456, 0.0004, least=3) == "+0.1235 ± 0.0004"
