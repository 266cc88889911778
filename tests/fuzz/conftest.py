"""Hostile inputs: each test may lower a limit; it is put back afterwards. Messages in English."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def default_limits(monkeypatch):
    from gdstat import limits

    monkeypatch.delenv(limits.ENVIRONMENT, raising=False)
    monkeypatch.setenv("GDSTAT_LANG", "en")  # messages are matched in English
    monkeypatch.setattr(limits, "_values", None)
    yield
