"""Where the two sides of a comparison over symbols begin and end, for :mod:`algebra`.

Word problems wrap each requirement in words that carry no algebra: a lead-in ('To meet
demand, ...'), a heading ending in a colon ('Each project has a cap: ...'), a reason after
the amount ('... cannot exceed 16 as they share a room'), an aside in brackets, or the
rounding instruction of the question ('rounded up to the nearest dollar'). Each helper here
finds one such wrapper and only when it holds no number, no symbol and no word that could
change the requirement ('not', 'unless', 'only' ...); otherwise the span is left whole and
the algebra reader declines on it as before.
"""

from __future__ import annotations

from nl2opt.formulators.rules.cues import Cue
from nl2opt.formulators.rules.sentences import Sentence, Token

# Words that can change what a requirement says; a wrapper holding one is never dropped.
LOGIC = frozenset(
    {
        "not",
        "no",
        "never",
        "cannot",
        "unless",
        "if",
        "only",
        "except",
        "either",
        "neither",
        "both",
        "or",
        "provided",
        "when",
        "whenever",
        "otherwise",
        "instead",
        "respectively",
        "than",
        "exceed",
        "least",
        "most",
        "minimum",
        "maximum",
        "double",
        "doubled",
        "triple",
        "tripled",
        "half",
        "halved",
        "negative",
        "percent",
        "ratio",
        "times",
        "multiplied",
        "divided",
    }
)
_NEGATED = frozenset({"n't", "cannot"})

# A reason after the amount: 'as they share', 'due to', 'to ensure', 'reflecting ...'.
_REASON_WORDS = frozenset(
    {
        "due",
        "because",
        "since",
        "reflecting",
        "ensuring",
        "considering",
        "perhaps",
        "possibly",
        "thereby",
        "which",
    }
)
_PURPOSE_VERBS = frozenset(
    {
        "ensure",
        "meet",
        "maintain",
        "achieve",
        "cater",
        "keep",
        "support",
        "reflect",
        "satisfy",
        "avoid",
        "guarantee",
        "accommodate",
        "comply",
        "prevent",
        "facilitate",
        "allow",
        "manage",
        "fulfil",
        "fulfill",
        "balance",
        "promote",
        "stay",
        "handle",
        "cover",
        "address",
        "reduce",
        "improve",
    }
)


def plain(tok: Token, symbols: list[str]) -> bool:
    """A token that is neither a number, nor a symbol, nor a word that changes a requirement."""
    low = tok.text.lower()
    return not (
        tok.is_num or tok.text in symbols or tok.lemma in LOGIC or low in LOGIC or low.endswith("n't")
    )


def back_reference(toks: list[Token], i: int) -> bool:
    """'these two departments': a spelled count after 'these' / 'those' points back to decisions named
    before; it is not an amount."""
    t = toks[i]
    return t.is_num and t.spelled and not t.factor and i > 0 and toks[i - 1].lemma in ("these", "those")


def wrapper_word(tok: Token, symbols: list[str]) -> bool:
    """A token a lead-in, heading or reason may hold: plain, or 'or' / 'each' / 'both', which only
    matter next to numbers ('because of staffing or space limits')."""
    return plain(tok, symbols) or tok.lemma in ("or", "each", "every", "both")


def without_asides(s: Sentence, symbols: list[str]) -> Sentence:
    """The sentence without bracketed asides that hold only plain words ('(such as trainers or rooms)',
    '(X and Y are integers)'); an aside with a number or a logic word stays, and so is read or declined."""
    toks = s.tokens
    keep: list[Token] = []
    i = 0
    while i < len(toks):
        if toks[i].text == "(":
            close = next((j for j in range(i + 1, len(toks)) if toks[j].text in "()"), None)
            if close is not None and toks[close].text == ")":
                inner = toks[i + 1 : close]
                words = {t.lemma for t in inner}
                whole = bool(words & {"integer", "whole", "indivisible"})
                if all(
                    plain(t, symbols) or (t.lemma == "or" and not whole) or (whole and t.text in symbols)
                    for t in inner
                ):
                    i = close + 1
                    continue
        keep.append(toks[i])
        i += 1
    if len(keep) == len(toks):
        return s
    copies = [Token(**{**t.__dict__, "index": n}) for n, t in enumerate(keep)]
    return Sentence(s.text, copies, s.index)


def rounding(toks: list[Token], cue: Cue) -> bool:
    """'rounded up to the nearest dollar': an instruction for the answer, not a requirement."""
    before = toks[cue.start - 1].lemma if cue.start > 0 else ""
    after = {t.lemma for t in toks[cue.end : cue.end + 3]}
    return cue.words == ("up", "to") and (before in ("round", "rounded") or "nearest" in after)


def heading_end(toks: list[Token], symbols: list[str]) -> int:
    """Index after the colon of a heading with no number or symbol ('Each channel has a minimum budget:
    X needs at least $200, Y at least $150'), or 0. Logic words are allowed in a heading only when
    they are 'minimum' / 'maximum' (the requirements that follow repeat the direction)."""
    colon = next((i for i, t in enumerate(toks) if t.text == ":"), None)
    if colon is None:
        return 0
    head = toks[:colon]
    if all(wrapper_word(t, symbols) or t.lemma in ("minimum", "maximum") for t in head):
        return colon + 1
    return 0


def intro_end(toks: list[Token], lo: int, hi: int, symbols: list[str]) -> int:
    """Where the left side really starts: after a lead-in clause closed by a comma that holds only
    plain words ('Furthermore, due to the demands of each campaign, the budget of X ...')."""
    first = next((i for i in range(lo, hi) if not wrapper_word(toks[i], symbols)), hi)
    commas = [i for i in range(lo, first) if toks[i].text == ","]
    return commas[-1] + 1 if commas else lo


def reason_start(toks: list[Token], lo: int, hi: int, symbols: list[str]) -> int:
    """Where the right side really ends: at a reason after its amount ('... at least 50 units to meet
    demand', '... 16 as they share a room', '... $2000 - this keeps a balance'), when everything from
    there on is plain words; else ``hi``."""
    nums = [i for i in range(lo, hi) if toks[i].is_num]
    if not nums:
        return hi
    for i in range(nums[-1] + 1, hi):
        t = toks[i]
        nxt = toks[i + 1].lemma if i + 1 < hi else ""
        starts = (
            t.lemma in _REASON_WORDS
            or (t.lemma == "as" and nxt not in ("many", "much", "well", "a", "an"))
            or (t.lemma == "to" and nxt in _PURPOSE_VERBS)
            or (t.lemma == "in" and nxt == "order")
            or (t.lemma == "so" and nxt == "that")
            or (t.lemma == "for" and nxt.endswith("ing"))
            or t.text == "-"
        )
        if starts:
            if all(
                wrapper_word(x, symbols) or x.lemma == "per" or back_reference(toks, x.index)
                for x in toks[i + 1 : hi]
            ):
                return i
            return hi
    last = hi - 1
    while last > nums[-1] and toks[last].kind == "punct":
        last -= 1
    if toks[last].lemma == "only" and all(plain(t, symbols) for t in toks[nums[-1] + 1 : last]):
        return last  # 'up to 30 employees only': the amount is the limit, 'only' adds nothing
    return hi


# A comparison whose negation find_cues already applied ('should not be less than'): the auxiliary
# words before it belong to the comparison, not to the left side.
_FLIPPED = frozenset(
    {("less", "than"), ("fewer", "than"), ("more", "than"), ("greater", "than"), ("below",), ("exceed",)}
)
_AUXILIARY = frozenset(
    {"not", "be", "should", "must", "can", "will", "would", "shall", "do", "may", "fall", "go", "ever"}
)


def negation_start(toks: list[Token], lo: int, cue: Cue) -> int:
    """Where the left side ends: before 'should not be' when the cue is one that a 'not' nearby flips."""
    if cue.words not in _FLIPPED:
        return cue.start
    i = cue.start
    while (
        i > lo
        and (toks[i - 1].lemma in _AUXILIARY or toks[i - 1].text.lower().endswith("n't"))
        and cue.start - i < 4
    ):
        i -= 1
    said = toks[i : cue.start]
    negated = any(t.lemma in ("not", "cannot", "never") or t.text.lower().endswith("n't") for t in said)
    return i if negated else cue.start


def widened(toks: list[Token], cue: Cue) -> Cue:
    """'meet or exceed 200': one comparison (>=) that starts at 'meet'."""
    if (
        cue.op == ">="
        and cue.start >= 2
        and toks[cue.start - 1].lemma == "or"
        and toks[cue.start - 2].lemma in ("meet", "equal", "reach", "match")
    ):
        return Cue(cue.op, cue.start - 2, cue.end, (toks[cue.start - 2].lemma, "or", *cue.words))
    return cue
