"""Shift coverage with consecutive shifts, cyclic: 'at least 5 nurses on Monday, 7 on Tuesday ...
each nurse works five consecutive days'.

Decisions are how many people start on each period; a person starting on period e covers
e and the next L - 1 periods, wrapping around (the week repeats; 'around the clock' shifts
repeat every day). Each period's coverage must reach its need; the goal is the fewest people
(or the least pay, when a wage per person is stated). Periods that do not wrap (no weekdays
and no word saying the schedule repeats) are declined with a draft.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import NUM_OR_WORD, NUMBER, Reading, finish, num
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import (
    Constraint,
    ConstraintKind,
    Domain,
    IndexSet,
    ModelSpec,
    Objective,
    Parameter,
    Variable,
)

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NEED_ON = re.compile(r"(\d+)(?:\s+[a-z]+)?\s+(?:on|for)\s+" + _DAY)
_DAY_NEEDS = re.compile(_DAY + r"\s*(?::|needs|requires|calls for)\s*(?:at least\s+)?(\d+)")
_SHIFT_NEEDS = re.compile(
    r"\b(?:shift|period)\s+(\d+)\b[^,;.]*?(?:needs|requires|:)\s*(?:at least\s+)?(\d+)", re.I
)
_CONSECUTIVE = re.compile(r"\b(" + NUM_OR_WORD + r")\s+consecutive\s+(days|shifts|periods)\b", re.I)
_REPEATS = re.compile(r"around the clock|every day|each day|24 hours|repeats|cyclic|wraps", re.I)
_WAGE = re.compile(r"\b(?:paid|costs?|wage of|salary of|earns?)\s+(" + NUMBER + r")", re.I)
_GOAL = re.compile(r"\bminimi[sz]e\b|\bfewest\b|\bsmallest\b|\bleast\b", re.I)


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A cyclic coverage model, a draft, or None when the text is not a shift roster."""
    run = _CONSECUTIVE.search(text)
    if run is None:
        return None
    need: dict[str, float] = {}
    consumed: set[int] = set()
    wage: tuple[int, float] | None = None
    goal = None
    for s in sents:
        found = (
            [(d, n) for n, d in _NEED_ON.findall(s.text)]
            + _DAY_NEEDS.findall(s.text)
            + [(f"shift{p}", n) for p, n in _SHIFT_NEEDS.findall(s.text)]
        )
        for period, n in found:
            need[period] = num(n)
        if found:
            consumed.add(s.index)
        if _CONSECUTIVE.search(s.text):
            consumed.add(s.index)
            if len(s.numbers) > 1:
                consumed.discard(s.index)  # 'works 5 consecutive days at $100 a day': more than the run
        if not found and _WAGE.search(s.text) and len(s.numbers) == 1:
            wage = (s.index, num(_WAGE.search(s.text).group(1)))
            consumed.add(s.index)
        if _GOAL.search(s.text) and not any(t.is_num and not t.spelled for t in s.tokens):
            goal = s.index
            consumed.add(s.index)
    if len(need) < 2:
        return None
    periods = (
        [d for d in _DAYS if d in need]
        if any(p in _DAYS for p in need)
        else sorted(need, key=lambda p: int(p[5:]))
    )
    length = int(num(run.group(1)))
    problems: list[tuple[int, str]] = []
    weekly = any(p in _DAYS for p in need)
    if weekly and len(periods) != 7:
        problems.append((0, "needs were found for only some days of the week: " + ", ".join(periods)))
    if not weekly and not _REPEATS.search(text):
        problems.append(
            (0, "whether the shifts wrap around (the last period followed by the first) is not said")
        )
    if not 1 <= length < len(periods):
        problems.append((0, f"a run of {length} consecutive periods does not fit {len(periods)} periods"))
    if goal is None:
        problems.append((len(sents) - 1, "no goal such as 'minimize the number of nurses' was found"))
    n = len(periods)
    cover = [[1.0 if (i - j) % n < length else 0.0 for j in range(n)] for i in range(n)]
    pay = wage[1] if wage else None

    def build() -> ModelSpec:
        objective = f"{pay:g} * sum(start[p] for p in Periods)" if pay else "sum(start[p] for p in Periods)"
        return ModelSpec(
            name="shift_coverage",
            description=sents[0].text if sents else "",
            sets=[
                IndexSet(name="Periods", elements=periods, description="periods of the repeating schedule")
            ],
            parameters=[
                Parameter(
                    name="need",
                    index=["Periods"],
                    values=[need[p] for p in periods],
                    description="people needed in each period",
                ),
                Parameter(
                    name="covers",
                    index=["Periods", "Periods"],
                    values=cover,
                    description=f"1 when a person starting in the second period works the first ({length} consecutive periods, wrapping around)",
                ),
            ],
            variables=[
                Variable(
                    name="start",
                    index=["Periods"],
                    domain=Domain.INTEGER,
                    lower=0,
                    description="people starting their run in each period",
                )
            ],
            objective=Objective(
                sense="minimize", expression=objective, description="total pay" if pay else "number of people"
            ),
            constraints=[
                Constraint(
                    name="coverage",
                    for_=["p in Periods"],
                    expression="sum(covers[p, q] * start[q] for q in Periods) >= need[p]",
                    kind=ConstraintKind.DEMAND,
                    description="each period has at least the people it needs",
                )
            ],
        )

    return finish("shift coverage", sents, consumed, build, problems)
