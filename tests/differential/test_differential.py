"""Random specs on every installed backend, judged against an oracle that shares no code with nl2opt.

Profiles: ``fast`` (default; deterministic, so CI always runs the same cases) and
``long`` (``NL2OPT_DIFFERENTIAL=long``; random, many more and larger cases). For a
timed run with per-construct counts use ``benchmarks/differential.py --minutes N``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from tests.differential.compare import check_case
from tests.differential.generate import FAST, LONG, cases
from tests.differential.regressions import explained

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "differential-fast",
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=_HEALTH,
)
settings.register_profile(
    "differential-long", max_examples=3000, derandomize=False, deadline=None, suppress_health_check=_HEALTH
)
PROFILE = os.environ.get("NL2OPT_DIFFERENTIAL", "fast")
SIZE = LONG if PROFILE == "long" else FAST


@settings(settings.get_profile(f"differential-{PROFILE}"))
@given(case=cases(SIZE))
def test_every_backend_agrees_with_the_oracle(case) -> None:
    report = check_case(case, piece_limit=1024 if PROFILE == "long" else 256)
    unexplained = [d for d in report.disagreements if not explained(report, d)]
    assert not unexplained, report.describe()
