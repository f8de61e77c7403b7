"""Diagnostic: the one currency for everything that can be wrong with a model.

The checker, compiler, solver wrapper, verifier and formulators all return
Diagnostics; the repair loop turns them into feedback; the UI and CLI print them.
Codes are stable dotted strings registered in :data:`CODES`; tests assert codes,
messages may improve.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from nl2opt._compat import StrEnum


class Severity(StrEnum):
    """How bad a finding is: errors block solving, warnings may trigger a repair."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Stage(StrEnum):
    """Where in the flow a diagnostic was raised."""

    FORMULATE = "formulate"
    PARSE = "parse"
    CHECK = "check"
    LOWER = "lower"
    SOLVE = "solve"
    VERIFY = "verify"
    DIAGNOSE = "diagnose"


class Diagnostic(BaseModel):
    """One finding about a model, with where it is and how to fix it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Stable dotted code, e.g. 'check.undefined-name'.")
    severity: Severity = Severity.ERROR
    stage: Stage
    where: str = Field(default="", description="Location in the spec, e.g. 'constraints[supply].expression'.")
    message: str
    hint: str = ""

    def __str__(self) -> str:
        loc = f" at {self.where}" if self.where else ""
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"{self.severity}[{self.code}]{loc}: {self.message}{hint}"


CODES: dict[str, str] = {
    # spec (a file or document given to solve_spec)
    "spec.unreadable": "The spec file cannot be read.",
    "spec.invalid-json": "The spec is not valid JSON.",
    "spec.schema": "The spec does not fit the schema (a missing, extra or mistyped field).",
    "spec.too-large": "The spec file is larger than the size limit; it was not read.",
    # parse
    "parse.syntax": "The expression is not valid syntax.",
    "parse.unsupported": "A Python construct outside the expression language.",
    "parse.unknown-function": "A call to a function the language does not have.",
    "parse.bad-arguments": "A known function called with the wrong arguments.",
    "parse.not-a-constraint": "A constraint expression that is not a comparison or logic call.",
    "parse.bad-binding": "A 'for' entry that is not 'name in Set' or '(a, b) in Set'.",
    # check
    "check.undefined-name": "A name that is not a set, parameter, variable or bound index.",
    "check.duplicate-name": "Two elements of the spec share a name.",
    "check.index-arity": "Subscript with the wrong number of indices.",
    "check.not-indexed": "Subscript on a scalar, or an indexed name used without subscript.",
    "check.unknown-element": "A literal index that is not a member of the set.",
    "check.outside-domain": "A reference to a cell outside a sparse domain ('where') that no filter skips.",
    "check.bad-domain": "A sparse domain whose 'over'/'where' cannot be applied.",
    "check.index-set-mismatch": "A bound index from one set used where another set is expected.",
    "check.unknown-set": "Iteration or indexing over a set that does not exist.",
    "check.empty-set": "A set with no members.",
    "check.duplicate-element": "A set that lists the same member twice.",
    "check.set-definition": "A set with both or neither of elements and range.",
    "check.parameter-missing-value": "A parameter without values.",
    "check.parameter-shape": "Dense values whose shape does not match the index sets.",
    "check.parameter-extra-value": "An entry whose key is not in the index sets.",
    "check.parameter-non-finite": "A parameter value that is NaN or infinite.",
    "check.nonlinear-product": "A product of variables of degree above two (or inside a nonlinear term).",
    "check.quadratic-context": "A product, square or norm2 inside abs/min/max or inside a norm2 entry.",
    "check.quadratic-logic": "A quadratic comparison used as a condition of implies/either/at_least/...",
    "check.nonconvex-norm": "norm2 in a position where it would have to be pushed up (maximised or >=).",
    "check.division-by-variable": "Division by an expression that contains variables.",
    "check.division-by-zero": "Division by a constant zero.",
    "check.no-variable": "A constraint or objective that contains no variable.",
    "check.bounds-inverted": "A variable whose lower bound is above its upper bound.",
    "check.binary-bounds": "A binary variable with bounds outside [0, 1].",
    "check.unused-variable": "A variable that appears in no constraint and not in the objective.",
    "check.unbound-index": "An index name used outside any binding.",
    "check.shadowed-index": "A binding that reuses a name already bound or defined.",
    "check.logic-operand": "A logic operand that is neither a binary variable nor a linear constraint.",
    "check.bad-count": "The count in at_least/at_most/exactly is not a constant integer.",
    "check.no-variables": "A model with no variables.",
    "check.filter-has-variable": "A 'where' or 'if' filter that mentions a decision variable.",
    "check.bad-name": "A name that cannot be written in an expression (not an identifier), or no name.",
    "check.not-a-number": "A string, set, list, condition or non-numeric index used as a number.",
    "check.bad-index": "An index that is not a bound name, a literal member or integer index arithmetic.",
    "check.index-arithmetic": "Index arithmetic such as t - 1 on a set whose members are not integers.",
    "check.strict-inequality": "A '!=' comparison, or '<'/'>' on amounts that need not be whole numbers "
    "with no strict_epsilon (a solver enforces only <=, >= and ==).",
    "check.report-not-expression": "A report that is a comparison or logic call, not an amount.",
    "check.unknown-answer": "The spec's answer names no report.",
    "check.derived-value": "A range end or bound written as an expression that cannot be computed from "
    "the parameters (or is not a whole number, or too large).",
    "check.bad-option": "A model-level option (such as strict_epsilon) with a value it cannot take.",
    "check.bad-filter": "A 'where' or 'if' filter that is not a comparison (or and/or/not of comparisons).",
    "check.objective-not-expression": "An objective that is a comparison or logic call, not an amount.",
    "check.objective-conflict": "Both 'objective' and a non-empty 'objectives' list: give one of them.",
    "check.goal-weight": "A goal whose weight is not a positive finite number.",
    "check.goal-tolerance": "A goal whose tolerance or relative tolerance is negative or not finite.",
    "check.goal-priority": "A goal whose priority is below 1.",
    "check.priority-mixed": "Goals of one priority level that differ in sense or tolerance.",
    # data tables bound by reference
    "data.unreadable": "A data table that cannot be read (wrong type, missing file, unknown format).",
    "data.missing-table": "A set or parameter reads a table that was not given.",
    "data.missing-column": "A set or parameter reads a column the table does not have.",
    "data.key-columns": "A parameter's key columns do not match its index sets.",
    "data.missing-cell": "A blank cell where a set member or a parameter value is read.",
    "data.non-numeric": "A parameter's value column holds text or an infinite number.",
    "data.duplicate-key": "Two rows of a table give a parameter the same key.",
    "data.key-not-in-set": "A table row whose key is not a member of the parameter's index sets.",
    "data.missing-key": "Members of a parameter's index sets with no row in its table and no default.",
    # lower
    "lower.missing-bound": "Linearising logic or abs/min/max needs a finite bound that is missing.",
    "lower.too-large": "The expanded model exceeds the size limit.",
    "lower.empty-constraint": "A constraint whose rows all vanished (no variable after expansion).",
    "lower.trivially-infeasible": "A constraint with no variable that can never hold.",
    "lower.unknown-element": "An index that resolves to no member of the set during expansion.",
    "lower.non-finite": "A coefficient or constant that overflows to infinity (or is not a number).",
    # solve
    "solve.infeasible": "No values satisfy all constraints.",
    "solve.unbounded": "The objective can improve without limit.",
    "solve.infeasible-or-unbounded": "The solver proved one of infeasible or unbounded.",
    "solve.time-limit": "The solver stopped at its time limit.",
    "solve.no-solution": "The solver stopped at a limit with no feasible solution.",
    "solve.error": "The solver failed.",
    "solve.backend-unavailable": "The requested backend is not installed.",
    "solve.capability": "The backend cannot solve this kind of model.",
    "solve.wrong-answer": "The solver's answer fails the check (rows, bounds, integrality, objective, LP duals), "
    "even after a safe re-solve.",
    "solve.re-solved": "The first answer was suspect; the model was solved again with presolve off.",
    "solve.rescaled": "Rows with tiny or huge coefficients were scaled before solving (their meaning is unchanged).",
    "solve.tiny-coefficient": "A coefficient so small beside others in its row that a solver may drop it.",
    "solve.non-finite": "The compiled model holds a NaN or infinite coefficient or bound.",
    "solve.infeasible-refuted": "A solver's 'infeasible' that HiGHS refuted (unbounded, or a feasible point).",
    "solve.optimum-refuted": "A MIP solver's optimum of a model that is unbounded (its relaxation is).",
    "solve.infeasible-unconfirmed": "A solver's 'infeasible' that HiGHS could not confirm in time.",
    "solve.unbounded-refuted": "A solver's 'unbounded' that HiGHS refuted (infeasible, or an optimum).",
    "solve.unbounded-unconfirmed": "A solver's 'unbounded' that HiGHS could not confirm in time.",
    "solve.fallback": "The chosen backend failed on the model; the answer is HiGHS's.",
    "solve.settled-first": "HiGHS proved the model infeasible before a search that might never end was started.",
    "solve.polished": "A MIP point its tolerances let break the model, repaired by fixing its integers.",
    "solve.point-refuted": "A solver's values that break the model, where HiGHS finds no feasible point.",
    "solve.priority-level": "A priority level with no optimum (infeasible, unbounded) once earlier levels are held.",
    "solve.priority-limit": "An earlier priority level stopped at a limit; its incumbent, not an optimum, was held.",
    # verify
    "verify.report-error": "A report that cannot be computed on the solution (its value is left out).",
    "verify.constraint-violated": "A constraint does not hold on the returned values.",
    "verify.bound-violated": "A variable lies outside its bounds.",
    "verify.integrality": "An integer or binary variable has a fractional value.",
    "verify.objective-mismatch": "The objective recomputed from the spec differs from the solver's.",
    "verify.level-mismatch": "A priority level's value recomputed from its goals differs from the solver's.",
    "verify.level-not-held": "A priority level's value at the answer is worse than the bound it was held to.",
    "verify.unused-number": "A number from the text appears nowhere in the model.",
    "verify.integrality-wording": "The text counts whole things but the variable is continuous.",
    "verify.objective-sense": "The objective sense contradicts the wording of the question.",
    "verify.unused-parameter": "A parameter holding numbers from the text that no expression uses.",
    "verify.yes-no-unmodelled": "A yes/no or all-or-nothing requirement no binary variable or logic reflects.",
    "verify.constraint-sense": "A constraint's comparison runs against the direction its description states.",
    "verify.constraint-subject": "A constraint on one decision whose description names another.",
    "verify.readings-disagree": "Sampled formulations of the same text reach different optima.",
    "verify.evaluation-error": "A constraint, objective or value that cannot be evaluated on the solution.",
    "verify.incomplete": "Verification stopped at its size or time limit: the answer is not verified.",
    # diagnose
    "diagnose.conflict": "A small set of constraints that cannot hold together.",
    "diagnose.unbounded-ray": "Variables that run away in the unbounded direction.",
    # formulate
    "formulate.invalid-json": "The formulator's reply is not JSON.",
    "formulate.schema": "The reply does not fit the spec schema.",
    "formulate.empty": "The formulator returned nothing.",
    "formulate.refusal": "The model refused to answer.",
    "formulate.truncated": "The reply was cut off at the token limit.",
    "formulate.llm-error": "The LLM call failed after retries, ran out of time, or the answer was not a chat completion.",
    "formulate.usage-unreadable": "The server's token counts are not numbers; they are counted as 0.",
    "formulate.declined": "The offline formulator could not build a trustworthy model.",
    "formulate.ambiguous": "A sentence reads two ways and the readings have different answers; none is given.",
    "formulate.unparsed-sentence": "A sentence with numbers or a requirement that was not understood.",
    "formulate.repeated-spec": "The formulator returned the same spec again.",
    "formulate.attempts-exhausted": "The repair loop used every attempt without a verified solution.",
}


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error (the stage's output must not be used)."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]
