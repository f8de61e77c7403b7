"""The spec is the contract: it round-trips, and its schema fits OpenAI's strict subset."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from nl2opt.spec import ModelSpec, schema_text, strict_json_schema

GOLDEN = Path(__file__).parent / "golden" / "spec_schema.json"
EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples").glob("*.json"))

# Keywords OpenAI's strict structured outputs accept (platform docs, "Supported schemas").
ALLOWED = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "enum",
    "description",
    "$ref",
    "$defs",
    "const",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
}


def _objects(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from _objects(sub, f"{path}/{key}/{name}")
            else:
                yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for k, item in enumerate(node):
            yield from _objects(item, f"{path}[{k}]")


def test_schema_is_pinned() -> None:
    text = schema_text()
    if os.environ.get("NL2OPT_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text)
    assert GOLDEN.read_text() == text, "spec schema changed: rerun with NL2OPT_REGEN_GOLDEN=1 if intended"


def test_schema_fits_openai_strict_subset() -> None:
    schema = strict_json_schema()
    for path, node in _objects(schema):
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, path
            assert set(node.get("required", [])) == set(node.get("properties", {})), path
        if "$ref" in node:
            assert len(node) == 1, f"{path}: keywords beside $ref"
        keys = set(node) - {"properties", "$defs"}
        assert keys <= ALLOWED, f"{path}: unsupported {keys - ALLOWED}"


def test_every_field_is_described() -> None:
    schema = strict_json_schema()
    defs = schema["$defs"]
    for path, node in _objects(schema):
        for name, prop in node.get("properties", {}).items():
            target = defs[prop["$ref"].rsplit("/", 1)[-1]] if "$ref" in prop else prop
            assert target.get("description"), f"{path}.{name} has no description"


def test_round_trip_keeps_everything() -> None:
    spec = ModelSpec.model_validate(
        {
            "sets": [
                {"name": "A", "elements": [["x", 1], ["y", 2]]},
                {"name": "T", "range": {"start": 1, "stop": 3}},
            ],
            "parameters": [
                {"name": "c", "index": ["A"], "entries": [{"key": ["x", 1], "value": 2.5}], "value": 0}
            ],
            "variables": [{"name": "f", "index": ["A"], "domain": "integer", "upper": 9}],
            "objective": {"sense": "maximize", "expression": "sum(c[a, b] * f[a, b] for (a, b) in A)"},
            "constraints": [
                {"name": "cap", "for": ["(a, b) in A"], "where": "b > 1", "expression": "f[a, b] <= 3"}
            ],
        }
    )
    again = ModelSpec.from_json(spec.to_json())
    assert again == spec
    assert json.loads(spec.to_json())["constraints"][0]["for"] == ["(a, b) in A"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate(path: Path) -> None:
    assert ModelSpec.load(path).variables


@pytest.mark.parametrize(
    "bad",
    [
        {"variables": [], "objective": {"sense": "up", "expression": "x"}},
        {
            "variables": [{"name": "x", "colour": "red"}],
            "objective": {"sense": "minimize", "expression": "x"},
        },
        {"objective": {"sense": "minimize", "expression": "x"}},
    ],
    ids=["bad-enum", "extra-field", "missing-variables"],
)
def test_malformed_specs_are_rejected(bad: dict) -> None:
    with pytest.raises(ValidationError):
        ModelSpec.model_validate(bad)
