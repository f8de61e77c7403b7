"""Fixtures of the benchmark tests."""

from __future__ import annotations

import sys

import pytest

_MAIN = sys.modules["__main__"]
"""pytest's own ``__main__``, as it was when the tests were collected."""


@pytest.fixture(autouse=True)
def _pytest_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers re-run the parent's ``__main__`` script, as multiprocessing does; give them pytest's.

    Streamlit's AppTest (tests/app) leaves ``app.py`` installed as ``__main__``, so without this
    every worker forked after those tests would run the web app first.
    """
    monkeypatch.setitem(sys.modules, "__main__", _MAIN)
