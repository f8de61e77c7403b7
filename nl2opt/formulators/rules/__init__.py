"""The offline formulator: deterministic English rules, no network, no model weights.

It reads a word problem in four steps, one module each:

1. :mod:`sentences` / :mod:`numbers` — sentences, tokens, numbers ($, %, words);
2. :mod:`entities` (with :mod:`lists`) — the decision variables and where each is mentioned;
3. :mod:`patterns` (with :mod:`cues`, :mod:`amounts`, :mod:`bounds`, :mod:`relations` and :mod:`sums`)
   — what each clause states, as :mod:`facts`;
4. :mod:`build` (with :mod:`units`) — facts to a :class:`~nl2opt.spec.ModelSpec`.

It declines rather than guesses: any number no rule used, any requirement it
could not tie to the decisions, any per-unit amount left unused, makes it return
no spec, with one ``formulate.unparsed-sentence`` per sentence at fault and a
``formulate.declined`` that suggests configuring an LLM.
"""

from __future__ import annotations

import re
import time
from typing import Any

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.formulators.base import Formulation
from nl2opt.formulators.rules.build import assemble
from nl2opt.formulators.rules.entities import Var, find_mentions, find_variables
from nl2opt.formulators.rules.facts import Problem
from nl2opt.formulators.rules.lexicon import CONTINUOUS_WORDS, STOP
from nl2opt.formulators.rules.numbers import MAX_READ, too_large
from nl2opt.formulators.rules.patterns import analyze
from nl2opt.formulators.rules.sentences import Sentence, normalize, sentences
from nl2opt.spec import ModelSpec

__all__ = ["RulesFormulator", "integer_wording"]

_NEGATED = re.compile(r"\b(?:not|no|cannot|impossible|never|unable)\b(?:\s+\S+){0,3}\s*$|n't(?:\s+\S+){0,3}\s*$")

_DECLINE_HINT = (
    "The offline rules could not read this problem reliably. Configure an LLM by setting "
    "OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server), or rephrase the sentences named above."
)


def integer_wording(text: str) -> bool:
    """Whether the decisions are whole numbers.

    Word problems count things (units made, vehicles, people, servings, trips);
    the NL4Opt-style convention is whole amounts unless the text says amounts may
    be fractional, so integer is the default and explicit continuous wording
    ("fractional", "continuous", "can be divided") turns it off.
    """
    low = normalize(text).lower()
    for w in CONTINUOUS_WORDS:
        for m in re.finditer(r"(?<![\w-])" + re.escape(w), low):  # not 'indivisible'
            if not _NEGATED.search(low[max(0, m.start() - 40):m.start()]):
                return False
    return True  # 'impossible to make fractional chairs' says whole units


def class_words(sents: list[Sentence], variables: list[Var]) -> set[str]:
    """Words naming the decisions as a group: shared heads ('muffin') and words next to several of them ('ticket')."""
    shared = set(variables[0].words)
    for v in variables[1:]:
        shared &= set(v.words)
    near: dict[str, set[str]] = {}
    for s in sents:
        toks = s.tokens
        for m in find_mentions(s, variables):
            for j in (m.start - 1, m.start - 2, m.end, m.end + 1):
                if 0 <= j < len(toks) and toks[j].kind == "word" and toks[j].lemma not in STOP:
                    near.setdefault(toks[j].lemma, set()).add(m.var.name)
    asked: set[str] = set()
    for s in sents:
        toks = s.tokens
        for i in range(1, len(toks) - 1):
            if toks[i].lemma in ("each", "both") and toks[i - 1].lemma == "of":
                j = i + 1
                if j + 1 < len(toks) and toks[j].lemma in ("type", "kind", "sort") and toks[j + 1].lemma == "of":
                    j += 2
                while j < len(toks) and toks[j].kind == "word" and toks[j].lemma not in STOP and len(asked) < 3:
                    asked.add(toks[j].lemma)  # 'how many of each access method': the decisions' class
                    j += 1
    return shared | asked | {w for w, vs in near.items() if len(vs) >= 2}


class RulesFormulator:
    """Formulator that needs no LLM: general English patterns for LP/MILP word problems."""

    name = "rules"

    def formulate(
        self,
        text: str,
        *,
        data: dict[str, Any] | None = None,
        previous: ModelSpec | None = None,
        feedback: str | None = None,
    ) -> Formulation:
        """Translate ``text`` into a spec, or decline with the sentences at fault.

        ``data``, ``previous`` and ``feedback`` are accepted for the protocol; rules
        are deterministic, so a retry with feedback gives the same answer.
        """
        started = time.perf_counter()
        spec, problems, sents = self._read(text)
        diagnostics = [self._unparsed(p, sents) for p in problems]
        if spec is None:
            diagnostics.append(
                Diagnostic(
                    code="formulate.declined",
                    severity=Severity.ERROR,
                    stage=Stage.FORMULATE,
                    message="The offline formulator could not build a trustworthy model from this text.",
                    hint=_DECLINE_HINT,
                )
            )
        return Formulation(spec=spec, diagnostics=diagnostics, model="rules", seconds=time.perf_counter() - started)

    def _read(self, text: str) -> tuple[ModelSpec | None, list[Problem], list[Sentence]]:
        huge = too_large(text)
        if huge is not None:
            return None, [Problem(0, f"the number {huge} is larger than {MAX_READ:,.0f}, beyond what the rules read exactly")], []
        sents = sentences(text)
        if not sents:
            return None, [Problem(0, "the text is empty")], sents
        variables = find_variables(sents)
        if not variables:
            return None, [Problem(0, "no list of decisions (e.g. 'makes chairs and tables') was found")], sents
        group = class_words(sents, variables)
        analysis = analyze(sents, variables, group)
        lemmas = {t.lemma for s in sents for t in s.tokens}
        money_vars = bool(lemmas & {"invest", "investment", "invested", "allocate", "allocated", "allocation"})
        spec, problems = assemble(
            analysis,
            variables,
            sents,
            class_words=group,
            integer=integer_wording(text),
            money_vars=money_vars,
        )
        return spec, problems, sents

    @staticmethod
    def _unparsed(p: Problem, sents: list[Sentence]) -> Diagnostic:
        quote = sents[p.sentence].text if 0 <= p.sentence < len(sents) else ""
        return Diagnostic(
            code="formulate.unparsed-sentence",
            severity=Severity.WARNING,
            stage=Stage.FORMULATE,
            where=f"sentence {p.sentence + 1}",
            message=f"Not understood: {p.reason}." + (f' Sentence: "{quote}"' if quote else ""),
            hint="Rephrase it as a per-unit fact ('each X needs 2 hours'), a limit ('at most 40 hours are available') or a relation ('at least twice as many X as Y').",
        )
