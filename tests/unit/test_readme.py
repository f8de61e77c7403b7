"""README's promises: its two commands, and its spec example, stay true."""

from __future__ import annotations

import re
from pathlib import Path

import nl2opt

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands() -> None:
    install_and_run, install_and_test = _commands()
    assert "streamlit run app.py" in install_and_run
    assert "pytest" in install_and_test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci


def test_readme_spec_example_solves_to_its_stated_optimum() -> None:
    example = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    result = nl2opt.solve_spec(example)
    assert result.status is nl2opt.Status.OPTIMAL
    assert result.objective == 1707.5
    assert "(optimum 1707.5)" in README


def test_readme_python_example_is_answered_offline() -> None:
    import ast

    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    call = next(n for n in ast.walk(ast.parse(block)) if isinstance(n, ast.Call)
                and getattr(n.func, "attr", "") == "formulate_and_solve")
    result = nl2opt.formulate_and_solve(call.args[0].value)
    assert result.formulator == "rules"
    assert (result.status.value, result.objective) == ("optimal", 165.0)
    assert f"{result.values}" in block
