"""What a number measures: the words after it, the kind of money it is, lists sharing a unit.

Helpers of the sentence rules (:mod:`patterns`), kept apart so each module stays small.
"""

from __future__ import annotations

from nl2opt.formulators.rules.elision import elided_unit
from nl2opt.formulators.rules.lexicon import CAPACITY_WORDS, MONEY_KINDS, REQUIREMENT_WORDS, STOP, UNITS
from nl2opt.formulators.rules.sentences import Token

PHRASE_STOPS = frozenset({"and", "or", "while", "but", "per", "each", "every", "whereas", "to", "if", "which", "that", "respectively"})
TOTAL_WORDS = frozenset({"total", "combined", "altogether", "overall", "all", "sum", "together", "combine"})
NOT_ATTRIBUTE = CAPACITY_WORDS | REQUIREMENT_WORDS | TOTAL_WORDS | {"along", "additional", "extra", "least", "most", "up", "minimum", "maximum", "necessary", "there", "further", "only", "also", "get", "intake", "consume", "take", "use", "week", "day", "month", "year", "daily", "weekly", "monthly", "yearly", "annually"}


def money_kind(toks: list[Token], n: Token, lo: int, hi: int) -> str | None:
    best = None
    for t in toks[lo:hi]:
        kind = MONEY_KINDS.get(t.lemma) or MONEY_KINDS.get(stem(t.lemma))
        if kind == "profit" and stem(t.lemma) == "earn" and t.index < n.index and per_time(toks, n):
            kind = "cost"  # 'nurses earning $900 a week': pay for time worked is what the employer spends
        if kind == "cost" and n.percent and not n.money and stem(t.lemma) in ("pay", "paid") and t.index < n.index:
            kind = "return"  # 'bonds pay 4% per year': a rate paid to the holder, never a price
        if kind is None:
            continue
        if t.index > n.index and any(x.lemma in ("and", ",", "while", "but", ";") for x in toks[n.index + 1:t.index]):
            continue  # '$20 and yields a profit of $8': 'yield' names the next amount
        dist = abs(t.index - n.index) + (0 if t.index < n.index else 0.5)
        if best is None or dist < best[0]:
            best = (dist, kind)
    if best is None and n.money and n.index > lo and toks[n.index - 1].lemma == "make" and n.index + 1 < hi and toks[n.index + 1].lemma == "on":
        return "profit"  # 'we make $2.50 on each loaf': what is made on a sale is its profit
    return best[1] if best else None


def per_time(toks: list[Token], n: Token) -> bool:
    """'$900 a week', '$25 per hour': an amount paid for a span of time."""
    nxt = [t.lemma for t in toks[n.index + 1:n.index + 3]]
    return len(nxt) == 2 and nxt[0] in ("per", "a", "an", "each", "every") and nxt[1] in _TIME_SPANS


_TIME_SPANS = frozenset({"hour", "hr", "day", "week", "month", "year", "shift"})


def stem(word: str, past: bool = False) -> str:
    """'watering' -> 'water', 'cutting' -> 'cut' (and with ``past`` 'checked' -> 'check', 'emptied' -> 'empty').

    Lets 'to water' match 'available for watering'.
    """
    if past and word.endswith("ied") and len(word) > 5:
        return word[:-3] + "y"
    if (word.endswith("ing") and len(word) > 5) or (past and word.endswith("ed") and len(word) > 5 and word[-3] != "e"):
        base = word[:-3] if word.endswith("ing") else word[:-2]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsfz":
            base = base[:-1]
        return base
    return word


def words_after(toks: list[Token], n: Token, hi: int) -> list[str]:
    """Content words naming what the number measures: '2 hours on the sewing machine' -> hour, sewing, machine."""
    unit = elided_unit(toks, n)
    words = [unit] if unit else []  # '6 hours of cutting and 2 of finishing'
    i = n.index + 1
    while i < hi and not toks[i].is_num and toks[i].text not in (",", ".", ";", "?", "!", ":"):
        t = toks[i]
        if t.lemma in ("per", "each", "every", "a") and i + 1 < hi and toks[i + 1].lemma in UNITS:
            i += 2  # '150 days per year available for watering': skip the rate
            continue
        if t.lemma == "for" and any(w not in UNITS for w in words):
            break  # '100 transportation methods for customers': the thing counted comes first
        if t.lemma in PHRASE_STOPS:
            if t.lemma == "to" and all(w in UNITS for w in words) and i + 1 < hi and toks[i + 1].kind == "word" and toks[i + 1].lemma not in STOP:
                words.append(stem(toks[i + 1].lemma))  # '0.5 days to water an acre', '3 minutes to paint'
            break
        if t.kind == "word" and words and _label(t.text):
            words.append(t.text)  # '3 grams of vitamin A': the label tells vitamin A from vitamin C
        elif t.kind == "word" and t.lemma not in STOP and t.lemma not in NOT_ATTRIBUTE and not (t.lemma in ("time", "times") and i == n.index + 1):
            words.append(stem(t.lemma))
            if "-" in t.lemma and t.lemma.rsplit("-", 1)[1] in UNITS:
                words.append(t.lemma.rsplit("-", 1)[1])  # '200 staff-hours': hours, whoever works them
        i += 1
    return words


def measured_amount(toks: list[Token], n: Token, class_words: set[str]) -> bool:
    """'560 minutes', '2000 grams of extract': a number followed by a unit that is not the decisions' own."""
    nxt = toks[n.index + 1] if n.index + 1 < len(toks) else None
    return bool(nxt and nxt.kind == "word" and nxt.lemma in UNITS and nxt.lemma not in class_words and not n.money and not n.percent)


def list_tail(toks: list[Token], nums: list[Token]) -> dict[int, Token]:
    """'50, 60 and 70 support points': numbers listed bare take what the last one measures."""
    out: dict[int, Token] = {}
    run: list[Token] = []
    for n in [*nums, None]:
        if n is not None and run and all(t.text == "," or t.lemma == "and" for t in toks[run[-1].index + 1:n.index]) and n.money == run[-1].money:
            run.append(n)
            continue
        if len(run) >= 2:
            out.update({r.index: run[-1] for r in run[:-1]})
        run = [n] if n is not None else []
    return out


def _label(text: str) -> bool:
    """'A', 'C', 'B12', 'XY': a short capital name after a noun."""
    return text[:1].isupper() and len(text) <= 3 and (len(text) == 1 or text[1:].isdigit() or text[1:].isupper())
