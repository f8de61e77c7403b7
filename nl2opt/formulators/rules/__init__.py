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
from nl2opt.formulators.rules import algebra, itemlists
from nl2opt.formulators.rules.build import assemble
from nl2opt.formulators.rules.entities import Var, find_mentions, find_variables
from nl2opt.formulators.rules.facts import Problem
from nl2opt.formulators.rules.families import read_family
from nl2opt.formulators.rules.idioms import implied_goal
from nl2opt.formulators.rules.lexicon import CONTINUOUS_WORDS, STOP
from nl2opt.formulators.rules.numbers import MAX_READ, too_large
from nl2opt.formulators.rules.patterns import MAX_SENTENCE_TOKENS, analyze
from nl2opt.formulators.rules.readings import other_readings
from nl2opt.formulators.rules.scale import answer_scale, batch_prices
from nl2opt.formulators.rules.sentences import Sentence, normalize, sentences
from nl2opt.spec import ModelSpec

__all__ = ["RulesFormulator", "integer_wording"]

_FRACTIONS_FINE = re.compile(
    r"\bfractions?(?:\s+of\s+an?\s+[\w-]+)?\s+(?:is|are)\s+(?:fine|allowed|ok|okay|acceptable|permitted)\b"
)
"""'fractions of a kilogram are fine', 'fractions are allowed': the amounts may be fractional."""
_NEGATED = re.compile(r"\b(?:not|no|cannot|impossible|never|unable)\b(?:\s+\S+){0,3}\s*$|n't(?:\s+\S+){0,3}\s*$")

_HORIZON = re.compile(
    r"\b(?:monthly|weekly|daily|quarterly)\s+(?:return|income|interest|yield|profit)|\b\d[\d.]*\s?%\s+(?:a|per|each|every)\s+(?:month|week|day|quarter)\b"
    r"|\b(?:return|income|interest|yield)\s+over\s+(?:\w+\s+)?(?:years|months)\b",
    re.I,
)
"""'the highest monthly return', '6% a month', 'income over two years': money decisions whose rates are another period's."""
_QUOTE_CHARS = 240
_WORD_NUMBER = re.compile(
    r"\b[A-Za-z]+-and-(?:a-)?(?:half|quarter|third)\b|\b(?:doubled|tripled|quadrupled|halved)\b|(?<![-\w])negative\b", re.I
)
_DRAFT_HINT = " Or finish the draft of what was understood by hand (the web form opens it in the model editor)."
_TABLES = "the text refers to uploaded tables, which the offline rules cannot read"
_TABLES_HINT = (
    "Tables are read by an LLM formulator: open the sidebar, choose an LLM and enter its API key "
    "(or server address), then solve again. Without one, write the numbers into the text as sentences "
    "(e.g. 'North can supply 120 units'), or finish the attached draft in the model editor."
)
_DECLINE_HINT = (
    "The offline rules could not read this problem reliably. Rephrase the sentences named above, "
    "or choose an LLM (web form: the sidebar; command line: OPENAI_API_KEY and OPENAI_BASE_URL)."
)


def _named_tables(text: str, data: dict[str, Any]) -> list[str]:
    """Uploaded tables the text refers to ('the costs in the uploaded table', or a table's own name)."""
    if not data:
        return []
    low = text.lower()
    if re.search(r"\b(?:uploaded|attached|following|given|data)\s+(?:table|tables|data|spreadsheet|file)\b|\bin the tables?\b|\bspreadsheet\b|\bcsv\b", low):
        return [str(name) for name in data]
    return [str(name) for name in data if re.sub(r"[_\-.]+", " ", str(name).lower()).strip() in low]


def integer_wording(text: str) -> bool:
    """Whether the decisions are whole numbers.

    Word problems count things (units made, vehicles, people, servings, trips);
    the NL4Opt-style convention is whole amounts unless the text says amounts may
    be fractional, so integer is the default and explicit continuous wording
    ("fractional", "continuous", "can be divided") turns it off.
    """
    low = normalize(text).lower()
    if _FRACTIONS_FINE.search(low):
        return False
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
    return shared | asked | made_in(sents, variables) | {w for w, vs in near.items() if len(vs) >= 2}


_MADE = frozenset({"made", "produced", "built", "baked", "manufactured", "sewn", "assembled", "brewed", "grown"})


def made_in(sents: list[Sentence], variables: list[Var]) -> set[str]:
    """'shirts made in regular time', 'benches built in March': the noun counted by decisions that are times or ways of making."""
    found: dict[str, set[str]] = {}
    for s in sents:
        toks = s.tokens
        for m in find_mentions(s, variables):
            i = m.start
            if i >= 3 and toks[i - 1].lemma in ("in", "during", "on", "by") and toks[i - 2].text.lower() in _MADE and toks[i - 3].kind == "word" and toks[i - 3].lemma not in STOP:
                found.setdefault(toks[i - 3].lemma, set()).add(m.var.name)
    return {w for w, names in found.items() if len(names) == len(variables)}  # every decision counts it


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
        spec, problems, sents, draft, used = self._read(text, data or {})
        named = [n for n in _named_tables(text, data or {}) if n not in used]
        if named:
            spec, draft, problems = None, draft or spec, [*problems, Problem(-1, _TABLES + ": " + ", ".join(named))]
        diagnostics = [self._unparsed(p, sents) for p in problems]
        if data and not named and spec is not None and set(map(str, data)) - set(used):
            diagnostics.append(
                Diagnostic(
                    code="formulate.table-unused",
                    severity=Severity.WARNING,
                    stage=Stage.FORMULATE,
                    message="The text does not name the uploaded table(s) "
                    + ", ".join(n for n in map(str, data) if n not in used)
                    + ", so the offline rules did not use them.",
                    hint=_TABLES_HINT,
                )
            )
        unread: list[str] = []
        if spec is None:
            unread = list(dict.fromkeys(sents[p.sentence].text for p in problems if 0 <= p.sentence < len(sents)))
            diagnostics.append(
                Diagnostic(
                    code="formulate.declined",
                    severity=Severity.ERROR,
                    stage=Stage.FORMULATE,
                    message="The offline formulator could not build a trustworthy model from this text."
                    + (" A draft of what it understood is attached, to finish by hand." if draft is not None else ""),
                    hint=_TABLES_HINT if named else _DECLINE_HINT + (_DRAFT_HINT if draft is not None else ""),
                )
            )
        return Formulation(
            spec=spec,
            diagnostics=diagnostics,
            model="rules",
            seconds=time.perf_counter() - started,
            draft=draft if spec is None else None,
            unread=unread,
            alternatives=other_readings(spec) if spec is not None else [],
        )

    def _read(self, text: str, data: dict[str, Any], listed: bool = False) -> tuple[ModelSpec | None, list[Problem], list[Sentence], ModelSpec | None, list[str]]:
        rewritten = None if listed else itemlists.rewrite(text)
        if rewritten is not None:
            read = self._read(rewritten, data, listed=True)
            if read[0] is not None:
                return read  # item data in brackets or on list lines, read as one sentence per item
        huge = too_large(text)
        if huge is not None:
            return None, [Problem(0, f"the number {huge} is larger than {MAX_READ:,.0f}, beyond what the rules read exactly")], [], None, []
        sents = sentences(text)
        if not sents:
            return None, [Problem(0, "the text is empty")], sents, None, []
        scaled = answer_scale(sents)
        if scaled:
            return None, scaled, sents, None, []  # 'the cost in thousands of dollars': 1000x off if answered
        reading = read_family(sents, text, data)
        if reading is not None:
            return reading.spec, [Problem(k, why) for k, why in reading.reasons], sents, reading.draft, reading.tables
        batch = batch_prices(sents)
        if batch:
            return None, batch, sents, None, []  # '$18 per dozen' read per unit would be 12x off
        variables = find_variables(sents)
        if not variables:
            solved = None if _WORD_NUMBER.search(text) else algebra.read(sents, text, integer=integer_wording(text))
            if solved is not None:
                return solved, [], sents, None, []  # decisions named only by symbols ('infantry (X)')
            long = [Problem(x.index, f"a sentence of {len(x.tokens)} words and signs is too long to read reliably") for x in sents if len(x.tokens) > MAX_SENTENCE_TOKENS]
            return None, [Problem(0, "no list of decisions (e.g. 'makes chairs and tables') was found"), *long], sents, None, []
        group = class_words(sents, variables)
        analysis = analyze(sents, variables, group)
        implied = implied_goal(sents, analysis, [v.name for v in variables], {w for v in variables for w in v.words})
        if implied is not None:
            analysis.goals.append(implied)  # 'How many of each should she make?', each earning a profit
        lemmas = {t.lemma for s in sents for t in s.tokens}
        money_vars = bool(lemmas & {"invest", "investment", "invested", "investor", "allocate", "allocated", "allocation"})
        if money_vars and "%" in text and _HORIZON.search(text):
            return None, [Problem(0, "returns asked over another period than their rates' (monthly, over several years)")], sents, None, []
        spec, problems, draft = assemble(
            analysis,
            variables,
            sents,
            class_words=group,
            integer=integer_wording(text),
            money_vars=money_vars,
        )
        hyphenated = [(s.index, m.group(0)) for s in sents for m in [_WORD_NUMBER.search(s.text)] if m]
        for k, word in hyphenated:
            problems.append(Problem(k, f"a number hidden in a word ('{word}')"))
            spec = None
        if not hyphenated:
            # The symbol reader is the stricter one (every sentence, number and comparison read), so
            # when it reads the text its model wins over the scalar rules' (which may skip a clause).
            solved = algebra.read(sents, text, integer=integer_wording(text))
            if solved is not None:
                return solved, [], sents, None, []
        return spec, problems, sents, draft, []

    @staticmethod
    def _unparsed(p: Problem, sents: list[Sentence]) -> Diagnostic:
        quote = sents[p.sentence].text if 0 <= p.sentence < len(sents) else ""
        where = f"sentence {p.sentence + 1}" if p.sentence >= 0 else "data"
        if len(quote) > _QUOTE_CHARS:
            quote = quote[: _QUOTE_CHARS - 3].rstrip() + "..."
        return Diagnostic(
            code="formulate.unparsed-sentence",
            severity=Severity.WARNING,
            stage=Stage.FORMULATE,
            where=where,
            message=f"Not understood: {p.reason}." + (f' Sentence: "{quote}"' if quote else ""),
            hint="Rephrase it as a per-unit fact ('each X needs 2 hours'), a limit ('at most 40 hours are available') or a relation ('at least twice as many X as Y').",
        )
