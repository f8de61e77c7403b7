"""The model's reading is shown beside every answer, so a user can catch a wrong reading.

The five-project case: each project costs and returns (in $1,000) A 30/50, B 40/60,
C 20/36, D 50/72, E 25/40, with a budget of 100, and "each project is either fully selected
or not at all". Read as yes/no choices, the best affordable set is A + C + D (cost 100,
return 158); every other set within budget returns less (A+B+C 146, A+B+E 150, C+D+E 148).
Read as whole numbers with no upper limit, five of C (cost 100) return 180: the wrong
answer a model that drops the yes/no sentence gives.
"""

from __future__ import annotations

from typer.testing import CliRunner

from nl2opt.cli import app
from nl2opt.reading import decision
from nl2opt.repair import formulate_and_solve

FIVE_PROJECTS = (
    "A firm is choosing among five projects. Project A costs $30,000 and returns $50,000. Project B costs "
    "$40,000 and returns $60,000. Project C costs $20,000 and returns $36,000. Project D costs $50,000 and "
    "returns $72,000. Project E costs $25,000 and returns $40,000. The budget is $100,000. Each project is "
    "either fully selected or not at all. Which projects should be selected to maximize the total return?"
)


def test_the_five_project_answer_is_158000_or_warned_about_with_its_reading_shown() -> None:
    result = formulate_and_solve(FIVE_PROJECTS, formulator="rules")
    if result.objective == 158_000:
        return  # the offline formulator read the yes/no sentence: nothing to warn about
    assert result.objective == 180_000
    codes = {d.code for d in result.diagnostics}
    assert "verify.yes-no-unmodelled" in codes
    assert any(
        line.startswith("project_e: whole number, 0 or more, no upper limit") for line in result.reading
    )
    assert "project_e: whole number, 0 or more, no upper limit" in result.explanation
    assert "fully selected or not at all" in result.explanation


def test_the_cli_shows_the_reading_beside_the_answer() -> None:
    spec = formulate_and_solve(FIVE_PROJECTS, formulator="rules").spec
    out = CliRunner().invoke(app, ["solve", "--formulator", "rules", FIVE_PROJECTS]).output
    assert "Whether the model reads your text as you meant is for you to judge" in out
    assert spec is not None and all(decision(v) in out for v in spec.variables)
