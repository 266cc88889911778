"""Fuzzing in the normal suite, kept fast: Hypothesis strategies over the readers (in this process:
any exception but InputError is a bug) and a small corpus of mutated inputs of every kind through
the real CLI in killable workers. ``benchmarks/fuzz.py`` runs the same check on thousands."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import corpus, hostile
from gdstat.errors import InputError

@pytest.fixture(scope="module")
def seed_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    return {path.name: path.read_bytes() for path in corpus.seeds(folder)}


def _summarize_or_refuse(path) -> None:
    """What every input must do in the library: give a Summary whose JSON is strict, or raise InputError."""
    from gdstat import api
    from gdstat.render import to_json

    try:
        summary = api.summarize(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    json.loads(to_json(summary.to_dict()), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


_SAFE = ("seed.csv", "seed.tsv", "seed-report.txt", "seed-2021.txt", "seed.html", "seed.docx", "seed.xlsx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(name=st.sampled_from(_SAFE), seed=st.integers(0, 2 ** 32 - 1))
def test_mutated_inputs_are_read_or_refused(tmp_path, seed_files, name, seed):
    """Seeds of the readers that run in this process (xls is left to the corpus: calamine's xls
    reader can loop forever, so it runs only in a killable child)."""
    path = tmp_path / f"m-{name}"
    path.write_bytes(corpus.mutate(seed_files[name], random.Random(seed)))
    _summarize_or_refuse(path)


CELLS = st.one_of(st.text(max_size=30), st.sampled_from(corpus.NASTY),
                  st.from_regex(r"[+-]?[0-9,，.\s]{1,30}", fullmatch=True),
                  st.integers(-10 ** 45, 10 ** 45).map(str), st.floats(allow_nan=True).map(repr))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["（一）收到申请数", "3.网络申请数", "1.按时办结数", "2.同意公开答复数"]),
                              CELLS, max_size=4))
def test_an_official_table_with_any_cell_text_is_read_or_refused(tmp_path, values):
    clean = {k: v.encode("utf-8", "replace").decode().replace('"', "").replace("\n", " ").replace("\r", " ")
             for k, v in values.items()}
    _summarize_or_refuse(hostile.official_csv(tmp_path, "cells.csv", clean))


@given(text=CELLS)
def test_a_cell_is_a_number_text_or_too_long(text):
    from gdstat import limits
    from gdstat.cells import parse

    try:
        kind, value, raw, _ = parse(text)
    except limits.TooLarge as exc:
        assert exc.limit == "digits"
        return
    assert kind in ("number", "text", "blank", "not-applicable") and raw == text
    assert (value is not None) == (kind == "number")


@given(rows=st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=6),
                     max_size=12))
@settings(max_examples=60, deadline=None)
def test_any_csv_text_is_read_or_refused(rows):
    import tempfile
    from pathlib import Path

    text = "\n".join(",".join(row) for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.csv"
        path.write_text(text, encoding="utf-8")
        _summarize_or_refuse(path)


def test_a_corpus_of_mutated_inputs_through_the_cli(tmp_path):
    """Every kind, xls included, through the real CLI in killable workers: exit 0, 1 or 3, no
    traceback, strict JSON, no hang."""
    paths = corpus.make_inputs(tmp_path, seed=11, count=30)
    verdicts = list(corpus.run(paths, jobs=2, seconds=30, limit=5))
    assert len(verdicts) == 30
    problems = [(v.path, v.problem) for v in verdicts if v.problem]
    assert problems == []
    assert {v.code for v in verdicts} <= {0, 1, 3}


def test_the_xls_that_looped_forever_meets_the_time_limit():
    from pathlib import Path

    path = Path(__file__).parent / "reproducers" / "xls-hang.xls"
    [verdict] = corpus.run([str(path)], jobs=1, seconds=30, limit=2)
    assert verdict.code == 3 and verdict.problem is None and verdict.seconds < 15
