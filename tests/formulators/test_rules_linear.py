"""The offline formulator's work grows linearly with the text (counted, not timed).

The hostile input of issue 14 is one 64 KB sentence 'Each item0 and item1 and ... earns $3.4999';
it took 82 s because every 'and' made a candidate list and each candidate rescanned the text.
Here the work is counted: the number of tokens the mention finder examines.
"""

from __future__ import annotations

import pytest

from nl2opt.formulators.rules import RulesFormulator, entities


def _many_and(n: int) -> str:
    return "Each " + " and ".join(f"item{k}" for k in range(n)) + " earns $3.4999"


def _many_sentences(n: int) -> str:
    return (
        "A shop sells chairs and tables. "
        + "Each chair needs 2 hours and each table needs 3 hours. " * n
        + "Maximize profit."
    )


def _tokens_examined(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    count = 0
    real = entities._candidates

    def counting(index, variables, tok):
        nonlocal count
        count += 1
        return real(index, variables, tok)

    monkeypatch.setattr(entities, "_candidates", counting)
    RulesFormulator().formulate(text)
    return count


@pytest.mark.parametrize("make", [_many_and, _many_sentences], ids=["one-long-list", "many-sentences"])
def test_doubling_the_text_at_most_doubles_the_work(make, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _tokens_examined(make(500), monkeypatch)
    large = _tokens_examined(make(1000), monkeypatch)
    assert small > 0
    assert large <= 2.2 * small, (small, large)


def test_a_sentence_far_longer_than_any_word_problem_is_declined_by_name() -> None:
    formulation = RulesFormulator().formulate(_many_and(2000))
    assert formulation.spec is None
    messages = " ".join(d.message for d in formulation.diagnostics)
    assert "too long to read" in messages
    assert all(len(d.message) < 600 for d in formulation.diagnostics)  # quotes are shortened
