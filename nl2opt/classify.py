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

from nl2opt._compat import StrEnum
from nl2opt.program import LinearProgram, Sense

EIG_TOL = 1e-9
"""Eigenvalues above ``-EIG_TOL * max|Q|`` count as zero or positive."""
DENSE_LIMIT = 2_000
"""Largest number of touched columns whose Q is tested by dense eigenvalues; above it, a Cholesky try."""


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
    cones = set(rows.cone.tolist())
    n = program.num_cols
    for r in np.unique(rows.row).tolist():
        if r in cones:
            continue
        Q = rows.matrix(r, n)
        lower, upper = np.isfinite(program.row_lower[r]), np.isfinite(program.row_upper[r])
        if (upper and not is_psd(Q)) or (lower and not is_psd(-Q)):
            return False
    return True


def is_psd(Q: sp.spmatrix) -> bool:
    """Whether symmetric ``Q`` is positive semidefinite, tested on the columns it touches."""
    Q = sp.csr_matrix(Q)
    touched = np.unique(np.concatenate([Q.indices, np.repeat(np.arange(Q.shape[0]), np.diff(Q.indptr))]))
    if touched.size == 0:
        return True
    sub = Q[touched][:, touched].toarray()
    sub = 0.5 * (sub + sub.T)
    scale = float(np.max(np.abs(sub))) or 1.0
    if touched.size <= DENSE_LIMIT:
        return bool(np.linalg.eigvalsh(sub).min() >= -EIG_TOL * scale)
    try:  # a small shift makes a semidefinite matrix factorable
        np.linalg.cholesky(sub + EIG_TOL * scale * touched.size * np.eye(touched.size))
    except np.linalg.LinAlgError:
        return False
    return True
