from decimal import Decimal

from gdstat.metrics import round_half_up, share


def test_round_half_up_not_bankers():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round(0.125, 2) == 0.12  # what float rounding would have given
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")


def test_share_is_a_half_up_percentage():
    assert share(58, 72) == Decimal("80.6")
    assert share(1, 8, 0) == Decimal("13")  # 12.5 -> 13
    assert share(1, 8, 1) == Decimal("12.5")
    assert share(1, 800, 2) == Decimal("0.13")  # 0.125 -> 0.13


def test_share_undefined_without_denominator():
    assert share(0, 0) is None
    assert share(None, 5) is None
    assert share(5, None) is None
