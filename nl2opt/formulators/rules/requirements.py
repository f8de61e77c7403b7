"""Sentences that state a requirement, and whether the model built accounts for each.

The rules never answer confidently while ignoring a requirement: every sentence that
states one (a comparison word, with a number or without, 'either ... or', 'at most one',
'cannot', 'only if', 'all or nothing') must be the source of some element of the
model, or the formulator declines naming it. Which element counts depends on the
requirement: a comparison needs a constraint row from that sentence; a yes/no
requirement ('each project is either fully selected or not') needs binary
decisions; logic between decisions ('only if', 'at most one of') needs a row that
the reader built from that very sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nl2opt.formulators.rules.cues import find_cues
from nl2opt.formulators.rules.sentences import Sentence

# (label, pattern) on the lower-case sentence text; the first match names the requirement.
_ALL_OR_NOTHING = re.compile(
    r"all[- ]or[- ]nothing|\b(?:fully|entirely|completely|wholly|in full)\b[^.]*\bor not\b|\bor not at all\b"
    r"|\bnot partially\b|\bpartial(?:ly)? (?:selection|funding|investment|projects?)\b[^.]*\b(?:not|no)\b"
    r"|\b(?:cannot|can't|can not) be (?:partially|split|divided)\b|\byes[- /]or[- ]no\b|\bselected or not\b"
    r"|\b(?:accepted|selected|chosen|funded|taken|undertaken|built|done|approved) or (?:rejected|not|declined|dropped)\b"
    r"|\bno partial\b|\bpartial \w+ (?:is|are) not (?:allowed|possible|permitted)\b|\bone\b[^.]*\bor none\b"
)
_LOGIC: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("all or nothing", _ALL_OR_NOTHING),
    (
        "at most one",
        re.compile(
            r"\b(?:at most|no more than|not more than|only) one (?:of|project|option|site|location)\b"
        ),
    ),
    ("at least one", re.compile(r"\bat least one (?:of|project|option|site|location)\b")),
    ("exactly one", re.compile(r"\bexactly one\b")),
    (
        "only if",
        re.compile(
            r"\bonly if\b|\bif and only if\b|\bunless\b|\bprovided that\b|\bif\b[^.]*\bthen\b|\bdepends on whether\b"
        ),
    ),
    (
        "either ... or",
        re.compile(
            r"\beither\b[^.]*\bor\b[^.]*\b(?:but not both|not both|must|has to|have to|only)\b|\bnot both\b|\bmutually exclusive\b"
        ),
    ),
    (
        "cannot",
        re.compile(
            r"\b(?:cannot|can't|can not|must not|may not|not allowed|forbidden|prohibited)\b(?! exceed)(?! be (?:more|greater|less|fewer|larger|smaller|higher|lower|above|below|over|under))"
        ),
    ),
)
_INTEGRALITY = re.compile(
    r"\b(?:fraction|fractions|fractional|integer|integers|whole|divisible|indivisible|indivisibility|decimal)\b"
)


@dataclass(frozen=True)
class Requirement:
    """One requirement sentence: its index and the kind of requirement it states."""

    sentence: int
    label: str
    logic: bool


def requirements(sents: list[Sentence]) -> list[Requirement]:
    """The requirement sentences of a text, each with the first requirement it states."""
    out: list[Requirement] = []
    for s in sents:
        low = s.text.lower()
        found = next((label for label, pattern in _LOGIC if pattern.search(low)), None)
        if (
            found is not None
            and _INTEGRALITY.search(low)
            and not any(t.is_num and not t.spelled for t in s.tokens)
        ):
            found = None  # 'cannot make a fraction of a chair': integrality, read by integer_wording
        if found is not None:
            out.append(Requirement(s.index, found, logic=True))
        elif s.numbers and any(t.is_num and not t.factor for t in s.tokens) and find_cues(s.tokens):
            out.append(Requirement(s.index, "a number with a comparison word", logic=False))
        elif not s.numbers and _wordy_comparison(s):
            # 'at least a hundred bowls', 'at least as many A as B': the amount is in words, or a decision
            out.append(Requirement(s.index, "a comparison word without a number", logic=False))
    return out


_ANNOUNCING = frozenset({"certain", "specific", "some", "following", "given", "these", "those", "particular"})


def _wordy_comparison(s: Sentence) -> bool:
    """A comparison with no number: not one that announces amounts given elsewhere ('at least a
    certain amount of each'), nor how the answer is rounded ('rounded up to the nearest dollar')."""
    toks = s.tokens
    if any(t.lemma.startswith("round") or t.lemma == "nearest" for t in toks):
        return False
    for cue in find_cues(toks):
        if cue.words == ("up", "to"):
            continue  # 'set up to maximize revenue'
        after = {t.lemma for t in toks[cue.end:cue.end + 3]}
        if not after & _ANNOUNCING:
            return True
    return False


def unaccounted(
    reqs: list[Requirement], *, row_sentences: set[int], logic_sentences: set[int], binary: bool
) -> list[tuple[int, str]]:
    """Requirements no model element accounts for, as (sentence, reason).

    ``row_sentences``: sentences some constraint row (or bound) came from;
    ``logic_sentences``: sentences a logic row (at most one, only if, all or nothing) came from;
    ``binary``: the decisions are yes/no.
    """
    out: list[tuple[int, str]] = []
    for r in reqs:
        if r.sentence in logic_sentences:
            continue
        if r.label == "all or nothing" and binary:
            continue
        if not r.logic and r.sentence in row_sentences:
            continue
        if r.label == "cannot" and r.sentence in row_sentences:
            continue  # 'cannot make more than 40': the row is the requirement
        out.append((r.sentence, f"a requirement ({r.label}) that the model does not contain"))
    return out
