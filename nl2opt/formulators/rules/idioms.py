"""Goals said in everyday idiom, with no 'maximize' or 'minimum' in them.

- 'as cheaply as possible', 'at the lowest cost', 'at least cost' -> minimize cost;
- 'keep the (daily) wage bill as low as possible', 'keep costs down' -> minimize that money;
- 'earn the most', 'make as much money as possible', 'raise the most' -> maximize what is earned;
- 'reach as many people as possible' -> maximize the people reached;
- no goal word at all, 'How many of each should she make?', when the only money per unit is
  what each decision earns -> maximize that profit.

Each idiom names its money or its counted noun, so that :mod:`build` matches it against
the per-unit amounts like any other goal; an idiom about something the text gives no
per-unit amount of still declines there.
"""

from __future__ import annotations

from nl2opt.formulators.rules.facts import Analysis, Goal
from nl2opt.formulators.rules.lexicon import OBJECTIVE_MONEY, STOP
from nl2opt.formulators.rules.sentences import Sentence, Token

_SPENT = frozenset(w for w, kinds in OBJECTIVE_MONEY.items() if kinds == ("cost",))
_LOW = frozenset({"down", "low", "lowest", "minimum", "small", "smallest"})
_EARN = {"earn": "profit", "make": "profit", "raise": "revenue", "bring": "revenue", "gain": "profit"}
_FOLLOW = frozenset({"?", ".", ",", "!", ";", "and", "this", "next", "per", "a", "each", "in", "from", "with", "possible", "it", "they", "she", "he", "we", "i"})
_CALENDAR = frozenset({"day", "week", "month", "year", "season", "quarter", "annum"})
"""'earn the most per week': the plan's period. Any other 'per' ('per hour', 'per mug') asks for a ratio."""
_UNREAD_GOAL = frozenset({"most", "least", "fewest", "highest", "lowest", "largest", "smallest", "maximum", "minimum"})
_CHEAP = frozenset({"cheaply", "cheap", "inexpensively"})


def idiom_goal(toks: list[Token]) -> tuple[str, list[str], int, int] | None:
    """The goal an idiom states: its sense, the words it totals and its token range; None when there is none."""
    lem = [t.lemma for t in toks]
    n = len(lem)
    for i in range(n):
        if lem[i] == "as" and i + 3 < n and lem[i + 1] in _CHEAP and lem[i + 2] == "as" and lem[i + 3] == "possible":
            return "minimize", ["cost"], i, i + 4
        if (lem[i] == "at" and i + 2 < n and lem[i + 1:i + 3] in (["least", "cost"], ["lowest", "cost"])) or lem[i:i + 4] == ["at", "the", "lowest", "cost"]:
            return "minimize", ["cost"], i, i + (4 if lem[i + 1] == "the" else 3)
        if lem[i] == "keep":
            kept = _kept_low(lem, i)
            if kept is not None:
                return "minimize", [kept[0]], i, kept[1]
        if lem[i] in _EARN:
            earned = _earn_most(lem, i)
            if earned is not None:
                return "maximize", [earned[0]], i, earned[1]
        if lem[i : i + 2] == ["as", "many"] and i + 4 < n:
            j = i + 2
            while j < n and toks[j].kind == "word" and lem[j] not in STOP:
                j += 1
            if j > i + 2 and lem[j : j + 2] == ["as", "possible"] and i > 0 and toks[i - 1].kind == "word" and lem[i - 1] not in STOP:
                return "maximize", [lem[j - 1]], i, j + 2  # 'reach as many people as possible'
    return None


def _kept_low(lem: list[str], i: int) -> tuple[str, int] | None:
    """'keep the daily wage bill as low as possible', 'keep costs down': the money word and the idiom's end."""
    j = i + 1
    money = None
    while j < len(lem) and j <= i + 5 and lem[j] not in _LOW and lem[j] != "as":
        if lem[j] in _SPENT:
            money = lem[j]
        j += 1
    if money is None or j >= len(lem):
        return None
    if lem[j] in _LOW:
        return money, j + 1
    if lem[j : j + 4] in (["as", "low", "as", "possible"], ["as", "small", "as", "possible"]):
        return money, j + 4
    return None


def _earn_most(lem: list[str], i: int) -> tuple[str, int] | None:
    """'earn the most', 'make the most money', 'make as much profit as possible': what is earned and the end."""
    money = _EARN[lem[i]]
    j = i + 1
    if lem[i] == "bring" and j < len(lem) and lem[j] == "in":
        j += 1
    if lem[j : j + 2] == ["the", "most"]:
        end = j + 2
    elif lem[j : j + 2] == ["as", "much"]:
        k = j + 2
        while k < len(lem) and k <= j + 4 and lem[k] != "as":
            k += 1
        if lem[k : k + 2] != ["as", "possible"]:
            return None
        end = k + 2
    else:
        return None
    if end + 1 < len(lem) and lem[end] == "per" and lem[end + 1] not in _CALENDAR:
        return None  # 'earn the most per hour', 'per mug': a ratio to maximise, not a total
    named = [w for w in lem[j + 2:end] if w in OBJECTIVE_MONEY]
    if end < len(lem) and lem[end] in OBJECTIVE_MONEY:
        named.append(lem[end])
        end += 1
    elif end < len(lem) and lem[end] == "money":
        end += 1
    elif end < len(lem) and lem[end] not in _FOLLOW:
        return None  # 'make the most chairs', 'make the most of': not money earned
    return (named[0] if named else money), end


def implied_goal(sents: list[Sentence], analysis: Analysis, names: list[str], words: set[str] = frozenset()) -> Goal | None:
    """'How many of each should she make?' when every decision earns a profit and nothing else is money.

    ``words`` name the decisions; the question must ask about them ('of each', 'how many rugs').

    A plan asked for with no goal word, where the only money stated per unit is what each
    decision earns, is the plan that earns the most: the textbook reading of such questions.
    Any cost, price or return, or a decision without its profit, leaves the goal unstated.
    """
    if analysis.goals or not sents:
        return None
    last = sents[-1].tokens
    asks_plan = len(last) > 1 and (last[0].lemma == "which" or (last[0].lemma == "how" and last[1].lemma in ("many", "much")))
    if not asks_plan or last[-1].text != "?" or any(t.is_num for t in last):
        return None  # 'What profit will this plan make?' asks to evaluate a plan, not to choose one
    if any(t.lemma in _UNREAD_GOAL for t in last):
        return None  # 'to earn the most per hour': a goal is stated, in words no reader took
    if not any(t.lemma == "each" or t.lemma in words for t in last):
        return None  # 'How many hours of kiln time will be used?' asks for something else than the decisions
    kinds = {c.money for c in analysis.coefs if c.money}
    earned = {c.var for c in analysis.coefs if c.money == "profit"}
    if kinds != {"profit"} or earned != set(names):
        return None
    return Goal("maximize", frozenset({"profit"}), sents[-1].index)
