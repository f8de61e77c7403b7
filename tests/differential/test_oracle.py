"""The oracle checks itself: its two independent methods agree, and it reads specs as documented."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from nl2opt.spec import ModelSpec
from tests.differential.cases import Case, to_spec
from tests.differential.compare import same_objective
from tests.differential.generate import FAST, cases
from tests.differential.oracle import branch_optimum, enumerate_optimum, enumeration_size


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(case=cases(FAST))
def test_enumeration_and_milp_pieces_agree_on_pure_integer_cases(case: Case) -> None:
    size = enumeration_size(case)
    if size is None or size > 512:
        return
    enumerated, pieces = enumerate_optimum(case, 512), branch_optimum(case, 512)
    if pieces.status == "unknown":
        return
    assert enumerated.status == pieces.status, (enumerated, pieces)
    if enumerated.status == "optimal":
        assert same_objective(enumerated.objective, pieces.objective), (enumerated, pieces)


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(case=cases(FAST))
def test_every_generated_case_renders_to_a_schema_valid_spec(case: Case) -> None:
    ModelSpec.model_validate(to_spec(case))
