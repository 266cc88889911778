"""Value and Location: however they are made, they are the same frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest

from gdstat.report import Location, Value, make_location, make_value


def test_made_and_constructed_are_the_same():
    location = Location("a.xlsx", "统计表", "B7")
    made_location = make_location("a.xlsx", "统计表", "B7")
    assert made_location == location and type(made_location) is Location
    assert hash(made_location) == hash(location) and repr(made_location) == repr(location)
    assert make_location("a.txt", None, None, 12) == Location("a.txt", line=12)
    value = Value("r@c", Decimal("2.5"), "number", "2.5", location, "万元", "labelled")
    made_value = make_value("r@c", Decimal("2.5"), "number", "2.5", made_location, "万元", "labelled")
    assert made_value == value and type(made_value) is Value and repr(made_value) == repr(value)
    assert Value("r", None, "blank", "") == make_value("r", None, "blank", "")
    assert Value("r", None, "blank", "").location is None and Value("r", None, "blank", "").placement is None


@pytest.mark.parametrize("made", [Value("r", 3, "number", "3", Location("a.xlsx", "s", "A1")),
                                  make_value("r", 3, "number", "3", make_location("a.xlsx", "s", "A1"))])
def test_values_stay_frozen_and_behave_as_dataclasses(made):
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.location.cell = "B2"
    assert pickle.loads(pickle.dumps(made)) == made
    assert copy.deepcopy(made) == made
    assert dataclasses.replace(made, value=4).value == 4 and made.value == 3
    assert dataclasses.asdict(made)["location"] == {"path": "a.xlsx", "sheet": "s", "cell": "A1", "line": None}
    assert str(made.location) == "a.xlsx!s!A1"
