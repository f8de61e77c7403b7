"""Names that stand for symbols, for :mod:`algebra`: 'luxury villas (X) and apartments (Y)',
'X (General Medicine)', 'X for reforestation', 'x1 represents strength conditioning'.

Problems often define each symbol once by a name and then use the name ('each villa costs
$5000'). The sentence that lists the symbols is read for such definitions; later mentions of a
name (or of its last word, when no other name shares it and it is not a generic word such as
'project') are replaced by the symbol, on copies of the sentences. A mention right next to its own
symbol ('patient care (department X)') is left alone, so the symbol is not counted twice.
Everything else the algebra reader checks still applies to the rewritten sentences.
"""

from __future__ import annotations

from nl2opt.formulators.rules.lexicon import STOP
from nl2opt.formulators.rules.sentences import Sentence, Token

_GENERIC = frozenset(
    {
        "project",
        "type",
        "department",
        "unit",
        "group",
        "division",
        "category",
        "option",
        "product",
        "channel",
        "campaign",
        "team",
        "task",
        "route",
        "area",
        "sector",
        "resource",
        "activity",
        "service",
        "program",
        "property",
        "crop",
        "investment",
        "fund",
        "portfolio",
        "allocation",
        "hour",
        "time",
        "budget",
        "cost",
        "shift",
    }
)
_DEFINING = frozenset({"for", "represents", "represent", "representing", "denotes", "denoting", "is"})
_ENDS = frozenset({",", ";", ":", ".", "and", "or", "(", ")", "while", "whereas"})
_MAX_WORDS = 4


def _name(words: list[Token]) -> tuple[str, ...] | None:
    """A name's lemmas: 1-4 plain words, leading articles dropped; None when it is not a name."""
    while words and words[0].lemma in ("the", "a", "an", "its", "their"):
        words = words[1:]
    if not words or len(words) > _MAX_WORDS or any(t.kind != "word" or not t.text.isalpha() for t in words):
        return None
    if all(t.lemma in STOP or t.lemma in _GENERIC for t in words):
        return None
    return tuple(t.lemma for t in words)


def _definitions(s: Sentence, symbols: list[str]) -> dict[tuple[str, ...], str]:
    """Name -> symbol from one sentence that lists the symbols."""
    toks = s.tokens
    out: dict[tuple[str, ...], str] = {}
    for i, t in enumerate(toks):
        if t.text not in symbols:
            continue
        # 'luxury villas (X)', 'infantry (division X)'
        if i + 1 < len(toks) and toks[i + 1].text == ")":
            j = i - 1
            while j >= 0 and toks[j].lemma in _GENERIC:
                j -= 1
            if j >= 0 and toks[j].text == "(":
                k = j
                while (
                    k > 0
                    and toks[k - 1].lemma not in _ENDS
                    and toks[k - 1].text not in symbols
                    and j - k < _MAX_WORDS
                ):
                    k -= 1
                name = _name(toks[k:j])
                if name:
                    out[name] = t.text
            continue
        # 'X (General Medicine)'
        if i + 1 < len(toks) and toks[i + 1].text == "(":
            close = next((k for k in range(i + 2, len(toks)) if toks[k].text in "()"), None)
            if close is not None and toks[close].text == ")":
                name = _name(toks[i + 2 : close])
                if name:
                    out[name] = t.text
            continue
        # 'X for reforestation', 'x1 represents strength conditioning'
        if i + 2 < len(toks) and toks[i + 1].lemma in _DEFINING:
            k = i + 2
            while k < len(toks) and toks[k].lemma not in _ENDS and toks[k].text not in symbols:
                k += 1
            name = _name(toks[i + 2 : k])
            if name:
                out[name] = t.text
    return out


def aliases(sents: list[Sentence], symbols: list[str]) -> dict[tuple[str, ...], str]:
    """Every name the listing sentence gives a symbol, and the names' last words when unambiguous."""
    listing = next((s for s in sents if len({t.text for t in s.tokens if t.text in symbols}) >= 2), None)
    if listing is None:
        return {}
    names = _definitions(listing, symbols)
    if len(set(names.values())) != len(names):
        return {}  # one symbol with two names: which one a later sentence means is unclear
    heads: dict[tuple[str, ...], str] = {}
    for name, x in names.items():
        last = name[-1:]
        unique = sum(1 for other in names if other[-1] == last[0]) == 1 and last not in names
        if len(name) > 1 and last[0] not in _GENERIC and last[0] not in STOP and unique:
            heads[last] = x
    return {**heads, **names}


def with_aliases(sents: list[Sentence], symbols: list[str]) -> list[Sentence]:
    """Copies of the sentences with each name replaced by its symbol (unless the symbol is next to it)."""
    names = aliases(sents, symbols)
    if not names:
        return sents
    ordered = sorted(names, key=len, reverse=True)
    out: list[Sentence] = []
    for s in sents:
        toks = s.tokens
        lemmas = [t.lemma for t in toks]
        kept: list[Token] = []
        i = 0
        while i < len(toks):
            hit = next((n for n in ordered if tuple(lemmas[i : i + len(n)]) == n), None)
            if hit is not None:
                x = names[hit]
                near = {t.text for t in toks[max(0, i - 3) : i + len(hit) + 3]}
                if x not in near:
                    kept.append(Token(x, x.lower(), "word"))
                    i += len(hit)
                    continue
            kept.append(toks[i])
            i += 1
        if len(kept) == len(toks) and all(a is b for a, b in zip(kept, toks, strict=True)):
            out.append(s)
            continue
        out.append(
            Sentence(s.text, [Token(**{**t.__dict__, "index": n}) for n, t in enumerate(kept)], s.index)
        )
    return out
