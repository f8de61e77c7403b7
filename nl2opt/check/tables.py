"""Checks of the data a spec's expressions index into: set definitions and parameter tables.

Sets must list distinct members of one shape; parameter tables must have a value for
what is used, in the shape of their index sets, keyed by real members. Each problem
names the expected and the given shape or member, since the formulator fixes the data
from the text and cannot see how it was read.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

from nl2opt.check.slots import member_hint, suggest
from nl2opt.dense import as_array
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.spec import IndexSet, IntRange, ModelSpec, Parameter
from nl2opt.symbols import Symbols, split_key

MAX_SET_SIZE = 1_000_000
"""A range beyond this is refused rather than expanded (it is a typo, not a model)."""

MAX_TABLE_SIZE = 20_000_000
"""Parameter tables beyond this many cells are refused rather than allocated."""


def diag(
    code: str, where: str, message: str, hint: str = "", severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, stage=Stage.CHECK, where=where, message=message, hint=hint
    )


def _range_size(r: IntRange) -> int:
    return max(0, r.stop - r.start + 1)


def oversized(spec: ModelSpec) -> tuple[set[str], set[str]]:
    """Names of the sets and parameter tables too large to expand (a typo, not a model)."""
    sets = {s.name for s in spec.sets if s.range is not None and _range_size(s.range) > MAX_SET_SIZE}
    sizes: dict[str, int] = {}
    for s in spec.sets:
        size = len(s.elements) if s.elements is not None else _range_size(s.range) if s.range else 0
        sizes.setdefault(s.name, 0 if s.name in sets else size)
    params = {p.name for p in spec.parameters if _cells(p.index, sizes) > MAX_TABLE_SIZE}
    return sets, params


def bounded(spec: ModelSpec) -> ModelSpec:
    """The spec with oversize ranges and tables emptied, so that building symbols stays cheap."""
    big_sets, big_params = oversized(spec)
    if not big_sets and not big_params:
        return spec
    sets = [
        s.model_copy(update={"range": IntRange(start=1, stop=0)}) if s.name in big_sets else s
        for s in spec.sets
    ]
    params = [
        p.model_copy(update={"index": [], "values": None, "entries": None}) if p.name in big_params else p
        for p in spec.parameters
    ]
    return spec.model_copy(update={"sets": sets, "parameters": params})


def _cells(index: list[str], sizes: dict[str, int]) -> int:
    return math.prod(sizes.get(s, 0) for s in index) if index else 1


def check_sets(spec: ModelSpec) -> list[Diagnostic]:
    out = []
    for s in spec.sets:
        where = f"sets[{s.name}]"
        if s.from_ is not None and (s.elements is not None or s.range is not None):
            out.append(
                diag(
                    "check.set-definition",
                    where,
                    f"{s.name} has 'from' a table and also 'elements' or 'range'",
                    "Keep one: 'from' reads the members from the table; set the others to null.",
                )
            )
        elif s.from_ is not None:
            continue
        if s.elements is not None and s.range is not None:
            out.append(
                diag(
                    "check.set-definition",
                    where,
                    f"{s.name} has both 'elements' and 'range'",
                    "Keep one: 'elements' for named members, 'range' for consecutive integers "
                    "(and set the other to null).",
                )
            )
        elif s.elements is None and s.range is None:
            out.append(
                diag(
                    "check.set-definition",
                    where,
                    f"{s.name} has neither 'elements' nor 'range'",
                    "Give its members, e.g. 'elements': ['A', 'B'] or 'range': {'start': 1, 'stop': 12}.",
                )
            )
        if s.range is not None:
            if s.range.stop < s.range.start:
                out.append(
                    diag(
                        "check.set-definition",
                        f"{where}.range",
                        f"the range of {s.name} stops at {s.range.stop}, before it starts at {s.range.start}",
                        "A range is inclusive: {'start': 1, 'stop': 12} is 1, 2, ..., 12.",
                    )
                )
            elif _range_size(s.range) > MAX_SET_SIZE:
                out.append(
                    diag(
                        "check.set-definition",
                        f"{where}.range",
                        f"the range of {s.name} has {_range_size(s.range):,} members "
                        f"(limit {MAX_SET_SIZE:,})",
                        "Check the start and stop of the range.",
                    )
                )
        if s.elements is not None:
            out += _elements(s, where)
    return out


def _elements(s: IndexSet, where: str) -> list[Diagnostic]:
    if not s.elements:
        return [
            diag(
                "check.empty-set",
                f"{where}.elements",
                f"{s.name} has no members",
                "List its members; anything indexed by an empty set vanishes from the model.",
                Severity.WARNING,
            )
        ]
    out = []
    tuples = [e for e in s.elements if isinstance(e, list)]
    lengths = Counter(len(e) for e in tuples)
    if tuples and len(tuples) != len(s.elements):
        out.append(
            diag(
                "check.set-definition",
                f"{where}.elements",
                f"{s.name} mixes single members and lists",
                "Either every member is a single name or number, or every member is a list "
                "of the same length, e.g. [['A', 'B'], ['B', 'C']].",
            )
        )
    elif len(lengths) > 1:
        usual = lengths.most_common(1)[0][0]
        odd = next(e for e in tuples if len(e) != usual)
        out.append(
            diag(
                "check.set-definition",
                f"{where}.elements",
                f"members of {s.name} have different lengths: most have {usual} parts, {odd} has {len(odd)}",
                f"Give every member of {s.name} exactly {usual} parts.",
            )
        )
    elif tuples and min(lengths) < 2:
        out.append(
            diag(
                "check.set-definition",
                f"{where}.elements",
                f"members of {s.name} are lists of one part",
                "Write single members without brackets: ['A', 'B'], not [['A'], ['B']].",
            )
        )
    counts = Counter(tuple(e) if isinstance(e, list) else e for e in s.elements)
    dups = [m for m, n in counts.items() if n > 1]
    if dups:
        shown = ", ".join(repr(list(m) if isinstance(m, tuple) else m) for m in dups[:5])
        out.append(
            diag(
                "check.duplicate-element",
                f"{where}.elements",
                f"{s.name} lists {shown} more than once",
                "List each member once; dense parameter values follow the member order.",
            )
        )
    return out


# -- parameters ----------------------------------------------------------------------------
def check_parameters(spec: ModelSpec, symbols: Symbols) -> list[Diagnostic]:
    out = []
    for p in spec.parameters:
        where = f"parameters[{p.name}]"
        out += unknown_sets(p.index, symbols, f"{where}.index")
        dense = None if p.values is None else as_array(p.values)
        out += _non_finite(p, where, dense)
        if not p.index:
            out += _scalar(p, where) if p.from_ is None else []
            continue
        if p.from_ is not None:
            continue  # read from a table: nl2opt.binding checks it
        empty_domain = p.name in symbols.params and _empty_domain(symbols.params[p.name].inside)
        if p.values is None and not p.entries and p.value is None and not empty_domain:
            out.append(
                diag(
                    "check.parameter-missing-value",
                    where,
                    f"{p.name} has no values",
                    f"Give 'values' as nested lists over {' x '.join(p.index)}, or 'entries', or "
                    "'value' for one number everywhere.",
                )
            )
        if any(s not in symbols.sets for s in p.index):
            continue
        sets = [symbols.sets[s] for s in p.index]
        if math.prod(s.size for s in sets) > MAX_TABLE_SIZE:
            out.append(
                diag(
                    "check.parameter-shape",
                    where,
                    f"{p.name} over {' x '.join(p.index)} would have more than {MAX_TABLE_SIZE:,} values",
                    "Check the sets it is indexed by.",
                )
            )
            continue
        if p.values is not None and p.entries:
            out.append(
                diag(
                    "check.parameter-shape",
                    where,
                    f"{p.name} has both 'values' and 'entries'",
                    "Keep one of them; entries override values where both give a number.",
                    Severity.WARNING,
                )
            )
        if p.values is not None:
            out += _dense_shape(p, sets, f"{where}.values", dense)
        if p.entries:
            out += _entries(p, symbols, f"{where}.entries")
    return out


def _scalar(p: Parameter, where: str) -> list[Diagnostic]:
    if p.values is None and not p.entries:
        if p.value is None:
            return [
                diag(
                    "check.parameter-missing-value",
                    f"{where}.value",
                    f"{p.name} has no value",
                    "Give the number in 'value'.",
                )
            ]
        return []
    field_name = "values" if p.values is not None else "entries"
    return [
        diag(
            "check.parameter-shape",
            f"{where}.{field_name}",
            f"{p.name} has no 'index' but gives '{field_name}', which only tables have",
            "For one number use 'value'; for a table list the sets it is indexed by in 'index'.",
        )
    ]


def _flat(values: object) -> Iterable[object]:
    stack = [values]
    while stack:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(cur)
        else:
            yield cur


def _non_finite(p: Parameter, where: str, dense: np.ndarray | None = None) -> list[Diagnostic]:
    found = [(f"{where}.value", p.value)] if p.value is not None and not math.isfinite(p.value) else []
    if dense is not None:
        bad = np.flatnonzero(~np.isfinite(dense.ravel()))  # _flat meets the last one first
        found += [(f"{where}.values", float(dense.flat[bad[-1]]))] if bad.size else []
    else:
        found += [(f"{where}.values", v) for v in _flat(p.values or []) if not math.isfinite(float(v))][:1]
    found += [(f"{where}.entries", e.value) for e in p.entries or [] if not math.isfinite(e.value)][:1]
    return [
        diag(
            "check.parameter-non-finite",
            w,
            f"{p.name} contains {v}, which is not a finite number",
            "Use finite numbers; for 'no limit' leave the constraint out or use a bound of null.",
        )
        for w, v in found
    ]


def _shape(values: object) -> tuple[int, ...] | None:
    """Shape of nested lists, or None when rows differ in length (ragged)."""
    if not isinstance(values, list):
        return ()
    shapes = {_shape(v) for v in values}
    if len(shapes) > 1 or None in shapes:
        return None
    return (len(values), *(shapes.pop() if shapes else ()))


def _dense_shape(p: Parameter, sets: list, where: str, dense: np.ndarray | None = None) -> list[Diagnostic]:
    expected = tuple(s.size for s in sets)
    if dense is not None:  # numpy's shape of nested lists is _shape's, without a call per list
        got: tuple[int, ...] | None = dense.shape
    else:
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
    return [
        diag(
            "check.parameter-shape",
            where,
            f"{p.name} needs values of shape {dims}, got {shown}"
            + (" (it looks transposed)" if transposed else ""),
            f"Give one entry per member of {outer.name} in order ({_show(outer.members)})"
            + (
                ", each a list with one number per member of " + " then ".join(s.name for s in sets[1:])
                if len(sets) > 1
                else ""
            )
            + ".",
        )
    ]


def _show(members: list, limit: int = 5) -> str:
    text = ", ".join(map(str, members[:limit]))
    return text + (f", ... {len(members)} in all" if len(members) > limit else "")


def _entries(p: Parameter, symbols: Symbols, where: str) -> list[Diagnostic]:
    sets = [symbols.sets[s] for s in p.index]
    widths = [s.width for s in sets]
    out, keys = [], []
    for entry in p.entries or []:
        key = split_key(entry.key, widths)
        problem = None
        if key is None:
            problem = (
                f"the key {entry.key} has {len(entry.key)} parts, {p.name} takes {sum(widths)} "
                f"({', '.join(p.index)})"
            )
            hint = f"Give one member of each of {', '.join(p.index)} in that order."
        else:
            for s, member in zip(sets, key, strict=True):
                if member not in s.position:
                    problem = f"the key {entry.key}: {member!r} is not a member of {s.name}"
                    hint = member_hint(member, s.members, s.name)
                    break
            else:
                keys.append(key)
        if problem and len(out) < 3:
            out.append(diag("check.parameter-extra-value", where, problem, hint))
        elif problem:
            out.append(diag("check.parameter-extra-value", where, f"{problem} (and more like it)", hint))
            break
    repeated = [k for k, n in Counter(keys).items() if n > 1]
    if repeated:
        out.append(
            diag(
                "check.parameter-extra-value",
                where,
                f"{p.name} lists the key {list(repeated[0])} twice",
                "Give each key once; the last value would win.",
                Severity.WARNING,
            )
        )
    total = math.prod(s.size for s in sets)
    missing = total - len(set(keys))
    info = symbols.params.get(p.name)
    if info is not None and info.inside is not None and info.values.shape == info.inside.shape:
        # a sparse domain: only its cells need values (those outside were made missing on purpose)
        total = int(info.inside.sum())
        missing = int((info.inside & np.isnan(info.values)).sum())
    if p.value is None and p.values is None and missing > 0:
        out.append(
            diag(
                "check.parameter-missing-value",
                where,
                f"{missing} of {total} members of {p.name} have no value and there is no default",
                "Add entries for them, or set 'value' to the default for keys not listed (often 0).",
                Severity.WARNING,
            )
        )
    return out


def _empty_domain(inside: np.ndarray | None) -> bool:
    """A sparse domain with no cell needs no values."""
    return inside is not None and not inside.any()


def unknown_sets(index: list[str], symbols: Symbols | set[str], where: str) -> list[Diagnostic]:
    names = list(symbols.sets) if isinstance(symbols, Symbols) else list(symbols)
    out = []
    for s in index:
        if s not in names:
            guess = suggest(s, names)
            out.append(
                diag(
                    "check.unknown-set",
                    where,
                    f"there is no set named {s}",
                    f"Did you mean '{guess}'?"
                    if guess
                    else f"Define {s} under 'sets', or use one of: {', '.join(names) or 'none defined'}.",
                )
            )
    return out
