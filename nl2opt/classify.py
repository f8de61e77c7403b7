"""What kind of model a compiled program is (LP, MILP, convex QP, ...), and what solving it needs.

The class is read from the program's arrays, not from the spec's words: a product of two
variables may cancel, and whether a quadratic objective is convex is a property of its
numbers. Convexity of ``1/2 x'Qx`` is tested numerically: the eigenvalues of Q restricted
to the columns it touches must all be >= 0 when minimising (<= 0 when maximising), within
a tolerance relative to Q's largest entry. Rows are convex when each ``<=`` side's Q is
positive semidefinite (``>=``: negative), or when they are second-order cones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from nl2opt._compat import StrEnum
from nl2opt.program import LinearProgram, Sense

EIG_TOL = 1e-9
"""Eigenvalues above ``-EIG_TOL * max|Q|`` count as zero or positive."""
SMALL_BLOCK = 32
"""Blocks up to this many columns are tested together, by size, in one batched eigvalsh."""
DENSE_LIMIT = 2_000
"""Largest block of connected columns whose Q is tested by dense eigenvalues; above it, by ARPACK."""


class ProblemClass(StrEnum):
    LP = "lp"
    MILP = "milp"
    CONVEX_QP = "convex-qp"
    NONCONVEX_QP = "nonconvex-qp"
    MIQP = "miqp"
    CONVEX_QCQP = "convex-qcqp"
    NONCONVEX_QCQP = "nonconvex-qcqp"
    MIQCP = "miqcp"


@dataclass(frozen=True)
class Needs:
    """What a backend must declare (:class:`nl2opt.backends.base.Capabilities`) to solve a class."""

    integer: bool = False
    quadratic_objective: bool = False
    quadratic_constraints: bool = False
    nonconvex: bool = False
    mixed_integer_quadratic: bool = False


def classify(program: LinearProgram) -> ProblemClass:
    """The program's class; integer quadratic models are MIQP/MIQCP whether convex or not.

    Remembered on the program (the pipeline and the backend layer both ask, and the PSD test
    of a 500-column Q costs a tenth of a second), keyed by what the class depends on.
    """
    key = (id(program.q), id(program.q_rows), program.sense, program.is_mip)
    cached = program.__dict__.get("_problem_class")
    if cached is not None and cached[0] == key:
        return cached[1]
    kind = _classify(program)
    program.__dict__["_problem_class"] = (key, kind)
    return kind


def _classify(program: LinearProgram) -> ProblemClass:
    integer = program.is_mip
    if program.q_rows is not None:
        if integer:
            return ProblemClass.MIQCP
        convex = objective_is_convex(program) and rows_are_convex(program)
        return ProblemClass.CONVEX_QCQP if convex else ProblemClass.NONCONVEX_QCQP
    if program.q is not None:
        if integer:
            return ProblemClass.MIQP
        return ProblemClass.CONVEX_QP if objective_is_convex(program) else ProblemClass.NONCONVEX_QP
    return ProblemClass.MILP if integer else ProblemClass.LP


def needs(kind: ProblemClass, program: LinearProgram) -> Needs:
    """The capabilities solving ``program`` of class ``kind`` takes."""
    quadratic = kind not in (ProblemClass.LP, ProblemClass.MILP)
    nonconvex = kind in (ProblemClass.NONCONVEX_QP, ProblemClass.NONCONVEX_QCQP) or (
        kind in (ProblemClass.MIQP, ProblemClass.MIQCP)
        and not (objective_is_convex(program) and rows_are_convex(program))
    )
    return Needs(
        integer=program.is_mip,
        quadratic_objective=program.q is not None,
        quadratic_constraints=program.q_rows is not None,
        nonconvex=nonconvex,
        mixed_integer_quadratic=quadratic and program.is_mip,
    )


def objective_is_convex(program: LinearProgram) -> bool:
    """True when ``1/2 x'Qx`` is convex for minimising (concave for maximising)."""
    if program.q is None:
        return True
    sign = -1.0 if program.sense is Sense.MAXIMIZE else 1.0
    return is_psd(sign * program.q)


def rows_are_convex(program: LinearProgram) -> bool:
    """True when every row with products bounds a convex function from above (or a concave one from below)."""
    rows = program.q_rows
    if rows is None:
        return True
    keep = ~np.isin(rows.row, rows.cone)
    order = np.argsort(rows.row[keep], kind="stable")
    row, i, j, coef = (a[keep][order] for a in (rows.row, rows.i, rows.j, rows.coef))
    if row.size == 0:  # cones only
        return True
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    for start, stop in zip(starts.tolist(), [*starts[1:].tolist(), row.size], strict=True):
        r = int(row[start])
        cols, local = np.unique(np.r_[i[start:stop], j[start:stop]], return_inverse=True)
        li, lj = local[: stop - start], local[stop - start :]
        c = coef[start:stop]
        Q = sp.csr_matrix((np.r_[c, c], (np.r_[li, lj], np.r_[lj, li])), shape=(cols.size, cols.size))
        lower, upper = np.isfinite(program.row_lower[r]), np.isfinite(program.row_upper[r])
        if (upper and not is_psd(Q)) or (lower and not is_psd(-Q)):
            return False
    return True


def is_psd(Q: sp.spmatrix | np.ndarray) -> bool:
    """Whether symmetric ``Q`` is positive semidefinite.

    Q is split into the blocks its sparsity pattern connects (a matrix is PSD exactly when each
    diagonal block of its connected components is); a block up to DENSE_LIMIT columns is tested by
    its eigenvalues, a larger one by ARPACK's smallest eigenvalue, and one ARPACK cannot settle
    counts as not PSD (the model is then treated as nonconvex, never wrongly as convex).
    """
    Q = sp.csr_matrix(Q)
    Q = 0.5 * (Q + Q.T)
    Q.eliminate_zeros()
    if Q.nnz == 0:
        return True
    data = np.abs(Q.data)
    if not np.isfinite(data).all():
        return False
    tol = EIG_TOL * float(data.max())
    touched = np.unique(Q.indices)
    sub = sp.csr_matrix(Q[touched][:, touched])
    count, labels = connected_components(sub, directed=False)
    sizes = np.bincount(labels, minlength=count)
    alone = sizes[labels] == 1  # separable terms a x^2: PSD when a >= 0, checked all at once
    if (sub.diagonal()[alone] < -tol).any():
        return False
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    local = np.empty(labels.size, dtype=np.int64)
    local[order] = np.arange(labels.size) - bounds[labels[order]]
    coo = sub.tocoo()
    for size in np.unique(sizes[sizes > 1]).tolist():
        comps = np.flatnonzero(sizes == size)
        if size <= SMALL_BLOCK:  # every block of this size at once: one batched eigvalsh
            slot = np.full(count, -1, dtype=np.int64)
            slot[comps] = np.arange(comps.size)
            dense = np.zeros((comps.size, size, size))
            mine = sizes[labels[coo.row]] == size
            r, c = coo.row[mine], coo.col[mine]
            np.add.at(dense, (slot[labels[r]], local[r], local[c]), coo.data[mine])
            if np.linalg.eigvalsh(dense).min() < -tol:
                return False
            continue
        for k in comps.tolist():
            cols = order[bounds[k] : bounds[k + 1]]
            if not _block_psd(sub[cols][:, cols], tol):
                return False
    return True


def _block_psd(block: sp.csr_matrix, tol: float) -> bool:
    n = block.shape[0]
    if n == 1:
        return bool(block[0, 0] >= -tol)
    if n <= DENSE_LIMIT:
        return bool(np.linalg.eigvalsh(block.toarray()).min() >= -tol)
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    try:
        smallest = eigsh(block.astype(float), k=1, which="SA", return_eigenvectors=False, maxiter=20 * n)
    except ArpackNoConvergence:
        return False
    return bool(smallest.min() >= -max(tol, 1e-8 * float(abs(block).max())))
