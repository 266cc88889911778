from decimal import Decimal

import pytest

from gdstat.cells import parse


@pytest.mark.parametrize(
    "raw, kind, value, unit",
    [
        (72, "number", 72, None),
        (72.0, "number", 72, None),
        (27.5, "number", Decimal("27.5"), None),
        ("72", "number", 72, None),
        ("１２６８３", "number", 12683, None),
        ("12,683", "number", 12683, None),
        ("251000元", "number", 251000, "元"),
        ("3.75万元", "number", Decimal("3.75"), "万元"),
        ("-8", "number", -8, None),
        (" 0 ", "number", 0, None),
        (None, "blank", None, None),
        ("", "blank", None, None),
        ("　", "blank", None, None),
        ("/", "not-applicable", None, None),
        ("-", "not-applicable", None, None),
        ("—", "not-applicable", None, None),
        ("无", "not-applicable", None, None),
        ("见附件", "text", None, None),
        ("约50", "text", None, None),
    ],
)
def test_parse(raw, kind, value, unit):
    got_kind, got_value, _, got_unit = parse(raw)
    assert (got_kind, got_value, got_unit) == (kind, value, unit)
    if value is not None:
        assert type(got_value) is type(value)


def test_blank_and_slash_are_both_unreported_but_distinct():
    assert parse(None)[1] is None and parse("/")[1] is None
    assert parse(None)[0] != parse("/")[0]
