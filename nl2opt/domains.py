"""Sparse domains: which cells of a variable or parameter exist, from its ``over`` and ``where``.

``{"name": "flow", "index": ["N", "N"], "over": ["i in N", "j in N"], "where": "i != j"}``
declares ``flow`` only on the cells where the filter holds: the compiler makes no column
for the others, sums skip them, and a reference to one outside a sum is an error. The
mask is data, like a set's members, so it lives in the symbol table that the checker,
the compiler and the verifier share; it is computed here once per spec with the
verifier's reading of filters (numpy over the grid where it can, else its exact walk).
"""

from __future__ import annotations

import math

import numpy as np

from nl2opt.check.parsed import ParsedSpec
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import ListOf, Name, Node, Num, Str, Subscript, Sum, children, to_text, walk
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.spec import ModelSpec, Parameter, Variable
from nl2opt.symbols import Symbols
from nl2opt.verify.evaluate import Env, EvaluationError, first_outside, grid_mask, row_bindings

__all__ = ["apply_domains", "describe", "domain_mask", "domain_problems"]

MAX_DOMAIN_CELLS = 5_000_000
"""Cells of one dense product whose filter is walked one by one; past it, a problem is reported."""


def apply_domains(spec_parameters: list[Parameter], symbols: Symbols) -> None:
    """Set ``inside`` on the parameters with a ``where``; their values outside become missing (NaN)."""
    for p in spec_parameters:
        info = symbols.params.get(p.name)
        if p.where is None or info is None or info.spec is not p:
            continue
        info.inside, info.domain_problem = domain_mask(p, symbols)
        if info.inside is not None and info.values.shape == info.inside.shape:
            info.values = np.where(info.inside, info.values, np.nan)


def domain_mask(item: Variable | Parameter, symbols: Symbols) -> tuple[np.ndarray | None, str]:
    """The cells of ``item`` where its filter holds (a bool array over its index sets), or a problem.

    None with an empty problem means every cell exists (no ``where``); None with a problem
    means the filter could not be applied, which the checker reports.
    """
    if item.where is None:
        return None, ""
    if not item.index:
        return None, "a scalar has a single cell: 'where' filters the cells of an indexed one"
    if not item.over:
        names = ", ".join(f"'{n} in {s}'" for n, s in zip("ijklmn", item.index, strict=False))
        return None, f"'where' needs 'over' to name the indices it filters, e.g. [{names}]"
    if len(item.over) != len(item.index):
        return None, f"'over' has {len(item.over)} bindings but 'index' has {len(item.index)} sets"
    bindings = []
    for k, text in enumerate(item.over):
        binding, diags = parse_binding(text)
        if binding is None:
            return None, f"over[{k}] {text!r}: {diags[0].message}"
        if binding.set != item.index[k]:
            return None, f"over[{k}] runs over {binding.set}, but index position {k} is {item.index[k]}"
        bindings.append(binding)
    if any(s not in symbols.sets for s in item.index):
        return None, ""  # unknown sets are reported where the index is checked
    cond, diags = parse_expression(item.where)
    if cond is None:
        return None, f"'where' {_short(item.where)!r}: {diags[0].message}"
    bound = {n for b in bindings for n in b.names}
    for node in walk(cond):
        name = node.id if isinstance(node, Name) else node.name if isinstance(node, Subscript) else None
        if name is not None and name not in bound and name not in symbols.params:
            return None, (
                f"'where' {_short(item.where)!r} uses {name}, which is neither an index named in 'over' nor a "
                "parameter (a domain filter may not use variables)"
            )
    sets = [symbols.sets[s] for s in item.index]
    shape = tuple(s.size for s in sets)
    if math.prod(shape) > MAX_DOMAIN_CELLS:
        return None, f"the domain has {math.prod(shape):,} cells to filter, more than {MAX_DOMAIN_CELLS:,}"
    env = Env(symbols, {}, {}, 0.0)
    fast = grid_mask(bindings, env, cond)
    if fast is not None and fast.size == math.prod(shape):
        return fast.reshape(shape).copy(), ""
    mask = np.zeros(shape, dtype=bool)
    positions = [s.position for s in sets]
    try:
        for combo, _ in row_bindings(bindings, env, cond):
            mask[tuple(p[m] for p, m in zip(positions, combo, strict=True))] = True
    except EvaluationError as err:
        return None, f"'where' {_short(item.where)!r} cannot be evaluated: {err}"
    except (ZeroDivisionError, OverflowError, RecursionError, TypeError) as err:
        return None, f"'where' {_short(item.where)!r} cannot be evaluated: {err or type(err).__name__}"
    return mask, ""


def _short(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(item: Variable | Parameter) -> str:
    """``flow (over i in N, j in N where i != j)``: how a message names a sparse domain."""
    return f"{item.name} (over {', '.join(item.over or [])} where {item.where})"


def domain_problems(spec: ModelSpec, symbols: Symbols, parsed: ParsedSpec) -> list[Diagnostic]:
    """Checker findings on sparse domains: filters that cannot be applied, and literal cells outside.

    A reference with bound indices outside a domain depends on the rows it expands to; the
    compiler reports those with the same code (``check.outside-domain``) and the first cell.
    """
    out: list[Diagnostic] = []
    if not any(x.where is not None or x.over for x in [*spec.variables, *spec.parameters]):
        return out
    for kind, items, infos in (
        ("variables", spec.variables, symbols.vars),
        ("parameters", spec.parameters, symbols.params),
    ):
        for item in items:
            info = infos.get(item.name)
            if info is None or info.spec is not item:
                continue
            if info.domain_problem:
                out.append(
                    _diag(
                        "check.bad-domain",
                        f"{kind}[{item.name}].where",
                        info.domain_problem,
                        "Name each index set in 'over' in the order of 'index' (e.g. ['i in Nodes', "
                        "'j in Nodes']) and filter with those names in 'where' (e.g. 'i != j').",
                    )
                )
            elif item.over and item.where is None:
                out.append(
                    _diag(
                        "check.bad-domain",
                        f"{kind}[{item.name}].over",
                        f"{item.name} names its indices in 'over' but has no 'where', so every cell exists",
                        "Add the filter in 'where' (e.g. 'i != j'), or set 'over' to null.",
                        Severity.WARNING,
                    )
                )
    out += _rows_outside(parsed, symbols)
    trees: list[tuple[str, Node | None]] = [("objective.expression", parsed.objective)]
    trees += [(f"{pc.where}.expression", pc.expression) for pc in parsed.constraints]
    trees += [(f"reports[{name}].expression", node) for name, node in parsed.reports.items()]
    trees += [(f"objectives[{g.name}].expression", node) for g, node in zip(spec.objectives, parsed.goals)]
    for where, tree in trees:
        if tree is None:
            continue
        for node in walk(tree):
            if isinstance(node, Subscript):
                found = _literal_outside(node, symbols)
                if found is not None:
                    out.append(_diag("check.outside-domain", where, *found))
                    break
    return out


def _rows_outside(parsed: ParsedSpec, symbols: Symbols) -> list[Diagnostic]:
    """Constraint rows that name a cell outside a sparse domain outside any sum (first row each)."""
    out = []
    env = Env(symbols, {}, {}, 0.0)
    for pc in parsed.constraints:
        bindings = [b for b in pc.bindings if b is not None]
        if pc.expression is None or not bindings or len(bindings) != len(pc.bindings):
            continue
        for ref in _unsummed(pc.expression):
            info = symbols.vars.get(ref.name) or symbols.params.get(ref.name)
            if info is None or info.inside is None:
                continue
            try:
                combo = first_outside(bindings, env, pc.filter, ref)
            except (EvaluationError, RecursionError, TypeError, ValueError):
                combo = None  # the compiler walks the rows and reports it
            if combo is None:
                continue
            bound = []
            for b, member in zip(bindings, combo, strict=True):
                parts = member if len(b.names) > 1 and isinstance(member, tuple) else (member,)
                bound += [f"{n} = {m!r}" for n, m in zip(b.names, parts, strict=False)]
            cell = f"{ref.name}[{', '.join(to_text(i) for i in ref.indices)}] with {', '.join(bound)}"
            out.append(
                _diag(
                    "check.outside-domain",
                    f"{pc.where}.expression",
                    f"{cell} is outside the domain of {describe(info.spec)}: that cell does not exist",
                    f"Skip those rows with the same filter in the constraint's 'where' (e.g. "
                    f"'{info.spec.where}' in the names used there), or widen the 'where' of {ref.name}.",
                )
            )
            break
    return out


def _unsummed(node: Node) -> list[Subscript]:
    """References not inside a sum or a comprehension (those skip or bind cells of their own)."""
    out, stack = [], [node]
    while stack:  # iterative: a long flat expression is a deep tree
        cur = stack.pop()
        if isinstance(cur, Sum | ListOf):
            continue
        if isinstance(cur, Subscript):
            out.append(cur)
        stack.extend(reversed(children(cur)))
    return out


def _literal_outside(node: Subscript, symbols: Symbols) -> tuple[str, str] | None:
    """Message and hint when every index of ``node`` is a literal naming a cell outside its domain."""
    info = symbols.vars.get(node.name) or symbols.params.get(node.name)
    if info is None or info.inside is None or not all(isinstance(i, Str | Num) for i in node.indices):
        return None
    atoms = [i.value for i in node.indices]  # type: ignore[union-attr]
    atoms = [int(a) if isinstance(a, float) and a.is_integer() else a for a in atoms]
    sets = [symbols.sets[s] for s in info.index]
    if len(atoms) != sum(s.width for s in sets):
        return None  # the index checks report the arity
    position, k = [], 0
    for s in sets:
        member = atoms[k] if s.width == 1 else tuple(atoms[k : k + s.width])
        k += s.width
        at = s.position.get(member)
        if at is None:
            return None  # not a member: the index checks report it
        position.append(at)
    if info.inside[tuple(position)]:
        return None
    item = info.spec
    cell = f"{node.name}[{', '.join(repr(a) for a in atoms)}]"
    return (
        f"{cell} is outside the domain of {describe(item)}: that cell does not exist",
        f"Remove the reference, or widen the 'where' of {node.name} to include it.",
    )


def _diag(code: str, where: str, message: str, hint: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, stage=Stage.CHECK, where=where, message=message, hint=hint
    )
