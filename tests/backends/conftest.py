"""The ``backend`` fixture: every registered backend, skipped with a reason when not installed."""

from __future__ import annotations

import pytest

from nl2opt.backends import available_backends, backend_names, get_backend
from nl2opt.backends.base import Backend


@pytest.fixture(params=backend_names())
def backend(request: pytest.FixtureRequest) -> Backend:
    name = request.param
    if name not in available_backends():
        pytest.skip(f"backend {name!r} is not installed (pip install nl2opt[{name}])")
    return get_backend(name)
