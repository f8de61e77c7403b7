"""Yes/no requirements in the text that the model may have dropped.

A sentence such as "each project is either fully selected or not at all", "at most one
of the two sites may open" or "A and B cannot both be chosen" asks for a 0/1 decision
or a logic constraint. When a model has neither, the solver happily answers a
different question (half a project, two sites) and every check on the *model* passes.
This module finds such sentences and says which of them nothing in the spec reflects.

API (used by :mod:`nl2opt.verify.plausibility` and by the offline formulator):

- :func:`requirements` -> the yes/no sentences of a text, each a :class:`Requirement`;
- :func:`unreflected` -> those a spec leaves out (optionally judged on solution values);
- :func:`check` -> ``verify.yes-no-unmodelled`` warnings for them.

Like every text check it only warns: a requirement is "reflected" by a binary variable
(or an integer one bounded by 1), or by a logic constraint, tied to the sentence by the
nouns they share; when no variable shares a noun, any binary or logic constraint counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from nl2opt._compat import StrEnum
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.spec import Domain, ModelSpec, Variable
from nl2opt.verify.words import stem

__all__ = ["Kind", "Requirement", "check", "is_zero_one", "requirements", "unreflected", "zero_one_values"]

CODE = "verify.yes-no-unmodelled"
MAX_REPORTED = 5
"""Distinct sentences warned about at most; a long text repeating one requirement gets one warning."""


class Kind(StrEnum):
    """What sort of yes/no requirement a sentence states."""

    ALL_OR_NOTHING = "all-or-nothing"
    AT_MOST_ONE = "at-most-one"
    NOT_BOTH = "not-both"
    YES_NO = "yes-no"


_CUES: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.ALL_OR_NOTHING,
        re.compile(
            r"\b(?:(?:fully|completely|entirely|wholly|in full)\b[^.;]{0,40}\bor not(?: at all)?\b"
            r"|or not at all\b|all[- ]or[- ]nothing\b"
            r"|(?:either|is) (?:selected|chosen|funded|built|opened|undertaken|accepted|done) (?:fully )?or not\b)",
            re.I,
        ),
    ),
    (
        Kind.AT_MOST_ONE,
        re.compile(
            r"\b(?:at most one of|no more than one of|only one of|exactly one of|one and only one"
            r"|(?:choose|select|pick|use|adopt) (?:exactly|only|at most) one"
            r"|only one (?:\w+ )?(?:can|may) be (?:selected|chosen|opened|built|funded|used))\b",
            re.I,
        ),
    ),
    (
        Kind.NOT_BOTH,
        re.compile(
            r"\b(?:cannot|can ?not|can't|may not|must not) both\b|\bnot both\b|\bmutually exclusive\b", re.I
        ),
    ),
    (
        Kind.YES_NO,
        re.compile(
            r"\b(?:yes[/ -]or[/ -]no|yes/no|a binary (?:decision|choice)|go/no-go"
            r"|(?:decide|decision|choose|chooses) whether (?:or not )?to)\b",
            re.I,
        ),
    ),
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _words(
    "the a an of or and not at all to be is are each any one two both either only most no more than can "
    "cannot must may will should its their this that these those in on for with by from fully whether "
    "decide decision choose selected chosen"
)


@dataclass(frozen=True)
class Requirement:
    """One sentence asking for a yes/no decision."""

    sentence: str
    kind: Kind
    cue: str
    """The words that make it a yes/no requirement, as written."""
    nouns: frozenset[str]
    """Crude singular forms of the sentence's content words, to tie it to variables."""


def requirements(text: str) -> list[Requirement]:
    """The sentences of ``text`` that state a yes/no or all-or-nothing requirement."""
    found: list[Requirement] = []
    for sentence in _sentences(text):
        for kind, pattern in _CUES:
            m = pattern.search(sentence)
            if m:
                found.append(Requirement(sentence, kind, m.group(0), _nouns(sentence)))
                break
    return found


def unreflected(
    text: str, spec: ModelSpec, *, values: Mapping[str, object] | None = None
) -> list[Requirement]:
    """The requirements of ``text`` that no 0/1 variable or logic constraint of ``spec`` reflects.

    With ``values`` (a solution, as in ``Result.values``), a requirement whose variables all
    came out 0 or 1 anyway is not reported: the answer would be the same with a binary.
    """
    found = requirements(text)
    if not found:
        return []
    has_logic = any(_is_logic(c.expression, c.kind) for c in spec.constraints)
    yes_no = [v for v in spec.variables if is_zero_one(v)]
    out = []
    for req in found:
        tied = [v for v in spec.variables if _tokens(v) & req.nouns]
        if any(is_zero_one(v) for v in tied):
            continue
        if not tied and (yes_no or has_logic):
            continue
        if tied and has_logic and req.kind is not Kind.ALL_OR_NOTHING:
            continue
        if values is not None and tied and all(zero_one_values(values.get(v.name)) for v in tied):
            continue
        if (
            not tied
            and values is not None
            and spec.variables
            and all(zero_one_values(values.get(v.name)) for v in spec.variables)
        ):
            continue
        out.append(req)
    return out


def check(text: str, spec: ModelSpec, *, values: Mapping[str, object] | None = None) -> list[Diagnostic]:
    """One warning per yes/no requirement the spec does not reflect."""
    out = []
    seen: set[str] = set()
    for req in unreflected(text, spec, values=values):
        if req.sentence in seen or len(seen) >= MAX_REPORTED:
            continue
        seen.add(req.sentence)
        tied = [v.name for v in spec.variables if _tokens(v) & req.nouns]
        target = f"variables[{tied[0]}].domain" if tied else "variables"
        subject = (
            f"{', '.join(tied)} {'is' if len(tied) == 1 else 'are'} not 0/1"
            if tied
            else ("no variable is binary and no constraint is a logic one")
        )
        out.append(
            Diagnostic(
                code=CODE,
                severity=Severity.WARNING,
                stage=Stage.VERIFY,
                where=target,
                message=f'the text asks for a yes/no choice ("{req.cue}" in "{_clip(req.sentence)}"), '
                f"but {subject}",
                hint="Use a 'binary' variable for each choice (with the amount tied to it by a constraint), "
                "or a logic constraint such as at_most(1, [...]); if the text allows partial amounts, "
                "say so in 'assumptions'.",
            )
        )
    return out


# -- helpers ---------------------------------------------------------------------------------
def _sentences(text: str) -> Iterator[str]:
    for part in re.split(r"(?<=[.!?;])\s+|\n+", text):
        if part.strip():
            yield part.strip()


def _nouns(sentence: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.findall(r"[A-Za-z]{3,}", sentence) if w.lower() not in _STOP)


def _tokens(v: Variable) -> frozenset[str]:
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", v.name).replace("_", " ").split()
    words += re.findall(r"[A-Za-z]+", v.description)[:4]
    return frozenset(stem(w) for w in words if len(w) > 2 and w.lower() not in _STOP)


def is_zero_one(v: Variable) -> bool:
    if v.domain is Domain.BINARY:
        return True
    numeric = not isinstance(v.upper, str) and not isinstance(v.lower, str)  # derived bounds: unknown here
    return (
        numeric
        and v.domain is Domain.INTEGER
        and v.upper is not None
        and v.upper <= 1
        and (v.lower or 0) >= 0
    )


_LOGIC_CALL = re.compile(r"\b(?:implies|either|at_least|at_most|exactly)\s*\(")


def _is_logic(expression: str, kind: object) -> bool:
    return bool(_LOGIC_CALL.search(expression)) or str(kind) == "logic"


def zero_one_values(value: object) -> bool:
    if value is None:
        return False
    items = list(value.values()) if isinstance(value, Mapping) else [value]
    try:
        return all(min(abs(float(x)), abs(float(x) - 1)) <= 1e-6 for x in items)
    except (TypeError, ValueError):
        return False


def _clip(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 3] + "..."
