"""The arrows of DESIGN.md's flow, and the public API, held true by walking imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import nl2opt

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "nl2opt"

PUBLIC = {
    "Attempt", "BackendUnavailableError", "ConfigurationError", "Constraint", "DatasetError", "Diagnostic",
    "Domain", "IndexSet", "ModelSpec", "Nl2OptError", "Objective", "Parameter", "Result", "Sense", "Severity",
    "Status", "UnknownBackendError", "Variable", "__version__", "available_backends", "formulate_and_solve",
    "solve_spec", "backend_names", "strict_json_schema", "Comparison", "compare", "WhatIfError",
    "table_uses",
}

# module prefix -> nl2opt modules it must never import (the flow points down, never up).
FORBIDDEN = {
    "nl2opt.spec": ("nl2opt.expr", "nl2opt.lower", "nl2opt.backends", "nl2opt.formulators", "nl2opt.pipeline"),
    "nl2opt.expr": ("nl2opt.lower", "nl2opt.backends", "nl2opt.formulators", "nl2opt.pipeline", "nl2opt.check",
                    "nl2opt.verify"),
    "nl2opt.program": ("nl2opt.spec", "nl2opt.expr", "nl2opt.lower", "nl2opt.backends", "nl2opt.formulators"),
    "nl2opt.solution": ("nl2opt.spec", "nl2opt.expr", "nl2opt.lower", "nl2opt.backends", "nl2opt.formulators"),
    "nl2opt.backends": ("nl2opt.spec", "nl2opt.expr", "nl2opt.check", "nl2opt.lower", "nl2opt.formulators",
                        "nl2opt.pipeline", "nl2opt.repair", "nl2opt.verify"),
    "nl2opt.lower": ("nl2opt.backends", "nl2opt.formulators", "nl2opt.pipeline", "nl2opt.repair", "nl2opt.verify"),
    "nl2opt.check": ("nl2opt.lower", "nl2opt.backends", "nl2opt.formulators", "nl2opt.pipeline"),
    "nl2opt.verify": ("nl2opt.lower", "nl2opt.backends", "nl2opt.formulators", "nl2opt.pipeline"),
    "nl2opt.result": ("nl2opt.pipeline", "nl2opt.repair", "nl2opt.backends", "nl2opt.lower", "nl2opt.formulators"),
    "nl2opt.pipeline": ("nl2opt.formulators", "nl2opt.repair", "nl2opt.cli", "nl2opt.bench"),
    "nl2opt.formulators": ("nl2opt.backends", "nl2opt.lower", "nl2opt.repair", "nl2opt.cli", "nl2opt.bench"),
}
# Third-party packages only one place may import.
OWNERS = {"openai": "nl2opt/formulators/llm.py", "streamlit": "app.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_flow(path: Path) -> None:
    module = _module(path)
    imported = _imports(path)
    for prefix, banned in FORBIDDEN.items():
        if module == prefix or module.startswith(prefix + "."):
            bad = sorted(i for i in imported for b in banned if i == b or i.startswith(b + "."))
            assert not bad, f"{module} imports {bad} against the flow"


@pytest.mark.parametrize("package, owner", OWNERS.items())
def test_third_party_clients_have_one_owner(package: str, owner: str) -> None:
    files = [*SOURCES, *ROOT.glob("*.py")]
    users = sorted(
        str(p.relative_to(ROOT)) for p in files if any(i == package or i.startswith(package + ".") for i in _imports(p))
    )
    assert set(users) <= {owner}, f"{package} imported outside {owner}: {users}"


@pytest.mark.parametrize("front", ["nl2opt/cli.py", "app.py"])
def test_front_ends_know_only_the_public_api(front: str) -> None:
    path = ROOT / front
    if not path.exists():
        pytest.skip(f"{front} not present")
    allowed = (
        "nl2opt", "nl2opt.export", "nl2opt.bench", "nl2opt.config", "nl2opt.result", "nl2opt.mcp", "nl2opt.textfile"
    )
    internal = sorted(
        i for i in _imports(path)
        if i.startswith("nl2opt.") and not any(i == a or i.startswith(a + ".") for a in allowed[1:])
        and i.rsplit(".", 1)[0] != "nl2opt"
    )
    assert not internal, f"{front} reaches into internals: {internal}"


def test_public_api_is_curated() -> None:
    assert set(nl2opt.__all__) == PUBLIC
    for name in nl2opt.__all__:
        assert getattr(nl2opt, name) is not None


def test_importing_nl2opt_loads_no_solver_or_llm_client() -> None:
    code = (
        "import sys, nl2opt; heavy = [m for m in ('pulp', 'ortools', 'pyomo', 'openai', 'highspy', 'streamlit') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name != "__init__.py"], ids=lambda p: p.stem)
def test_every_module_is_on_the_map(path: Path) -> None:
    """docs/architecture.md maps the code beside DESIGN.md; a new module must say where it sits."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"`{path.stem}.py`" in text or f"`{path.stem}`" in text, f"{path.relative_to(ROOT)} is not on the map"
