"""The generated corpus (tests/corpus.py): a fixed-seed subset of every layout and knob, read
back; no value may be wrong. benchmarks/fidelity.py runs the same over thousands of documents."""

from __future__ import annotations

import random

import pytest

import corpus
from gdstat import load
from gdstat.catalog import format_ids
from gdstat.errors import InputError
from gdstat.rules import check


@pytest.mark.parametrize("format_id", list(format_ids()))
def test_generated_reports_keep_every_equality_of_their_format(format_id):
    from gdstat.catalog import load_format
    from gdstat.report import Report, Source, Value

    equalities = {rule.id for rule in load_format(format_id).rules if rule.kind in ("sum", "row_total", "balance")}
    for seed in range(5):
        values = corpus.report(random.Random(seed), format_id)
        report = Report(Source("x", "xlsx"), format_id, "示范县司法局", 2022,
                        {c: Value(c, v, "number", str(v)) for c, v in values.items()})
        findings = check(report)
        assert findings is not None and not [f for f in findings if f.rule in equalities]


def test_no_value_is_ever_wrong_in_any_layout(tmp_path):
    totals = {"right": 0, "wrong": 0, "ambiguous": 0, "missing": 0}
    wrong = []
    complete = {}
    for i, (format_id, layout, knob, rng) in enumerate(corpus.documents(seed=7, count=2 * 45)):
        values = corpus.report(rng, format_id)
        path, truth = corpus.render(values, format_id, layout, knob, rng, tmp_path, f"doc{i}")
        try:
            report = load(path)
        except InputError:
            report = None
        counts = corpus.score(truth, report)
        for key, n in counts.items():
            totals[key] += n
        if counts["wrong"]:
            wrong.append((path.name, format_id, layout, knob))
        if knob == "none":
            complete[(format_id, layout)] = counts["right"] == len(truth)
    assert not wrong
    assert totals["right"] > 0.6 * sum(totals.values())
    # an undamaged copy is read whole in every layout
    assert complete and all(complete.values()), [k for k, ok in complete.items() if not ok]
