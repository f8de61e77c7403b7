"""Semantic checks of a ModelSpec, before anything is expanded or solved.

``check(spec)`` reads the whole spec and returns every finding as a Diagnostic
with a stable code, where it is, and how to fix it: the repair loop sends these
back to the formulator, so each finding should be specific enough to act on
without seeing the checker. It never raises on a spec, however broken; what the
expression walk checks lives in :mod:`nl2opt.expr.semantics`.
"""

from __future__ import annotations

import keyword
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import Binding, Node
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.expr.semantics import ExprChecker, Scope
from nl2opt.expr.slots import suggest
from nl2opt.spec import Constraint, Domain, IndexSet, IntRange, ModelSpec, Parameter, Variable
from nl2opt.symbols import Symbols, build_symbols

__all__ = ["ParsedConstraint", "ParsedSpec", "check", "parse_spec_expressions"]

MAX_SET_SIZE = 1_000_000
"""A range beyond this is refused rather than expanded (it is a typo, not a model)."""

MAX_TABLE_SIZE = 20_000_000
"""Parameter tables beyond this many cells are refused rather than allocated."""


@dataclass(frozen=True)
class ParsedConstraint:
    """A constraint's bindings, filter and expression as trees; None where parsing failed."""

    spec: Constraint
    where: str
    """``constraints[name]``: prefix of every location in this constraint."""
    bindings: tuple[Binding | None, ...]
    filter: Node | None
    expression: Node | None

    @property
    def ok(self) -> bool:
        return (
            self.expression is not None
            and all(b is not None for b in self.bindings)
            and (self.filter is not None or not self.spec.where)
        )


@dataclass(frozen=True)
class ParsedSpec:
    objective: Node | None
    constraints: list[ParsedConstraint]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_spec_expressions(spec: ModelSpec) -> ParsedSpec:
    """Parse the objective and every constraint's ``for``, ``where`` and expression once."""
    diags: list[Diagnostic] = []

    def parse(text: str, where: str) -> Node | None:
        node, found = parse_expression(text, where)
        diags.extend(_with_hint(d) for d in found)
        return node

    objective = parse(spec.objective.expression, "objective.expression")
    constraints = []
    for k, con in enumerate(spec.constraints):
        base = f"constraints[{con.name or k}]"
        bindings = []
        for j, text in enumerate(con.for_):
            binding, found = parse_binding(text, f"{base}.for[{j}]")
            diags.extend(_with_hint(d) for d in found)
            bindings.append(binding)
        filt = parse(con.where, f"{base}.where") if con.where and con.where.strip() else None
        expression = parse(con.expression, f"{base}.expression")
        constraints.append(ParsedConstraint(con, base, tuple(bindings), filt, expression))
    return ParsedSpec(objective, constraints, diags)


_PARSE_HINTS = {
    "parse.syntax": "Check brackets, commas and operators; expressions are Python-shaped, e.g. "
    "'sum(cost[i] * x[i] for i in Items) <= budget'.",
    "parse.bad-arguments": "See the expression language: sum(e for i in I), abs(e), min(a, b), max(a, b), "
    "implies(cond, constraint), either(c1, c2), at_least(k, [c1, c2]).",
    "parse.bad-binding": "Write each 'for' entry as 'i in SetName' or '(a, b) in SetName'.",
}


def _with_hint(d: Diagnostic) -> Diagnostic:
    """Parse diagnostics reach the formulator too, so each gets a hint if the parser gave none."""
    if d.hint or d.code not in _PARSE_HINTS:
        return d
    return d.model_copy(update={"hint": _PARSE_HINTS[d.code]})


def check(spec: ModelSpec) -> list[Diagnostic]:
    """Every problem found in ``spec``: errors block solving, warnings may prompt a repair."""
    out: list[Diagnostic] = []
    if not spec.variables:
        out.append(_diag("check.no-variables", "variables", "the model has no variables",
                         "Add the decisions as variables, e.g. {'name': 'x', 'index': ['Items']}."))
    out += _names(spec)
    out += _sets(spec)
    symbols = build_symbols(_bounded(spec))
    out += _parameters(spec, symbols)
    out += _variables(spec)
    parsed = parse_spec_expressions(spec)
    out += parsed.diagnostics
    checker = ExprChecker(symbols, out.append)
    _expressions(parsed, checker, out)
    out += _unused(spec, checker.used_vars, parsed)
    return out


def _diag(code: str, where: str, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code=code, severity=severity, stage=Stage.CHECK, where=where, message=message, hint=hint)


def _expressions(parsed: ParsedSpec, checker: ExprChecker, out: list[Diagnostic]) -> None:
    def guarded(where: str, run) -> None:
        checker.where = where
        try:
            run()
        except RecursionError:
            out.append(Diagnostic(code="parse.syntax", stage=Stage.PARSE, where=where,
                                  message="the expression is nested too deeply to check",
                                  hint="Split it into a sum(...) or several constraints."))

    if parsed.objective is not None:
        guarded("objective.expression", lambda: checker.objective(parsed.objective))
    for pc in parsed.constraints:
        scope = Scope(complete=all(b is not None for b in pc.bindings))
        for j, binding in enumerate(pc.bindings):
            if binding is not None:
                checker.where = f"{pc.where}.for[{j}]"
                scope = checker.bind([binding], scope)
        if pc.filter is not None:
            scope = Scope(scope.names, filtered=True, complete=scope.complete)
            guarded(f"{pc.where}.where", lambda pc=pc, scope=scope: checker.filter(pc.filter, scope))
        if pc.expression is not None:
            guarded(f"{pc.where}.expression", lambda pc=pc, scope=scope: checker.constraint(pc.expression, scope))


# -- names ---------------------------------------------------------------------------------
def _names(spec: ModelSpec) -> list[Diagnostic]:
    out = []
    seen: dict[str, str] = {}
    groups: list[tuple[str, str, Iterable]] = [
        ("set", "sets", spec.sets), ("parameter", "parameters", spec.parameters),
        ("variable", "variables", spec.variables),
    ]
    for kind, plural, items in groups:
        for item in items:
            where = f"{plural}[{item.name}].name"
            if not item.name.isidentifier() or keyword.iskeyword(item.name):
                fixed = re.sub(r"\W+", "_", item.name).strip("_") or kind[0]
                fixed = f"{kind[0]}_{fixed}" if fixed[0].isdigit() or keyword.iskeyword(fixed) else fixed
                out.append(_diag("check.bad-name", where, f"{item.name!r} cannot be written in an expression",
                                 f"Use an identifier: letters, digits and _, not starting with a digit, "
                                 f"e.g. {fixed!r}."))
            if item.name in seen:
                out.append(_diag("check.duplicate-name", where,
                                 f"{item.name} is defined twice (as a {seen[item.name]} and as a {kind})",
                                 "Give every set, parameter and variable its own name."))
            else:
                seen[item.name] = kind
    constraint_names: set[str] = set()
    for k, con in enumerate(spec.constraints):
        where = f"constraints[{con.name or k}].name"
        if not con.name.strip():
            out.append(_diag("check.bad-name", where, "a constraint has no name",
                             "Name every constraint, e.g. 'capacity' or 'min_protein'."))
        elif con.name in constraint_names:
            out.append(_diag("check.duplicate-name", where, f"two constraints are named {con.name}",
                             "Give every constraint its own name; results and conflicts are reported by name."))
        elif con.name in seen:
            out.append(_diag("check.duplicate-name", where,
                             f"the constraint {con.name} has the same name as the {seen[con.name]} {con.name}",
                             "A distinct name (e.g. 'meet_" + con.name + "') makes reports unambiguous.",
                             Severity.INFO))
        constraint_names.add(con.name)
    return out


# -- sets ----------------------------------------------------------------------------------
def _range_size(r: IntRange) -> int:
    return max(0, r.stop - r.start + 1)


def _bounded(spec: ModelSpec) -> ModelSpec:
    """The spec with oversize ranges and tables emptied, so that building symbols stays cheap."""
    sets = [s.model_copy(update={"range": IntRange(start=1, stop=0)})
            if s.range is not None and _range_size(s.range) > MAX_SET_SIZE else s for s in spec.sets]
    sizes = {s.name: len(s.elements) if s.elements is not None else _range_size(s.range) if s.range else 0
             for s in sets}
    params = [p.model_copy(update={"index": [], "values": None, "entries": None})
              if _cells(p.index, sizes) > MAX_TABLE_SIZE else p for p in spec.parameters]
    return spec.model_copy(update={"sets": sets, "parameters": params})


def _cells(index: list[str], sizes: dict[str, int]) -> int:
    return math.prod(sizes.get(s, 0) for s in index) if index else 1


def _sets(spec: ModelSpec) -> list[Diagnostic]:
    out = []
    for s in spec.sets:
        where = f"sets[{s.name}]"
        if s.elements is not None and s.range is not None:
            out.append(_diag("check.set-definition", where, f"{s.name} has both 'elements' and 'range'",
                             "Keep one: 'elements' for named members, 'range' for consecutive integers "
                             "(and set the other to null)."))
        elif s.elements is None and s.range is None:
            out.append(_diag("check.set-definition", where, f"{s.name} has neither 'elements' nor 'range'",
                             "Give its members, e.g. 'elements': ['A', 'B'] or 'range': {'start': 1, 'stop': 12}."))
        if s.range is not None:
            if s.range.stop < s.range.start:
                out.append(_diag("check.set-definition", f"{where}.range",
                                 f"the range of {s.name} stops at {s.range.stop}, before it starts at {s.range.start}",
                                 "A range is inclusive: {'start': 1, 'stop': 12} is 1, 2, ..., 12."))
            elif _range_size(s.range) > MAX_SET_SIZE:
                out.append(_diag("check.set-definition", f"{where}.range",
                                 f"the range of {s.name} has {_range_size(s.range):,} members "
                                 f"(limit {MAX_SET_SIZE:,})", "Check the start and stop of the range."))
        if s.elements is not None:
            out += _elements(s, where)
    return out


def _elements(s: IndexSet, where: str) -> list[Diagnostic]:
    if not s.elements:
        return [_diag("check.empty-set", f"{where}.elements", f"{s.name} has no members",
                      "List its members; anything indexed by an empty set vanishes from the model.",
                      Severity.WARNING)]
    out = []
    tuples = [e for e in s.elements if isinstance(e, list)]
    lengths = Counter(len(e) for e in tuples)
    if tuples and len(tuples) != len(s.elements):
        out.append(_diag("check.set-definition", f"{where}.elements",
                         f"{s.name} mixes single members and lists",
                         "Either every member is a single name or number, or every member is a list "
                         "of the same length, e.g. [['A', 'B'], ['B', 'C']]."))
    elif len(lengths) > 1:
        usual = lengths.most_common(1)[0][0]
        odd = next(e for e in tuples if len(e) != usual)
        out.append(_diag("check.set-definition", f"{where}.elements",
                         f"members of {s.name} have different lengths: most have {usual} parts, {odd} has {len(odd)}",
                         f"Give every member of {s.name} exactly {usual} parts."))
    elif tuples and min(lengths) < 2:
        out.append(_diag("check.set-definition", f"{where}.elements",
                         f"members of {s.name} are lists of one part",
                         "Write single members without brackets: ['A', 'B'], not [['A'], ['B']]."))
    counts = Counter(tuple(e) if isinstance(e, list) else e for e in s.elements)
    dups = [m for m, n in counts.items() if n > 1]
    if dups:
        shown = ", ".join(repr(list(m) if isinstance(m, tuple) else m) for m in dups[:5])
        out.append(_diag("check.duplicate-element", f"{where}.elements", f"{s.name} lists {shown} more than once",
                         "List each member once; dense parameter values follow the member order."))
    return out


# -- parameters ----------------------------------------------------------------------------
def _parameters(spec: ModelSpec, symbols: Symbols) -> list[Diagnostic]:
    out = []
    for p in spec.parameters:
        where = f"parameters[{p.name}]"
        out += _unknown_sets(p.index, symbols, f"{where}.index")
        out += _non_finite(p, where)
        if not p.index:
            out += _scalar(p, where)
            continue
        if p.values is None and not p.entries and p.value is None:
            out.append(_diag("check.parameter-missing-value", where, f"{p.name} has no values",
                             f"Give 'values' as nested lists over {' x '.join(p.index)}, or 'entries', or "
                             "'value' for one number everywhere."))
        if any(s not in symbols.sets for s in p.index):
            continue
        sets = [symbols.sets[s] for s in p.index]
        if math.prod(s.size for s in sets) > MAX_TABLE_SIZE:
            out.append(_diag("check.parameter-shape", where,
                             f"{p.name} over {' x '.join(p.index)} would have more than {MAX_TABLE_SIZE:,} values",
                             "Check the sets it is indexed by."))
            continue
        if p.values is not None and p.entries:
            out.append(_diag("check.parameter-shape", where, f"{p.name} has both 'values' and 'entries'",
                             "Keep one of them; entries override values where both give a number.",
                             Severity.WARNING))
        if p.values is not None:
            out += _dense_shape(p, sets, f"{where}.values")
        if p.entries:
            out += _entries(p, symbols, f"{where}.entries")
    return out


def _scalar(p: Parameter, where: str) -> list[Diagnostic]:
    if p.values is None and not p.entries:
        if p.value is None:
            return [_diag("check.parameter-missing-value", f"{where}.value", f"{p.name} has no value",
                          "Give the number in 'value'.")]
        return []
    field_name = "values" if p.values is not None else "entries"
    return [_diag("check.parameter-shape", f"{where}.{field_name}",
                  f"{p.name} has no 'index' but gives '{field_name}', which only tables have",
                  "For one number use 'value'; for a table list the sets it is indexed by in 'index'.")]


def _flat(values: object) -> Iterable[object]:
    stack = [values]
    while stack:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(cur)
        else:
            yield cur


def _non_finite(p: Parameter, where: str) -> list[Diagnostic]:
    found = [(f"{where}.value", p.value)] if p.value is not None and not math.isfinite(p.value) else []
    found += [(f"{where}.values", v) for v in _flat(p.values or []) if not math.isfinite(float(v))][:1]
    found += [(f"{where}.entries", e.value) for e in p.entries or [] if not math.isfinite(e.value)][:1]
    return [_diag("check.parameter-non-finite", w, f"{p.name} contains {v}, which is not a finite number",
                  "Use finite numbers; for 'no limit' leave the constraint out or use a bound of null.")
            for w, v in found]


def _shape(values: object) -> tuple[int, ...] | None:
    """Shape of nested lists, or None when rows differ in length (ragged)."""
    if not isinstance(values, list):
        return ()
    shapes = {_shape(v) for v in values}
    if len(shapes) > 1 or None in shapes:
        return None
    return (len(values), *(shapes.pop() if shapes else ()))


def _dense_shape(p: Parameter, sets: list, where: str) -> list[Diagnostic]:
    expected = tuple(s.size for s in sets)
    try:
        got = _shape(p.values)
    except RecursionError:
        got = None
    if got == expected:
        return []
    dims = " x ".join(f"{s.size} ({s.name})" for s in sets)
    shown = "rows of different lengths" if got is None else " x ".join(map(str, got)) or "a single number"
    transposed = got is not None and len(got) == 2 and got == expected[::-1] and got != expected
    outer = sets[0]
    return [_diag("check.parameter-shape", where,
                  f"{p.name} needs values of shape {dims}, got {shown}" + (" (it looks transposed)" if transposed else ""),
                  f"Give one entry per member of {outer.name} in order ({_show(outer.members)})"
                  + (", each a list with one number per member of " + " then ".join(s.name for s in sets[1:])
                     if len(sets) > 1 else "") + ".")]


def _show(members: list, limit: int = 5) -> str:
    text = ", ".join(map(str, members[:limit]))
    return text + (f", ... {len(members)} in all" if len(members) > limit else "")


def _entries(p: Parameter, symbols: Symbols, where: str) -> list[Diagnostic]:
    sets = [symbols.sets[s] for s in p.index]
    widths = [s.width for s in sets]
    out, keys = [], []
    for entry in p.entries or []:
        key = _split_key(entry.key, widths)
        problem = None
        if key is None:
            problem = f"the key {entry.key} has {len(entry.key)} parts, {p.name} takes {sum(widths)} ({', '.join(p.index)})"
            hint = f"Give one member of each of {', '.join(p.index)} in that order."
        else:
            for s, member in zip(sets, key, strict=True):
                if member not in s.position:
                    problem = f"the key {entry.key}: {member!r} is not a member of {s.name}"
                    hint = _member_hint(member, s.members, s.name)
                    break
            else:
                keys.append(key)
        if problem and len(out) < 3:
            out.append(_diag("check.parameter-extra-value", where, problem, hint))
        elif problem:
            out.append(_diag("check.parameter-extra-value", where, f"{problem} (and more like it)", hint))
            break
    repeated = [k for k, n in Counter(keys).items() if n > 1]
    if repeated:
        out.append(_diag("check.parameter-extra-value", where, f"{p.name} lists the key {list(repeated[0])} twice",
                         "Give each key once; the last value would win.", Severity.WARNING))
    total = math.prod(s.size for s in sets)
    missing = total - len(set(keys))
    if p.value is None and p.values is None and missing > 0:
        out.append(_diag("check.parameter-missing-value", where,
                         f"{missing} of {total} members of {p.name} have no value and there is no default",
                         "Add entries for them, or set 'value' to the default for keys not listed (often 0).",
                         Severity.WARNING))
    return out


def _split_key(key: list, widths: list[int]) -> tuple | None:
    if len(key) == len(widths) and all(w == 1 for w in widths):
        return tuple(key)
    if len(key) != sum(widths):
        return None
    out, k = [], 0
    for w in widths:
        out.append(key[k] if w == 1 else tuple(key[k : k + w]))
        k += w
    return tuple(out)


def _member_hint(member: object, members: list, set_name: str) -> str:
    if isinstance(member, str) and member.strip().lstrip("-").isdigit() and int(member) in members:
        return f"{set_name} has integer members: write {int(member)} without quotes."
    if isinstance(member, int) and str(member) in members:
        return f"{set_name} has text members: write '{member}' in quotes."
    guess = suggest(str(member), [str(m) for m in members])
    return f"Did you mean {guess!r}?" if guess else f"Members of {set_name}: {_show(members)}."


def _unknown_sets(index: list[str], symbols: Symbols | set[str], where: str) -> list[Diagnostic]:
    names = list(symbols.sets) if isinstance(symbols, Symbols) else list(symbols)
    out = []
    for s in index:
        if s not in names:
            guess = suggest(s, names)
            out.append(_diag("check.unknown-set", where, f"there is no set named {s}",
                             f"Did you mean '{guess}'?" if guess else
                             f"Define {s} under 'sets', or use one of: {', '.join(names) or 'none defined'}."))
    return out


# -- variables -----------------------------------------------------------------------------
def _variables(spec: ModelSpec) -> list[Diagnostic]:
    set_names = {s.name for s in spec.sets}
    out = []
    for v in spec.variables:
        where = f"variables[{v.name}]"
        out += _unknown_sets(v.index, set_names, f"{where}.index")
        out += _bounds(v, where)
    return out


def _bounds(v: Variable, where: str) -> list[Diagnostic]:
    lo = -math.inf if v.lower is None else v.lower
    hi = math.inf if v.upper is None else v.upper
    if math.isnan(lo) or math.isnan(hi) or lo == math.inf or hi == -math.inf:
        return [_diag("check.bounds-inverted", where, f"{v.name} has bounds [{lo}, {hi}], which admit no value",
                      "Use a finite number, or null for no bound.")]
    if lo > hi:
        return [_diag("check.bounds-inverted", where,
                      f"the lower bound of {v.name} ({lo:g}) is above its upper bound ({hi:g})",
                      "Swap them or correct the numbers; no value can satisfy them.")]
    if v.domain is Domain.INTEGER and math.isfinite(lo) and math.isfinite(hi) and math.ceil(lo) > math.floor(hi):
        return [_diag("check.bounds-inverted", where,
                      f"no whole number lies between the bounds of {v.name} ({lo:g} and {hi:g})",
                      "Widen the bounds, or make the variable continuous.")]
    if v.domain is Domain.BINARY and any(b is not None and not 0 <= b <= 1 for b in (v.lower, v.upper)):
        return [_diag("check.binary-bounds", where,
                      f"{v.name} is binary but has bounds [{lo:g}, {hi:g}]; binary variables are 0 or 1 regardless",
                      "Drop the bounds (lower 0, upper null), or make it an integer variable if it counts "
                      "more than one.", Severity.WARNING)]
    return []


def _unused(spec: ModelSpec, used: set[str], parsed: ParsedSpec) -> list[Diagnostic]:
    """Variables no expression mentions; unparsed text is searched too, to avoid false alarms."""
    raw = " ".join([spec.objective.expression, *(c.expression or "" for c in spec.constraints)])
    out = []
    for name in dict.fromkeys(v.name for v in spec.variables):
        if name in used or re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", raw) and not _all_parsed(parsed):
            continue
        out.append(_diag("check.unused-variable", f"variables[{name}]",
                         f"{name} appears in no constraint and not in the objective",
                         "Use it where the text says it matters, or remove it.", Severity.WARNING))
    return out


def _all_parsed(parsed: ParsedSpec) -> bool:
    return parsed.objective is not None and all(pc.expression is not None for pc in parsed.constraints)
