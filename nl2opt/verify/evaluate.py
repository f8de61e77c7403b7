"""A scalar evaluator of expression trees, kept separate from the compiler.

The verifier re-computes every constraint row and the objective from the spec's own
expressions on the solver's values. If this used the vectorised compiler, a bug
there would check itself; this module reads the spec on its own, one row at a time.

Each expression is turned once (per :class:`Env`) into a tree of small Python
closures, one per node, built by this module's own code from the closed node set
of :mod:`nl2opt.expr.nodes`: nothing here executes model text (no ``eval``, ``exec``
or ``compile``). Closures read bound indices from one dict that sums update in place
and restore, instead of copying an environment per term. Sums large enough to pay
for it are computed whole by :mod:`nl2opt.verify.gather` (numpy over the grid of
the sum's members, :func:`math.fsum` of the terms, identical to the walk), and fall
back to the term-by-term walk whenever anything could go wrong, so errors and
their messages are those of the walk.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nl2opt.check.semantics import CONDITION_TOL
from nl2opt.expr.nodes import (
    ARITH_FUNCS,
    CONE_FUNCS,
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
    shift_of,
    to_text,
    walk,
)
from nl2opt.spec import ModelSpec
from nl2opt.symbols import Member, SetInfo, Symbols, build_symbols
from nl2opt.verify.gather import (
    MAX_CELLS,
    MIN_CELLS,
    Axis,
    IndexSpec,
    SumPlan,
    VAbs,
    VAdd,
    VAxisNum,
    VBool,
    VCompare,
    VCond,
    VConst,
    VDiv,
    VMember,
    VMul,
    VNeg,
    VNode,
    VNot,
    VSum,
    VTable,
    over_grid,
    over_rows,
)

Values = Mapping[str, np.ndarray | float]
"""Variable values: a dense array of the variable's shape, or a float for a scalar."""

Bound = dict[str, Member]
"""Index names bound to members, while an expression is evaluated (updated in place by sums)."""
NumFn = Callable[[Bound], float]
TruthFn = Callable[[Bound, float], bool]
AssessFn = Callable[[Bound, float], "Outcome"]
IndexFn = Callable[[Bound], Member]


class EvaluationError(ValueError):
    """An expression cannot be evaluated here (unknown name, index outside its set, missing value)."""


class OutOfTime(Exception):
    """The environment's deadline passed while a sum was being walked (not an error of the spec)."""


@dataclass
class Env:
    """Everything an expression can refer to: the spec's symbols, variable values, bound indices.

    Treat it as immutable (:meth:`bind` makes a child); it is not frozen only because frozen
    dataclasses are slow to create.
    """

    symbols: Symbols
    values: Values = field(default_factory=dict)
    bound: Mapping[str, Member] = field(default_factory=dict)
    tol: float = 1e-6
    """Absolute tolerance, scaled by ``max(1, |rhs|)``, for comparisons that are constraints."""
    tables: dict[str, _Table] = field(default_factory=dict, compare=False, repr=False)
    """Per-name lookup data, filled on first use and shared by child environments."""
    compiled: dict[tuple[int, str], tuple[object, Callable | bool]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Closures per (node, kind) and facts per set, built on first use and shared by child environments.

    Each entry keeps its node (or set) alive, so that the ``id`` in its key stays its own."""
    deadline: float = math.inf
    """``time.monotonic()`` after which long walks raise :class:`OutOfTime`."""

    @classmethod
    def of(cls, spec: ModelSpec, values: Values | None = None, *, tol: float = 1e-6) -> Env:
        """The top-level environment of ``spec``: no index bound yet."""
        return cls(build_symbols(spec), values or {}, {}, tol)

    def bind(self, names: Sequence[str], member: Member) -> Env:
        """A child environment with ``names`` bound to ``member`` (unpacked when it is a tuple)."""
        bound = dict(self.bound)
        _bind(bound, names, member)
        return Env(self.symbols, self.values, bound, self.tol, self.tables, self.compiled, self.deadline)


def _bind(bound: Bound, names: Sequence[str], member: Member) -> None:
    if len(names) == 1:
        bound[names[0]] = member
    elif isinstance(member, tuple) and len(member) == len(names):
        bound.update(zip(names, member, strict=True))
    else:
        raise EvaluationError(f"cannot bind {', '.join(names)} to the member {member!r}")


@dataclass(frozen=True)
class Outcome:
    """How a constraint (or logic item) fares on the values."""

    holds: bool
    amount: float
    """How far from holding: the residual of a comparison, 0 when it holds."""
    lhs: float | None = None
    rhs: float | None = None
    op: str | None = None


_HOLDS = Outcome(True, 0.0)


def evaluate(node: Node, env: Env) -> float | bool:
    """The value of an arithmetic expression, or the truth of a comparison or logic call.

    Comparisons use the environment's tolerance; filters inside sums are exact.

    Raises:
        EvaluationError: the expression refers to something that has no value here.
    """
    if isinstance(node, Compare | BoolOp | Not) or _is_logic(node):
        return _compiled(node, env, "truth")(dict(env.bound), env.tol)
    return _compiled(node, env, "num")(dict(env.bound))


def violation(node: Node, env: Env, tol: float | None = None) -> float:
    """How much a constraint is violated beyond tolerance; 0 when it holds.

    For a comparison this is the residual (e.g. ``lhs - rhs`` for ``<=``); for logic it
    is the residual of the cheapest way to make it hold, or for ``at_most`` the number
    of items too many.
    """
    out = assess(node, env, env.tol if tol is None else tol)
    return 0.0 if out.holds else out.amount


def assess(node: Node, env: Env, tol: float) -> Outcome:
    """Whether a constraint expression holds within ``tol * max(1, |rhs|)``, and by how much it fails."""
    return _compiled(node, env, "assess")(dict(env.bound), tol)


def failing(node: Node, env: Env) -> Callable[[Mapping[str, Member], float], Outcome | None]:
    """``check(bound, tol)``: None when ``node`` holds for the indices ``bound``, else its :class:`Outcome`.

    The same judgement as :func:`assess`, compiled once for many rows (see :func:`row_bindings`).
    """
    return _compiled(node, env, "failing")


def iter_bindings(bindings: Sequence[Binding], env: Env, cond: Node | None = None) -> Iterator[Env]:
    """Every combination of the bindings' members (in set order) that passes the exact filter."""
    for _, child in iter_rows(bindings, env, cond):
        yield child


def iter_rows(
    bindings: Sequence[Binding], env: Env, cond: Node | None = None
) -> Iterator[tuple[tuple[Member, ...], Env]]:
    """Like :func:`iter_bindings`, with the members of each combination (to name a row)."""
    for combo, bound in row_bindings(bindings, env, cond):
        yield (
            combo,
            Env(env.symbols, env.values, dict(bound), env.tol, env.tables, env.compiled, env.deadline),
        )


def row_bindings(
    bindings: Sequence[Binding], env: Env, cond: Node | None = None
) -> Iterator[tuple[tuple[Member, ...], Mapping[str, Member]]]:
    """Like :func:`iter_rows`, yielding the bound indices instead of an environment.

    The mapping is the same object each time, updated in place: read it before advancing.
    """
    compiler = _Compiler(env)
    axes = compiler.domains(bindings)
    test = None if cond is None else _compiled(cond, env, "truth")
    b: Bound = dict(env.bound)
    if isinstance(axes, str):
        raise EvaluationError(axes)
    if len(axes) == 1 and len(axes[0][0]) == 1:
        (name,), members = axes[0]
        for m in members:
            b[name] = m
            if test is None or test(b, 0.0):
                yield (m,), b
        return
    for combo in itertools.product(*(members for _, members in axes)):
        for (names, _), member in zip(axes, combo, strict=True):
            _bind(b, names, member)
        if test is None or test(b, 0.0):
            yield combo, b


def suspect_rows(
    bindings: Sequence[Binding], env: Env, cond: Node | None, node: Node, tol: float
) -> Iterator[tuple[tuple[Member, ...], Mapping[str, Member]]] | None:
    """The rows of :func:`row_bindings` that may fail ``node``, found with numpy over all rows at once.

    For a comparison whose sides can be gathered (look-ups, products, two-term sums, and sums
    inside the row over gatherable bodies), every row is judged together as :func:`failing`
    judges one, with a margin for the inner sums' floating-point rounding; only rows that fail
    or come within the margin, or whose values are missing or outside their sets, are yielded,
    for the caller to check one by one (the exact judgement, with the messages of the walk).
    None when the rows must be walked.
    """
    if not bindings or not isinstance(node, Compare) or any(op not in ("<=", ">=", "==") for op in node.ops):
        return None
    axes = _Compiler(env).domains(bindings)
    if isinstance(axes, str) or not MIN_CELLS <= math.prod(len(m) for _, m in axes) <= MAX_CELLS:
        return None
    rows = [Axis(names, members) for names, members in axes]
    compiler = _Compiler(env, rows)
    axis_of = {n: k for k, (names, _) in enumerate(axes) for n in names}
    sides = [compiler._vector(o, axis_of) for o in node.operands]
    vcond = None if cond is None else compiler._vector_cond(cond, axis_of)
    if any(v is None for v in sides) or (cond is not None and vcond is None):
        return None
    if math.prod(len(a.members) for a in rows) > MAX_CELLS:
        return None
    grid = tuple(rows[: len(axes)])
    found = over_rows(tuple(rows), len(axes), sides, vcond, dict(env.bound))  # type: ignore[arg-type]
    if found is None:
        return None
    values, mask, invalid, slack = found
    ok = np.ones(values[0].shape, dtype=bool)
    with np.errstate(all="ignore"):
        for op, a, c in zip(node.ops, values, values[1:], strict=False):
            amount = (
                np.maximum(a - c, 0.0)
                if op == "<="
                else np.maximum(c - a, 0.0)
                if op == ">="
                else np.abs(a - c)
            )
            # The walk adds inner sums exactly; numpy's may be off by ``slack``, so rows that
            # close to the line are walked too (a few ulps more for the sides' own rounding).
            margin = 2.0 * slack + 8 * 2.0**-52 * (np.abs(a) + np.abs(c))
            ok &= amount <= tol * np.maximum(1.0, np.abs(c)) - margin
    suspect = ~ok if invalid is None else (~ok | invalid)
    if mask is not None:
        suspect &= mask
    return _rows_at(grid, np.flatnonzero(suspect), dict(env.bound))


def grid_mask(bindings: Sequence[Binding], env: Env, cond: Node) -> np.ndarray | None:
    """Whether ``cond`` holds at every combination of the bindings, in numpy (row order, flat).

    None when only :func:`row_bindings` can say (a filter that cannot be gathered, or a look-up
    outside a table), so the caller walks the rows and meets the error the walk reports.
    """
    compiler = _Compiler(env)
    axes = compiler.domains(bindings)
    if isinstance(axes, str) or math.prod(len(m) for _, m in axes) > MAX_CELLS:
        return None
    axis_of = {n: k for k, (names, _) in enumerate(axes) for n in names}
    vcond = compiler._vector_cond(cond, axis_of)
    if vcond is None:
        return None
    found = over_grid(tuple(Axis(names, members) for names, members in axes), [], vcond, dict(env.bound))
    if found is None or found[1] is None or found[2] is not None:
        return None
    return found[1]


def first_outside(
    bindings: Sequence[Binding], env: Env, cond: Node | None, ref: Subscript
) -> tuple[Member, ...] | None:
    """The members of the first row (of the bindings, where ``cond`` holds) at which ``ref`` names a
    cell outside its table's sparse domain; None when there is none or only a walk could tell.
    """
    compiler = _Compiler(env)
    table, _ = compiler._resolve(ref.name)
    axes = compiler.domains(bindings)
    if table is None or table.inside is None or isinstance(axes, str) or not axes:
        return None
    if math.prod(len(m) for _, m in axes) > MAX_CELLS:
        return None
    axis_of = {n: k for k, (names, _) in enumerate(axes) for n in names}
    gathered = compiler._vector(ref, axis_of)
    vcond = None if cond is None else compiler._vector_cond(cond, axis_of)
    if not isinstance(gathered, VTable) or (cond is not None and vcond is None):
        return None
    exists = dataclasses.replace(table, array=np.asarray(table.inside, dtype=float))
    outside: VCond = VNot(VCompare(">", VTable(exists, gathered.specs), VConst(lambda _: 0.5)))
    grid = tuple(Axis(names, members) for names, members in axes)
    found = over_grid(grid, [], outside if vcond is None else VBool("and", (vcond, outside)), dict(env.bound))
    if found is None or found[1] is None or found[2] is not None:
        return None
    cells = np.flatnonzero(found[1])
    if not cells.size:
        return None
    combo, _ = next(_rows_at(grid, cells[:1], {}))
    return combo


def _rows_at(
    grid: tuple[Axis, ...], cells: np.ndarray, b: Bound
) -> Iterator[tuple[tuple[Member, ...], Mapping[str, Member]]]:
    shape = tuple(len(a.members) for a in grid)
    coords = np.unravel_index(cells, shape)
    for k in range(cells.size):
        combo = tuple(a.members[int(c[k])] for a, c in zip(grid, coords, strict=True))
        for axis, member in zip(grid, combo, strict=True):
            _bind(b, axis.names, member)
        yield combo, b


def member_label(members: Sequence[Member]) -> str:
    """``Seattle, 3`` for a row's members, flattening pairs, as in ``supply[Seattle, 3]``."""
    flat: list[object] = []
    for m in members:
        flat.extend(m if isinstance(m, tuple) else (m,))
    return ", ".join(str(a) for a in flat)


@dataclass(frozen=True)
class _Table:
    """A parameter's or variable's index sets and dense values, resolved once per name."""

    sets: tuple[SetInfo, ...]
    width: int
    array: np.ndarray | None
    problem: str
    """Why ``array`` is None (no values given, or the wrong shape)."""
    is_var: bool
    inside: np.ndarray | None = None
    """The cells of a sparse domain (``where``); None when every cell exists."""
    domain: str = ""
    """How messages name the sparse domain, e.g. ``over i in N, j in N where i != j``."""

    def value(self, position: tuple[int, ...], label: str | Callable[[], str]) -> float:
        if self.array is None:
            raise EvaluationError(self.problem)
        if self.inside is not None and not self.inside[position]:
            text = label if isinstance(label, str) else label()
            raise EvaluationError(
                f"{text} is outside the domain of its {'variable' if self.is_var else 'parameter'} ({self.domain})"
            )
        value = float(self.array[position])
        if math.isnan(value):
            text = label if isinstance(label, str) else label()
            raise EvaluationError(f"{'variable' if self.is_var else 'parameter'} {text} has no value")
        return value


def _table(name: str, env: Env) -> _Table:
    if name in env.tables:
        return env.tables[name]
    info = env.symbols.vars.get(name) or env.symbols.params.get(name)
    if info is None:
        raise EvaluationError(f"unknown name {name}")
    sets = tuple(env.symbols.sets[s] for s in info.index if s in env.symbols.sets)
    if len(sets) != len(info.index):
        raise EvaluationError(f"{name} is indexed by an unknown set")
    shape = tuple(s.size for s in sets)
    is_var = name in env.symbols.vars
    array, problem = _var_array(name, shape, env) if is_var else (env.symbols.params[name].values, "")
    if array is not None and array.shape != shape:
        array, problem = None, f"parameter {name} has no values of shape {shape}"
    item = info.spec
    domain = f"over {', '.join(item.over or [])} where {item.where}" if info.inside is not None else ""
    table = _Table(sets, sum(s.width for s in sets), array, problem, is_var, info.inside, domain)
    env.tables[name] = table
    return table


def _var_array(name: str, shape: tuple[int, ...], env: Env) -> tuple[np.ndarray | None, str]:
    if name not in env.values:
        return None, f"no value for variable {name}"
    try:
        arr = np.asarray(env.values[name], dtype=float)
    except (TypeError, ValueError):
        return None, f"the values of {name} are not numbers"
    if arr.shape != shape and not (shape == () and arr.size == 1):
        return None, f"the values of {name} have shape {arr.shape}, expected {shape}"
    return arr.reshape(shape), ""


def _compiled(node: Node, env: Env, kind: str) -> Callable:
    key = (id(node), kind)
    hit = env.compiled.get(key)
    if hit is None:
        compiler = _Compiler(env)
        fn = {
            "num": compiler.num,
            "truth": compiler.truth,
            "assess": compiler.assess,
            "failing": compiler.failing,
        }[kind](node)
        hit = env.compiled[key] = (node, fn)
    return hit[1]  # type: ignore[return-value]


_MISSING = object()


def _raiser(message: Callable[[], str]) -> Callable[..., object]:
    def fail(*_: object) -> object:
        raise EvaluationError(message())

    return fail


class _Compiler:
    """Turns a tree into closures that evaluate it on a dict of bound indices.

    Every closure computes what the plain recursive walk of the tree would, in the same
    order, raising the same errors: names are resolved when the closure is built, but a
    name that cannot be resolved raises only when (and if) it is evaluated.
    """

    def __init__(self, env: Env, grid: list[Axis] | None = None) -> None:
        self.env = env
        self.grid = grid
        """The rows' grid, to which :meth:`_vector` appends the axes of sums inside a row as it
        makes each a :class:`VSum`: only for :func:`suspect_rows`, whose test allows for their
        rounding. None elsewhere: such sums are then not gathered."""

    # -- numbers ---------------------------------------------------------------------------------
    def num(self, node: Node) -> NumFn:
        match node:
            case Num(value=v):
                x = float(v)
                return lambda b: x
            case BinOp(op="+" | "-"):
                return self._chain(node)
            case BinOp(op="*", left=a, right=c):
                fa, fc = self.num(a), self.num(c)
                return lambda b: fa(b) * fc(b)
            case BinOp(op="/", left=a, right=c):
                return self._divide(node, self.num(a), self.num(c))
            case Neg(operand=a):
                fa = self.num(a)
                return lambda b: -fa(b)
            case Name(id=n):
                return self._name(n)
            case Subscript(name=n, indices=idx):
                return self._lookup(n, idx)
            case Sum():
                return self._sum(node)
            case Call(func=f, args=args) if f in ARITH_FUNCS:
                fns = [self.num(a) for a in args]
                pick = (lambda vals: abs(vals[0])) if f == "abs" else (min if f == "min" else max)
                return lambda b: pick([g(b) for g in fns])
            case Call(func="norm2", args=(ListOf() as lst,)):
                return self._norm(lst)
        return _raiser(lambda: f"{_snippet(node)} is not a number")

    def _norm(self, lst: ListOf) -> NumFn:
        """``norm2([...])`` as written: the square root of the sum of squares, never a squared form."""
        if not lst.bindings:
            fns = [self.num(i) for i in lst.items]
            return lambda b: math.sqrt(math.fsum(g(b) ** 2 for g in fns))
        rows = self.each(lst.bindings, lst.cond)
        item = self.num(lst.items[0])
        names = tuple(dict.fromkeys(n for bd in lst.bindings for n in bd.names))

        def norm(b: Bound) -> float:
            saved = [b.get(n, _MISSING) for n in names]
            try:
                return math.sqrt(math.fsum(item(b) ** 2 for _ in rows(b)))
            finally:
                _restore(b, names, saved)

        return norm

    def _divide(self, node: Node, fa: NumFn, fc: NumFn) -> NumFn:
        def divide(b: Bound) -> float:
            den = fc(b)
            if den == 0:
                raise EvaluationError(f"{_snippet(node)} divides by zero")
            return fa(b) / den

        return divide

    def _chain(self, node: Node) -> NumFn:
        """Left-deep ``a + b - c + ...`` flattened, so a 900-term sum cannot exhaust the stack."""
        terms: list[tuple[float, Node]] = []
        sign = 1.0
        while isinstance(node, BinOp) and node.op in "+-":
            terms.append((sign if node.op == "+" else -sign, node.right))
            node = node.left
        terms.append((sign, node))
        fns = [(s, self.num(t)) for s, t in reversed(terms)]
        fsum = math.fsum
        return lambda b: fsum([s * g(b) for s, g in fns])

    def _resolve(self, name: str) -> tuple[_Table | None, str]:
        try:
            return _table(name, self.env), ""
        except EvaluationError as err:
            return None, str(err)

    def _name(self, name: str) -> NumFn:
        table, problem = self._resolve(name)

        def bound_number(member: Member) -> float:
            if isinstance(member, int | float) and not isinstance(member, bool):
                return float(member)
            raise EvaluationError(f"index {name} = {member!r} is not a number")

        if table is not None and not table.sets and table.array is not None:
            x = float(table.array[()])
            if not math.isnan(x):
                return lambda b: bound_number(b[name]) if name in b else x

        def value(b: Bound) -> float:
            if name in b:
                return bound_number(b[name])
            if table is None:
                raise EvaluationError(problem)
            if table.sets:
                raise EvaluationError(
                    f"{name} is indexed by {', '.join(s.name for s in table.sets)} but used without [..]"
                )
            return table.value((), name)

        return value

    def _plain(self, s: SetInfo) -> bool:
        """Whether every member of ``s`` is one atom (so an index naming a member is the whole key)."""
        key = (id(s), "plain")
        hit = self.env.compiled.get(key)
        if hit is None:
            plain = s.width == 1 and not any(isinstance(m, tuple) for m in s.members)
            hit = self.env.compiled[key] = (s, plain)
        return bool(hit[1])

    def _lookup(self, name: str, indices: Sequence[Node]) -> NumFn:
        table, problem = self._resolve(name)
        if table is None:
            return _raiser(lambda: problem)
        sets, width = table.sets, table.width
        targets = list(sets) if len(indices) == len(sets) else [None] * len(indices)
        fns = [self.index(i, t) for i, t in zip(indices, targets, strict=True)]

        def general(b: Bound) -> float:
            atoms: list[object] = []
            for g in fns:
                value = g(b)
                atoms.extend(value if isinstance(value, tuple) else (value,))
            if len(atoms) != width:
                raise EvaluationError(f"{name} takes {width} indices, got {len(atoms)}")
            position: list[int] = []
            k = 0
            for s in sets:
                member = atoms[k] if s.width == 1 else tuple(atoms[k : k + s.width])
                k += s.width
                at = s.position.get(member)  # type: ignore[arg-type]
                if at is None:
                    raise EvaluationError(
                        f"{name}[{member_label(atoms)}]: {member!r} is not a member of {s.name}"
                    )
                position.append(at)
            return table.value(tuple(position), lambda: f"{name}[{member_label(atoms)}]")

        arr = table.array
        if arr is None or arr.dtype != np.float64 or len(fns) != len(sets) or not fns:
            return general
        if not all(self._plain(s) for s in sets):
            return general
        # Each index names one member of a plain set: a dict look-up per index, then one cell.
        # Anything unusual (a pair where a member was expected, a non-member, no value) takes
        # the general path, which raises what the walk would.
        item = arr.item
        if len(fns) == 1:
            (g0,), (p0,) = fns, [s.position for s in sets]

            def one(b: Bound) -> float:
                at = p0.get(g0(b))  # type: ignore[arg-type]
                if at is None:
                    return general(b)
                v = item(at)
                return v if v == v else general(b)

            return one
        if len(fns) == 2:
            (g0, g1), (p0, p1) = fns, [s.position for s in sets]

            def two(b: Bound) -> float:
                a0 = p0.get(g0(b))  # type: ignore[arg-type]
                a1 = p1.get(g1(b))  # type: ignore[arg-type]
                if a0 is None or a1 is None:
                    return general(b)
                v = item(a0, a1)
                return v if v == v else general(b)

            return two
        pairs = [(g, s.position) for g, s in zip(fns, sets, strict=True)]

        def many(b: Bound) -> float:
            position = []
            for g, p in pairs:
                at = p.get(g(b))  # type: ignore[arg-type]
                if at is None:
                    return general(b)
                position.append(at)
            v = item(*position)
            return v if v == v else general(b)

        return many

    # -- sums and bindings -----------------------------------------------------------------------
    def domains(self, bindings: Sequence[Binding]) -> list[tuple[tuple[str, ...], list[Member]]] | str:
        """Each binding's names and members, or the message of the first that cannot be iterated."""
        out = []
        for bd in bindings:
            info = self.env.symbols.sets.get(bd.set)
            if info is None:
                return f"unknown set {bd.set}"
            if len(bd.names) > 1 and info.width != len(bd.names):
                return f"{bd.set} members have {info.width} parts, not {len(bd.names)}"
            out.append((bd.names, info.members))
        return out

    def each(
        self, bindings: Sequence[Binding], cond: Node | None, exists: Callable[[Bound], bool] | None = None
    ) -> Callable[[Bound], Iterator[None]]:
        """``rows(b)``: sets the bindings in ``b`` for each combination passing ``cond``, in set order.

        ``exists`` drops the combinations a sum skips because a cell it reads is outside a sparse
        domain. The caller saves and restores the names (see :func:`_saved`).
        """
        axes = self.domains(bindings)
        test = None if cond is None else self.truth(cond)
        if exists is not None:
            test = _both(test, exists)
        if isinstance(axes, str):
            message = axes

            def fail(b: Bound) -> Iterator[None]:
                raise EvaluationError(message)
                yield  # pragma: no cover - makes this a generator, raising when first advanced

            return fail
        if len(axes) == 1 and len(axes[0][0]) == 1:
            (name,), members = axes[0]

            def single(b: Bound) -> Iterator[None]:
                for m in members:
                    b[name] = m
                    if test is None or test(b, 0.0):
                        yield None

            return single

        deadline = self.env.deadline
        if len(axes) == 2 and all(len(names) == 1 for names, _ in axes):
            ((outer,), outer_members), ((inner,), inner_members) = axes

            def pairs(b: Bound) -> Iterator[None]:
                for m in outer_members:
                    if time.monotonic() > deadline:
                        raise OutOfTime
                    b[outer] = m
                    for n in inner_members:
                        b[inner] = n
                        if test is None or test(b, 0.0):
                            yield None

            return pairs

        def product(b: Bound) -> Iterator[None]:
            for k, combo in enumerate(itertools.product(*(members for _, members in axes))):
                if not k & 4095 and time.monotonic() > deadline:
                    raise OutOfTime
                for (names, _), member in zip(axes, combo, strict=True):
                    _bind(b, names, member)
                if test is None or test(b, 0.0):
                    yield None

        return product

    def _exists(self, body: Node, bindings: Sequence[Binding]) -> Callable[[Bound], bool] | None:
        """Whether every sparse cell the sum's body reads with the sum's own indices exists.

        A reference that does not use the sum's indices is not skipped (reading it outside its
        domain stays an error), nor one using names that a sum nested in the body binds.
        """
        tests = [self._cell_exists(table, ref.indices) for ref, table in self._sparse_refs(body, bindings)]
        if not tests:
            return None
        return lambda b: all(t(b) for t in tests)

    def _sparse_refs(self, body: Node, bindings: Sequence[Binding]) -> list[tuple[Subscript, _Table]]:
        """The references a sum (or comprehension) skips cells by (see :meth:`_exists`), with their tables."""
        own = {n for bd in bindings for n in bd.names}
        nested = {n for x in walk(body) if isinstance(x, Sum | ListOf) for bd in x.bindings for n in bd.names}
        out = []
        for ref in walk(body):
            if not isinstance(ref, Subscript):
                continue
            names = {x.id for i in ref.indices for x in walk(i) if isinstance(x, Name)}
            if not names & own or names & nested:
                continue
            table, _ = self._resolve(ref.name)
            if table is not None and table.inside is not None:
                out.append((ref, table))
        return out

    def _vector_exists(self, node: Sum, axis_of: dict[str, int]) -> VCond | bool | None:
        """The cells of the grid where every sparse reference exists, in numpy; True when there is none.

        None when a reference cannot be gathered (the plan is then not used). The existence of a
        cell is a look-up in a table of 1.0 (exists) and 0.0, compared with 0.5.
        """
        links: list[VCond] = []
        for ref, table in self._sparse_refs(node.body, node.bindings):
            gathered = self._vector(ref, axis_of)
            if not isinstance(gathered, VTable):
                return None
            exists = dataclasses.replace(table, array=np.asarray(table.inside, dtype=float))
            links.append(VCompare(">", VTable(exists, gathered.specs), VConst(lambda _: 0.5)))
        if not links:
            return True
        return links[0] if len(links) == 1 else VBool("and", tuple(links))

    def _cell_exists(self, table: _Table, indices: Sequence[Node]) -> Callable[[Bound], bool]:
        """True unless the indices name a cell of ``table`` outside its domain (a non-member is left to fail)."""
        sets, inside = table.sets, table.inside
        targets = list(sets) if len(indices) == len(sets) else [None] * len(indices)
        fns = [self.index(i, t) for i, t in zip(indices, targets, strict=True)]

        def exists(b: Bound) -> bool:
            atoms: list[object] = []
            try:
                for g in fns:
                    value = g(b)
                    atoms.extend(value if isinstance(value, tuple) else (value,))
            except EvaluationError:
                return True
            if len(atoms) != table.width:
                return True
            position, k = [], 0
            for s in sets:
                member = atoms[k] if s.width == 1 else tuple(atoms[k : k + s.width])
                k += s.width
                at = s.position.get(member)  # type: ignore[arg-type]
                if at is None:
                    return True
                position.append(at)
            return bool(inside[tuple(position)])  # type: ignore[index]

        return exists

    def _sum(self, node: Sum) -> NumFn:
        exists = self._exists(node.body, node.bindings)
        rows = self.each(node.bindings, node.cond, exists)
        body = self.num(node.body)
        names = tuple(dict.fromkeys(n for bd in node.bindings for n in bd.names))
        fsum = math.fsum

        def walk_sum(b: Bound) -> float:
            saved = [b.get(n, _MISSING) for n in names]
            try:
                return fsum(body(b) for _ in rows(b))
            finally:
                _restore(b, names, saved)

        plan = self._plan(node, exists)
        if plan is None:
            whole = walk_sum
        else:
            run = plan.run

            def planned(b: Bound) -> float:
                value = run(b)
                return walk_sum(b) if value is None else value

            whole = planned
        axes = self.domains(node.bindings)
        if isinstance(axes, str) or math.prod(len(m) for _, m in axes) < MIN_CELLS:
            return whole
        return _memo(whole, tuple(sorted(_names(node) - set(names))))

    def _plan(self, node: Sum, exists: Callable[[Bound], bool] | None = None) -> SumPlan | None:
        """A vectorised plan for the sum, when its size and body allow one (see :mod:`gather`).

        ``exists`` is the walk's test of sparse cells (:meth:`_exists`); the plan then filters
        by the same cells in numpy, or is not made when it cannot.
        """
        axes = self.domains(node.bindings)
        if isinstance(axes, str):
            return None
        cells = math.prod(len(members) for _, members in axes)
        if not MIN_CELLS <= cells <= MAX_CELLS:
            return None
        axis_of = {n: k for k, (names, _) in enumerate(axes) for n in names}
        body = self._vector(node.body, axis_of)
        if body is None:
            return None
        cond = None if node.cond is None else self.truth(node.cond)
        outer = set() if node.cond is None else _names(node.cond) - axis_of.keys()
        vcond = None if node.cond is None else self._vector_cond(node.cond, axis_of)
        if exists is not None:
            vexists = self._vector_exists(node, axis_of)
            if vexists is None or vexists is True or (node.cond is not None and vcond is None):
                return None
            cond = _both(cond, exists)
            vcond = vexists if vcond is None else VBool("and", (vcond, vexists))  # type: ignore[arg-type]
            refs = self._sparse_refs(node.body, node.bindings)
            outer |= {n for ref, _ in refs for n in _names(ref)} - axis_of.keys()
        return SumPlan(
            tuple(Axis(names, members) for names, members in axes), body, cond, tuple(sorted(outer)), vcond
        )

    def _vector_cond(self, node: Node, axis_of: dict[str, int]) -> VCond | None:
        """The sum's filter over its whole grid, when every operand can be gathered (see :mod:`gather`)."""
        match node:
            case Compare(ops=ops, operands=operands):
                vals = [self._vector_operand(o, axis_of) for o in operands]
                if any(v is None for v in vals):
                    return None
                links = [
                    VCompare(op, a, c)  # type: ignore[arg-type]
                    for op, a, c in zip(ops, vals, vals[1:], strict=False)
                ]
                return links[0] if len(links) == 1 else VBool("and", tuple(links))
            case BoolOp(op=op, values=values):
                parts = [self._vector_cond(v, axis_of) for v in values]
                return None if any(p is None for p in parts) else VBool(op, tuple(parts))  # type: ignore[arg-type]
            case Not(operand=a):
                part = self._vector_cond(a, axis_of)
                return None if part is None else VNot(part)
        return None

    def _vector_operand(self, node: Node, axis_of: dict[str, int]) -> VNode | None:
        """A filter operand: a member the sum binds, anything fixed for the sum, or a gathered number."""
        if isinstance(node, Name) and node.id in axis_of:
            return VMember(axis_of[node.id], node.id)
        if not _names(node) & axis_of.keys():
            return VConst(self.operand(node))  # type: ignore[arg-type]
        return self._vector(node, axis_of)

    def _vector(self, node: Node, axis_of: dict[str, int]) -> VNode | None:
        if not _names(node) & axis_of.keys():
            return VConst(self.num(node))
        match node:
            case Name(id=n):
                return VAxisNum(axis_of[n], n)
            case Subscript(name=n, indices=idx):
                table, _ = self._resolve(n)
                if table is None:
                    return None
                specs = []
                if any(shift_of(i) is not None for i in idx):
                    return None  # prev/next: the walk row by row knows their set
                for i in idx:
                    names = _names(i)
                    axes = {axis_of.get(x) for x in names}
                    if not names & axis_of.keys():
                        specs.append(IndexSpec(self.index(i), None))
                    elif len(axes) == 1 and None not in axes:
                        own = i.id if isinstance(i, Name) else None
                        specs.append(IndexSpec(self.index(i), axes.pop(), own))
                    else:
                        return None
                return VTable(table, tuple(specs))
            case BinOp(op="*" | "/" as op, left=a, right=c):
                if self.grid is not None and any(isinstance(n, Sum) for n in walk(node)):
                    return None  # a multiple of an inner sum multiplies its rounding, beyond the margin
                va, vc = self._vector(a, axis_of), self._vector(c, axis_of)
                if va is None or vc is None:
                    return None
                return VMul(va, vc) if op == "*" else VDiv(va, vc)
            case BinOp(op="+" | "-" as op, left=a, right=c) if not (isinstance(a, BinOp) and a.op in "+-"):
                va, vc = self._vector(a, axis_of), self._vector(c, axis_of)
                if va is None or vc is None:
                    return None
                return VAdd(1.0, va, 1.0 if op == "+" else -1.0, vc)
            case Neg(operand=a):
                va = self._vector(a, axis_of)
                return None if va is None else VNeg(va)
            case Call(func="abs", args=(a,)):
                va = self._vector(a, axis_of)
                return None if va is None else VAbs(va)
            case Sum() if self.grid is not None:
                return self._inner_sum(node, axis_of)
        return None

    def _inner_sum(self, node: Sum, axis_of: dict[str, int]) -> VSum | None:
        """A sum inside a row, over new grid axes after the row's (see :class:`VSum`); never nested."""
        grid = self.grid
        axes = self.domains(node.bindings)
        if grid is None or isinstance(axes, str) or not axes:
            return None
        base = len(grid)
        scope = {**axis_of, **{n: base + k for k, (names, _) in enumerate(axes) for n in names}}
        self.grid = None  # a sum in this body is not gathered: its rows are walked instead
        try:
            grid.extend(Axis(names, members) for names, members in axes)
            body = self._vector(node.body, scope)
            cond = None if node.cond is None else self._vector_cond(node.cond, scope)
            if body is not None and self._sparse_refs(node.body, node.bindings):
                exists = self._vector_exists(node, scope)
                if isinstance(exists, VCond):
                    cond = exists if cond is None else VBool("and", (cond, exists))
                else:
                    body = None
        finally:
            self.grid = grid
        if body is None or (node.cond is not None and cond is None):
            del grid[base:]
            return None
        return VSum(body, tuple(range(base, len(grid))), cond)

    # -- indices and filter operands -------------------------------------------------------------
    def index(self, node: Node, target: SetInfo | None = None) -> IndexFn:
        """A set member from an index expression: a bound name, a literal, or integer index arithmetic.

        ``target`` is the set the index selects from: ``prev(t)``/``next(t)`` step in its order.
        """
        shift = shift_of(node)
        if shift is not None:
            return self._shifted(node, shift, target)
        match node:
            case Name(id=n):

                def name(b: Bound) -> Member:
                    if n in b:
                        return b[n]
                    raise EvaluationError(f"index {n} is not bound here")

                return name
            case Str(value=v):
                return lambda b: v
            case Num(value=v) if float(v).is_integer():
                i = int(v)
                return lambda b: i
            case Neg(operand=Num(value=v)) if float(v).is_integer():
                i = -int(v)
                return lambda b: i
            case BinOp(op="+" | "-" as op, left=a, right=c):
                fa, fc = self.index(a), self.index(c)

                def arithmetic(b: Bound) -> Member:
                    left, right = fa(b), fc(b)
                    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (left, right)):
                        raise EvaluationError(f"index arithmetic {_snippet(node)} needs integers")
                    return left + right if op == "+" else left - right  # type: ignore[operator]

                return arithmetic
        return _raiser(lambda: f"{_snippet(node)} is not a valid index")

    def _shifted(self, node: Node, shift: tuple[str, int, bool], target: SetInfo | None) -> IndexFn:
        name, step, cyclic = shift
        if target is None:
            return _raiser(lambda: f"{_snippet(node)} must index a set directly")
        members, where = target.members, target.position

        def shifted(b: Bound) -> Member:
            if name not in b:
                raise EvaluationError(f"index {name} is not bound here")
            at = where.get(b[name])  # type: ignore[arg-type]
            if at is None:
                raise EvaluationError(f"{b[name]!r} is not a member of {target.name}")
            k = at + step
            if cyclic:
                k %= len(members)
            if not 0 <= k < len(members):
                raise EvaluationError(f"{_snippet(node)} at {name} = {b[name]!r} is outside {target.name}")
            return members[k]

        return shifted

    def operand(self, node: Node) -> Callable[[Bound], object]:
        """A filter operand: a bound member (maybe a name), a string, or a number."""
        match node:
            case Name(id=n):
                value = self.num(node)
                return lambda b: b[n] if n in b else value(b)
            case Str(value=v):
                return lambda b: v
        return self.num(node)

    # -- truths and constraints ------------------------------------------------------------------
    def truth(self, node: Node, cap: float = math.inf) -> TruthFn:
        """Whether ``node`` holds; comparisons of numbers within ``min(tol * max(1, |rhs|), cap)``."""
        match node:
            case Compare(ops=ops, operands=operands):
                fns = [self.operand(o) for o in operands]
                comparers = _COMPARERS if cap == math.inf else _capped_comparers(cap)
                if len(ops) == 1 and ops[0] in comparers:
                    (fa, fc), cmp = fns, comparers[ops[0]]
                    return lambda b, tol: cmp(fa(b), fc(b), tol)

                def chain(b: Bound, tol: float) -> bool:
                    vals = [g(b) for g in fns]
                    return all(
                        comparers[op](a, c, tol) for op, a, c in zip(ops, vals, vals[1:], strict=False)
                    )

                return chain
            case BoolOp(op="and", values=vals):
                fns = [self.truth(v, cap) for v in vals]
                return lambda b, tol: all(g(b, tol) for g in fns)
            case BoolOp(op="or", values=vals):
                fns = [self.truth(v, cap) for v in vals]
                return lambda b, tol: any(g(b, tol) for g in fns)
            case Not(operand=a):
                fa = self.truth(a, cap)
                return lambda b, tol: not fa(b, tol)
        judge = self.assess(node, cap)
        return lambda b, tol: judge(b, tol).holds

    def failing(self, node: Node) -> Callable[[Bound, float], Outcome | None]:
        """Like :meth:`assess`, returning None (and building no Outcome) when the row holds."""
        if isinstance(node, Compare) and len(node.ops) == 1 and node.ops[0] in _RESIDUALS:
            (op,), residual = node.ops, _RESIDUALS[node.ops[0]]
            fa, fc = (self.num(o) for o in node.operands)

            def compare(b: Bound, tol: float) -> Outcome | None:
                a = fa(b)
                c = fc(b)
                amount = residual(a, c)
                if amount <= tol * max(1.0, abs(c)):
                    return None
                return Outcome(False, amount, a, c, op)

            return compare
        judge = self.assess(node)

        def general(b: Bound, tol: float) -> Outcome | None:
            out = judge(b, tol)
            return None if out.holds else out

        return general

    def assess(self, node: Node, cap: float = math.inf) -> AssessFn:
        """How ``node`` fares; ``cap`` limits the tolerance of comparisons (see :data:`CONDITION_TOL`)."""
        match node:
            case Compare(ops=ops, operands=operands):
                fns = [self.num(o) for o in operands]

                def compare(b: Bound, tol: float) -> Outcome:
                    vals = [g(b) for g in fns]
                    worst = Outcome(True, 0.0, vals[0], vals[-1], ops[0])
                    for op, a, c in zip(ops, vals, vals[1:], strict=False):
                        amount = _residual(op, a, c)
                        holds = amount <= min(tol * max(1.0, abs(c)), cap)
                        if not holds and (worst.holds or amount > worst.amount):
                            worst = Outcome(False, amount, a, c, op)
                    return worst

                return compare
            case Call(func="implies", args=(cond, con)):
                # The condition is read as the compiler reads it: false once it misses by STRICT_MARGIN.
                test, judge = self.truth(cond, CONDITION_TOL), self.assess(con)
                return lambda b, tol: judge(b, tol) if test(b, tol) else _HOLDS
            case Call(func="either", args=items):
                fns = [self.assess(i) for i in items]

                def either(b: Bound, tol: float) -> Outcome:
                    outs = [g(b, tol) for g in fns]
                    return Outcome(any(o.holds for o in outs), min(o.amount for o in outs))

                return either
            case Call(func="at_least" | "at_most" | "exactly" as func, args=(k_node, ListOf() as lst)):
                return self._count(func, k_node, lst)
            case Name() | Subscript():
                value = self.num(node)

                def indicator(b: Bound, tol: float) -> Outcome:
                    v = value(b)
                    return Outcome(v > 0.5, max(0.0, 1.0 - v), v, 1.0, "==")

                return indicator
            case BoolOp() | Not():
                test = self.truth(node)

                def logic(b: Bound, tol: float) -> Outcome:
                    holds = test(b, tol)
                    return Outcome(holds, 0.0 if holds else 1.0)

                return logic
        return _raiser(lambda: f"{_snippet(node)} is not a constraint")

    def _count(self, func: str, k_node: Node, lst: ListOf) -> AssessFn:
        kf = self.num(k_node)

        def count_k(b: Bound) -> int:
            k = kf(b)
            if not float(k).is_integer():
                raise EvaluationError(f"the count {_snippet(k_node)} = {k} is not an integer")
            return int(k)

        # Items that must not hold too often (at_most, exactly) are conditions, read as the compiler does.
        cap = math.inf if func == "at_least" else CONDITION_TOL
        if not lst.bindings:
            fns = [self.assess(i, cap) for i in lst.items]
            return lambda b, tol: _count(func, count_k(b), [g(b, tol) for g in fns])
        exists = self._exists(lst.items[0], lst.bindings) if lst.items else None
        rows = self.each(lst.bindings, lst.cond, exists)
        item = self.assess(lst.items[0], cap) if lst.items else _no_item
        names = tuple(dict.fromkeys(n for bd in lst.bindings for n in bd.names))

        def count(b: Bound, tol: float) -> Outcome:
            k = count_k(b)
            saved = [b.get(n, _MISSING) for n in names]
            try:
                outs = [item(b, tol) for _ in rows(b)]
            finally:
                _restore(b, names, saved)
            return _count(func, k, outs)

        return count


MEMO_SIZE = 4096
"""Values remembered per sum: one per combination of the outer indices it reads."""


def _both(test: TruthFn | None, exists: Callable[[Bound], bool]) -> TruthFn:
    if test is None:
        return lambda b, tol: exists(b)
    return lambda b, tol: exists(b) and test(b, tol)


def _memo(fn: NumFn, free: tuple[str, ...]) -> NumFn:
    """``fn`` computed once per value of the names it reads from outside (``free``).

    A sum that does not depend on a row's indices (``sum(1 for i in I for j in J if i == j)``
    in every row of a constraint over K) is then computed once, not once per row. An error
    is remembered too and raised again, so each row reports what the walk would.
    """
    seen: dict[object, tuple[bool, object]] = {}

    def remembered(b: Bound) -> float:
        try:
            key = tuple(_typed_key(b.get(n, _MISSING)) for n in free)
            hit = seen.get(key)
        except TypeError:  # an unhashable member: never remembered
            return fn(b)
        if hit is None:
            try:
                hit = (True, fn(b))
            except EvaluationError as err:
                hit = (False, err)
            if len(seen) < MEMO_SIZE:
                seen[key] = hit
        ok, value = hit
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    return remembered


def _typed_key(value: object) -> object:
    """A key that tells ``1``, ``1.0`` and ``True`` apart, as look-ups in sets do."""
    if isinstance(value, tuple):
        return (tuple, *(_typed_key(v) for v in value))
    return (type(value), value)


def _names(node: Node) -> set[str]:
    """Every name read anywhere under ``node`` (including those a nested sum binds: a safe overestimate)."""
    return {n.id for n in walk(node) if isinstance(n, Name)}


def _no_item(*_: object) -> Outcome:
    return ()[0]  # type: ignore[misc] - the IndexError the walk raised for a comprehension without an item


def _restore(b: Bound, names: tuple[str, ...], saved: list[object]) -> None:
    for n, v in zip(names, saved, strict=True):
        if v is _MISSING:
            b.pop(n, None)
        else:
            b[n] = v


def _numeric(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _comparer(op: str, cap: float = math.inf) -> Callable[[object, object, float], bool]:
    """Compare with one operator: exact for members and strict operators, within
    ``min(tol * max(1, |b|), cap)`` for ``<= >= ==`` on numbers; chosen once, not on each row."""
    residual = _RESIDUALS.get(op)

    def exact(a: object, b: object) -> bool:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        try:
            return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b}[op]  # type: ignore[operator]
        except TypeError:
            raise EvaluationError(f"cannot order {a!r} and {b!r}") from None

    if op in ("<=", ">=", "=="):
        assert residual is not None

        def tolerant(a: object, b: object, tol: float) -> bool:
            if tol > 0 and _numeric(a) and _numeric(b):
                return residual(a, b) <= min(tol * max(1.0, abs(b)), cap)  # type: ignore[arg-type]
            return a == b if op == "==" else exact(a, b)

        return tolerant
    if op == "!=":
        return lambda a, b, tol: a != b
    return lambda a, b, tol: exact(a, b)


def _residual(op: str, a: float, b: float) -> float:
    if op in ("<=", "<"):
        return max(0.0, a - b)
    if op in (">=", ">"):
        return max(0.0, b - a)
    if op == "==":
        return abs(a - b)
    return 0.0 if a != b else 1.0


def _below(a: float, b: float) -> float:
    return max(0.0, a - b)


def _above(a: float, b: float) -> float:
    return max(0.0, b - a)


def _apart(a: float, b: float) -> float:
    return abs(a - b)


_RESIDUALS: dict[str, Callable[[float, float], float]] = {
    "<=": _below,
    "<": _below,
    ">=": _above,
    ">": _above,
    "==": _apart,
}
""":func:`_residual` for one operator, without the dispatch on each row."""


def _is_logic(node: Node) -> bool:
    return isinstance(node, Call) and node.func not in ARITH_FUNCS | CONE_FUNCS


def _count(func: str, k: int, outs: list[Outcome]) -> Outcome:
    true = sum(o.holds for o in outs)
    missing = sorted(o.amount for o in outs if not o.holds)
    if func in ("at_least", "exactly") and true < k:
        return Outcome(False, math.fsum(missing[: k - true]), float(true), float(k), ">=")
    if func in ("at_most", "exactly") and true > k:
        return Outcome(False, float(true - k), float(true), float(k), "<=")
    return Outcome(True, 0.0, float(true), float(k), "==")


def _snippet(node: Node) -> str:
    try:
        text = to_text(node)
    except (TypeError, RecursionError):
        text = type(node).__name__
    return text if len(text) <= 80 else text[:77] + "..."


_COMPARERS = {op: _comparer(op) for op in ("<=", ">=", "==", "!=", "<", ">")}
_CAPPED: dict[float, dict[str, Callable[[object, object, float], bool]]] = {}


def _capped_comparers(cap: float) -> dict[str, Callable[[object, object, float], bool]]:
    if cap not in _CAPPED:
        _CAPPED[cap] = {op: _comparer(op, cap) for op in _COMPARERS}
    return _CAPPED[cap]
