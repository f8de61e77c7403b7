"""Reading a result: a plain-language summary, and the model as LaTeX.

Both are derived from the spec and the Result only, so they read the same
whichever formulator or backend produced the answer.
"""

from __future__ import annotations

import math
import re

from nl2opt import present
from nl2opt.check.parsed import ParsedSpec, parse_spec_expressions
from nl2opt.expr.nodes import (
    Binding,
    BinOp,
    BoolOp,
    Call,
    Compare,
    ListOf,
    Name,
    Neg,
    Node,
    Not,
    Num,
    Str,
    Subscript,
    Sum,
)
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.reading import reading
from nl2opt.result import Result, Status
from nl2opt.spec import Domain, ModelSpec
from nl2opt.values import nonzero_entries
from nl2opt.verify.plausibility import TEXT_CODES

MAX_LISTED = 12
"""Decisions and constraints listed by name in the summary; the rest are counted."""

_CLASS_WORDS = {
    "convex-qp": "The model is a convex quadratic program.",
    "convex-qcqp": "The model is convex, with quadratic or cone constraints.",
    "nonconvex-qp": "The model is a nonconvex quadratic program; an optimum the solver proves is global, "
    "within its tolerances.",
    "nonconvex-qcqp": "The model has nonconvex quadratic constraints; an optimum the solver proves is "
    "global, within its tolerances.",
    "miqp": "The model is a mixed-integer quadratic program.",
    "miqcp": "The model is mixed-integer with quadratic constraints.",
}
"""A sentence after the headline for the quadratic classes (``Result.problem_class``)."""

_HEADLINES = {
    Status.OPTIMAL: "An optimal solution was found.",
    Status.FEASIBLE: "A feasible solution was found, but the solver stopped at a limit before proving it optimal.",
    Status.UNVERIFIED: "No verified answer: the values the solver returned fail verification (see below), "
    "so they must not be used.",
    Status.INFEASIBLE: "The model has no solution: its constraints contradict each other.",
    Status.UNBOUNDED: "The model is unbounded: the objective can be improved without limit, so a limit is missing.",
    Status.INFEASIBLE_OR_UNBOUNDED: "The model is either infeasible or unbounded.",
    Status.NO_SOLUTION: "The solver stopped at a limit before finding any feasible solution; allow more time.",
    Status.INVALID: "The model could not be solved because it has errors (listed below).",
    Status.ERROR: "The solver failed (details below).",
    Status.DECLINED: "No trustworthy model could be built from the text.",
}


def explain(result: Result, parsed: ParsedSpec | None = None) -> str:
    """A few sentences a non-specialist can act on (``parsed``: the spec's trees, not parsed again)."""
    lines = [_HEADLINES[result.status]]
    if result.status is Status.ERROR and any(d.code == "solve.capability" for d in result.diagnostics):
        lines = [f"The {result.backend} backend cannot solve this kind of model (details below)."]
    if result.problem_class in _CLASS_WORDS and result.status.has_values:
        lines[0] += " " + _CLASS_WORDS[result.problem_class]
    spec = result.spec
    if result.status.has_solution and spec is not None:
        trees = present.trees_of(spec, parsed)
        unit = present.units(spec, result.text, trees)
        lines.append(f"{objective_label(spec)}: {present.with_unit(result.objective, unit.objective)}.")
        lines.extend(level_lines(result))
        lines.extend(_gap(result, unit))
        lines.extend(_reports(result, spec))
        lines.append("What to do:")
        lines.extend(_decisions(result, spec, unit))
        binding = [r for r, _ in present.unique_rows(spec, [r for r in result.rows if r.binding])]
        if binding:
            constraints = {c.name: c for c in spec.constraints}
            lines.append("Limits that are reached (binding constraints):")
            for r in binding[:MAX_LISTED]:
                con = constraints.get(r.constraint)
                text = present.constraint_text(spec, con, trees) if con is not None else ""
                at = present.with_unit(r.activity, unit.of_constraint(r.constraint))
                price = present.shadow_price(spec, r, result.text, trees, unit)
                lines.append(f"  - {r.name}{f' ({text})' if text else ''}: at {at}{f'. {price}' if price else ''}")
            if len(binding) > MAX_LISTED:
                lines.append(f"  - ... and {len(binding) - MAX_LISTED} more")
    lines.extend(reading_section(result))
    for d in result.errors[:5]:
        lines.append(f"Problem: {d.message}" + (f" ({d.hint})" if d.hint else ""))
    return "\n".join(lines)


def level_lines(result: Result) -> list[str]:
    """Each priority level's value, optimum and the bound it was held to (empty for one objective)."""
    if len(result.levels) < 2:
        return []
    out = ["Priority levels, optimised in this order (the objective above is the last one):"]
    for level in result.levels:
        value = _num(level.value) if level.value is not None else "not reached"
        held = ""
        if level.held is not None:
            side = "at most" if level.sense == "minimize" else "at least"
            held = f"; held {side} {_num(level.held)} while the later levels were optimised"
        best = f" (best {_num(level.optimum)}{held})" if level.optimum is not None else ""
        out.append(f"  - {level.name}, {level.sense}: {value}{best}")
    return out
def _gap(result: Result, unit: present.Units) -> list[str]:
    """A MIP "optimum" is one within the solver's relative gap; say so when the gap is not zero."""
    gap, bound = result.mip_gap, result.best_bound
    if gap is None or bound is None or not math.isfinite(gap) or abs(gap) < 1e-9:
        return []
    side = "at most" if result.spec is not None and result.spec.headline.sense.value == "maximize" else "at least"
    return [
        f"(Optimal within the solver's tolerance: the best possible value is {side} "
        f"{present.with_unit(bound, unit.objective)}, a gap of {100 * abs(gap):.2g}%.)"
    ]


def _reports(result: Result, spec: ModelSpec) -> list[str]:
    """The asked quantity first (when it is a report), then the other reports."""
    out = []
    for r in spec.reports:
        if r.name not in result.reports:
            continue
        unit = f" {r.unit}" if r.unit else ""
        desc = f" ({r.description})" if r.description else ""
        label = "Answer" if r.name == spec.answer else "Also"
        line = f"{label}: {r.name} = {_num(result.reports[r.name])}{unit}{desc}."
        if r.name == spec.answer:
            out.insert(0, line)
        else:
            out.append(line)
    return out


def reading_section(result: Result) -> list[str]:
    """What 'verified' covers, and what it does not: the model's reading of the text.

    The solver-independent check proves the answer fits the model; only the user can say
    whether the model fits the words. So the reading is listed in plain words, with the
    model's assumptions, the open text warnings and, with several samples, their agreement.
    """
    spec = result.spec
    if spec is None:
        return []
    out: list[str] = []
    if result.status.has_solution:
        checked = "checked" if result.verified else "NOT confirmed"
        out.append(
            f"The solution satisfies the model ({checked} independently of the solver). "
            "Whether the model reads your text as you meant is for you to judge:"
        )
    else:
        out.append("How the model reads the text:")
    lines = result.reading or reading(spec)  # the pipeline's reading, drawn from its trees
    out.extend(f"  - {line}" for line in lines[:MAX_READING])
    if len(lines) > MAX_READING:
        out.append(f"  - ... and {len(lines) - MAX_READING} more")
    warnings = [d for d in result.diagnostics if d.code in TEXT_CODES]
    if warnings:
        out.append("Open questions about the text (warnings):")
        out.extend(f"  - {d.message}" for d in warnings[:MAX_LISTED])
    if result.agreement is not None and result.agreement.samples > 1:
        out.append(f"{result.agreement} sampled readings reach this answer.")
        for other in result.readings[1:]:
            what = f"objective {_num(other.objective)}" if other.objective is not None else other.status.value
            out.append(f"  - {other.samples} reading(s) give {what}" + (":" if other.differences else ""))
            out.extend(f"      {d}" for d in other.differences[:MAX_LISTED])
    return out


MAX_READING = 40
"""Lines of the reading listed in the explanation; the Result's ``reading`` holds all."""


def objective_label(spec: ModelSpec) -> str:
    """'Maximize profit', whether or not the description already starts with the verb."""
    goal = (spec.headline.description or spec.headline.expression).strip().rstrip(".")
    sense = spec.headline.sense.value
    if not goal.lower().startswith(("maxim", "minim")):
        goal = f"{sense} {goal}"
    if spec.objective is None and len({g.priority for g in spec.objectives}) > 1:
        return f"Last priority level ({goal[:1].lower() + goal[1:]})"
    return goal[:1].upper() + goal[1:]


def _decisions(result: Result, spec: ModelSpec, unit: present.Units) -> list[str]:
    described = {v.name: v.description for v in spec.variables}
    out: list[str] = []
    for name in result.values:
        desc = described.get(name, "")
        suffix = f" ({desc})" if desc else ""
        of = unit.of_variable(name)
        listed = nonzero_entries(result.values, name, MAX_LISTED)
        if listed is None:
            out.append(f"  - {name} = {present.with_unit(result.values[name], of)}{suffix}")
            continue
        nonzero, count = listed
        out.extend(f"  - {name}[{k}] = {present.with_unit(v, of)}{suffix}" for k, v in nonzero)
        if count > MAX_LISTED:
            out.append(f"  - ... {count} nonzero values of {name} in all")
        if not count:
            out.append(f"  - every {name} is 0{suffix}")
    return out


def _num(v: float | None) -> str:
    if v is None:
        return "n/a"
    if not math.isfinite(v):
        return "not a number" if math.isnan(v) else ("infinite" if v > 0 else "minus infinite")
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.2f}"


# -- LaTeX --------------------------------------------------------------------------------


def latex(spec: ModelSpec, parsed: ParsedSpec | None = None) -> str:
    """The model in textbook form (an ``aligned`` block), for display; never re-parsed.

    ``parsed`` is the spec's expressions as the checker parsed them (parsed here when not
    given); an expression that does not parse is shown as its text.

    Every name, index and string from the spec is escaped (``_ident``, ``_tex_text``), so a
    spec cannot inject LaTeX commands (``\\input``, ``\\write18``) or comment out the rest.
    """
    parsed = parse_spec_expressions(spec) if parsed is None else parsed
    sense = r"\min" if spec.headline.sense.value == "minimize" else r"\max"
    lines = [rf"{sense}\quad & {_expr(parsed.objective, spec.headline.expression)} \\"]
    if spec.objective is None:  # goals at priority levels: one line each, in the order they are solved
        order = sorted(zip(spec.objectives, parsed.goals, strict=False), key=lambda pair: pair[0].priority)
        lines = []
        for g, node in order:
            op = r"\min" if g.sense.value == "minimize" else r"\max"
            body = _expr(node, g.expression)
            body = body if g.weight == 1 else rf"{g.weight:g} \cdot ({body})"
            lines.append(rf"{op}_{{{g.priority}}}\quad & {body} \quad \text{{({_tex_text(g.name)})}} \\")
    lines.append(r"\text{s.t.}\quad & \\")
    for con, pc in zip(spec.constraints, parsed.constraints, strict=True):
        body = _expr(pc.expression, con.expression)
        quant = [_binding(b) for b in pc.bindings if b is not None]
        if con.where:
            quant.append(_expr(pc.filter, con.where))
        tail = rf"\quad \forall\, {', '.join(quant)}" if quant else ""
        lines.append(rf"& {body}{tail} \quad \text{{({_tex_text(con.name)})}} \\")
    domains = []
    for v in spec.variables:
        idx = ", ".join(_ident(s) for s in v.index)
        symbol = _ident(v.name)
        if v.domain is Domain.BINARY:
            dom = r"\in \{0, 1\}"
        elif v.domain is Domain.INTEGER:
            dom = r"\in \mathbb{Z}"
        else:
            dom = r"\in \mathbb{R}"
        bounds = []
        if v.lower is not None:
            bounds.append(f"{symbol} \\ge {_fmt(v.lower)}")
        if v.upper is not None:
            bounds.append(f"{symbol} \\le {_fmt(v.upper)}")
        over = rf"\ ({idx})" if idx else ""
        if v.where is not None and v.over:  # a sparse domain: the cells where its filter holds
            cells = ", ".join(_binding(b) for b in (parse_binding(t)[0] for t in v.over) if b is not None)
            over = rf"\ ({cells} : {_expr(parse_expression(v.where)[0], v.where)})"
        domains.append(f"{symbol} {dom}{over}" + (", " + ", ".join(bounds) if bounds else ""))
    if domains:
        lines.append(rf"& {'; '.join(domains)}")
    for r in spec.reports:
        if not lines[-1].endswith("\\\\"):
            lines[-1] += r" \\"
        lines.append(rf"\text{{report}}\quad & {_ident(r.name)} = {_expr(parsed.reports.get(r.name), r.expression)}")
    return "\\begin{aligned}\n" + "\n".join(lines) + "\n\\end{aligned}"


def _expr(node: Node | None, text: str) -> str:
    if node is None:
        return rf"\text{{{_tex_text(text)}}}"
    return _tex(node)


_OPS = {"<=": r"\le", ">=": r"\ge", "==": "=", "!=": r"\ne", "<": "<", ">": ">"}


def _tex(node: Node, parent: int = 0) -> str:
    match node:
        case Num(value=v):
            return _fmt(v)
        case Str(value=v):
            return rf"\text{{{_tex_text(v)}}}"
        case Name(id=n):
            return _ident(n)
        case Subscript(name=n, indices=idx):
            return f"{_ident(n)}_{{{','.join(_tex(i) for i in idx)}}}"
        case BinOp(op="/", left=a, right=b):
            return rf"\frac{{{_tex(a)}}}{{{_tex(b)}}}"
        case BinOp(op="*", left=a, right=b) if a == b and not isinstance(a, Num):  # e ** 2 parses as e * e
            return f"{_tex(a, 3)}^{{2}}"
        case BinOp(op=op, left=a, right=b):
            prec = 1 if op in "+-" else 2
            symbol = {"+": "+", "-": "-"}.get(op, r"\cdot")
            inner = f"{_tex(a, prec)} {symbol} {_tex(b, prec + (op == '-'))}"
            return f"\\left({inner}\\right)" if prec < parent else inner
        case Neg(operand=a):
            return f"-{_tex(a, 3)}"
        case Compare(ops=ops, operands=operands):
            parts = [_tex(operands[0])]
            for op, o in zip(ops, operands[1:], strict=True):
                parts += [_OPS[op], _tex(o)]
            return " ".join(parts)
        case BoolOp(op=op, values=vals):
            return (r" \wedge " if op == "and" else r" \vee ").join(_tex(v, 3) for v in vals)
        case Not(operand=a):
            return rf"\neg {_tex(a, 3)}"
        case Sum(body=body, bindings=bs, cond=cond):
            under = ", ".join(_binding(b) for b in bs) + (f" : {_tex(cond)}" if cond is not None else "")
            inner = rf"\sum_{{{under}}} {_tex(body, 2)}"
            return f"\\left({inner}\\right)" if parent >= 2 else inner
        case ListOf(items=items, bindings=bs, cond=cond) if bs:
            under = ", ".join(_binding(b) for b in bs) + (f" : {_tex(cond)}" if cond is not None else "")
            return rf"\left\{{ {_tex(items[0])} : {under} \right\}}"
        case ListOf(items=items):
            return rf"\left\{{ {', '.join(_tex(i) for i in items)} \right\}}"
        case Call(func="abs", args=(a,)):
            return rf"\left| {_tex(a)} \right|"
        case Call(func="norm2", args=(ListOf(items=items, bindings=bs, cond=cond),)):
            if bs:
                under = ", ".join(_binding(b) for b in bs) + (f" : {_tex(cond)}" if cond is not None else "")
                inside = rf"\left( {_tex(items[0])} \right)_{{{under}}}"
            else:
                inside = rf"\left( {', '.join(_tex(i) for i in items)} \right)"
            return rf"\left\lVert {inside} \right\rVert_2"
        case Call(func="implies", args=(a, b)):
            return rf"{_tex(a)} \Rightarrow {_tex(b)}"
        case Call(func="either", args=args):
            return r" \;\vee\; ".join(f"({_tex(a)})" for a in args)
        case Call(func=f, args=args):
            fname = _tex_text(f)
            return rf"\operatorname{{\text{{{fname}}}}}\left({', '.join(_tex(a) for a in args)}\right)"
    return r"\text{?}"


def _binding(b: Binding) -> str:
    target = _ident(b.names[0]) if len(b.names) == 1 else f"({', '.join(_ident(n) for n in b.names)})"
    return rf"{target} \in {_ident(b.set)}"


_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
"""LaTeX's special characters and their text-mode spelling, replaced in one pass."""


def _ident(name: str) -> str:
    """A name in math mode: a single letter as is, a plain name in italics, anything else as text."""
    if len(name) == 1 and name.isascii() and name.isalpha():
        return name
    if _PLAIN_NAME.fullmatch(name):
        return r"\mathit{" + name.replace("_", r"\_") + "}"
    return rf"\text{{{_tex_text(name)}}}"


def _tex_text(text: str) -> str:
    """Text safe inside ``\\text{}``: specials escaped, line breaks and control characters as spaces."""
    return "".join(_TEX_SPECIALS.get(ch, ch if ch.isprintable() else " ") for ch in text)


def _fmt(v: float | str) -> str:
    if isinstance(v, str):  # a derived bound not yet resolved (the pipeline shows numbers)
        return _expr(parse_expression(v)[0], v)
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"
