"""Every golden model runs on every backend; missing backends are skipped with a reason."""

from __future__ import annotations

import pytest

from nl2opt.backends import available_backends, backend_names


@pytest.fixture(params=backend_names())
def backend(request: pytest.FixtureRequest) -> str:
    name = request.param
    if name not in available_backends():
        pytest.skip(f"backend {name!r} is not installed (pip install nl2opt[{name}])")
    return name
