"""explain.latex escapes every name, index and string: a spec cannot inject LaTeX.

The oracle is structural: the only control sequences in the output are the ones the
writer itself uses, braces balance once escaped braces are set aside, and no ``%``
(a comment to the end of the line) or ``^``/``~`` is left bare.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from nl2opt import ModelSpec
from nl2opt.explain import latex

PAYLOAD = r"}\immediate\write18{touch pwned}\input{/etc/passwd}\iffalse{"

HOSTILE: dict[str, Any] = {
    "name": "t",
    "sets": [{"name": PAYLOAD, "elements": ["a"]}, {"name": "S%", "elements": [PAYLOAD, "b"]}],
    "variables": [
        {"name": "x", "index": [PAYLOAD], "upper": 3},
        {"name": "%", "upper": 1},
        {"name": "y_total", "index": ["S%"]},
        {"name": "^~$&#_", "upper": 2},
    ],
    "objective": {"sense": "maximize", "expression": f"x[{PAYLOAD!r}] + y_total[{PAYLOAD!r}] + bad}}name"},
    "constraints": [
        {"name": r"c\write18{x}", "for": [f"s in {PAYLOAD}"], "expression": "y_total[s] <= 1"},
        {"name": "ok", "expression": "sum(y_total[s] for s in S) <= 4\n\\input{x}"},
    ],
}

ALLOWED = {
    r"\begin",
    r"\end",
    r"\max",
    r"\min",
    r"\quad",
    r"\text",
    r"\mathit",
    r"\in",
    r"\mathbb",
    r"\ge",
    r"\le",
    r"\forall",
    r"\sum",
    r"\left",
    r"\right",
    r"\cdot",
    r"\frac",
    r"\ne",
    r"\wedge",
    r"\vee",
    r"\neg",
    r"\Rightarrow",
    r"\operatorname",
    r"\textbackslash",
    r"\textasciicircum",
    r"\textasciitilde",
    r"\;",
    r"\,",
    r"\ ",
    r"\\",
    r"\{",
    r"\}",
    r"\%",
    r"\_",
    r"\$",
    r"\&",
    r"\#",
}


@pytest.fixture(scope="module")
def tex() -> str:
    return latex(ModelSpec.model_validate(HOSTILE))


def test_only_the_writers_own_commands_appear(tex: str) -> None:
    used = set(re.findall(r"\\(?:[A-Za-z]+|.)", tex, flags=re.DOTALL))
    assert used <= ALLOWED, sorted(used - ALLOWED)
    assert r"\input" not in used and r"\write" not in used and r"\immediate" not in used


def test_braces_balance_and_nothing_is_commented_out(tex: str) -> None:
    bare = re.sub(r"\\[{}%$&#_]", "", tex)
    depth = 0
    for ch in bare:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    for ch in "%^~$#":
        assert ch not in bare, ch
    assert all(line.count("&") <= 1 for line in bare.splitlines()), "one alignment mark per line, no more"


def test_each_line_is_a_line_of_the_model(tex: str) -> None:
    lines = tex.splitlines()
    assert lines[0] == r"\begin{aligned}" and lines[-1] == r"\end{aligned}"
    assert all(line.startswith(("&", r"\max", r"\text{s.t.}")) for line in lines[1:-1]), lines


def test_plain_names_stay_readable() -> None:
    spec = ModelSpec.model_validate(
        {
            "variables": [{"name": "flour_use"}, {"name": "x"}],
            "objective": {"sense": "minimize", "expression": "flour_use + x"},
        }
    )
    tex = latex(spec)
    assert r"\mathit{flour\_use}" in tex and r"\min\quad & \mathit{flour\_use} + x" in tex
