"""The published JSON Schema of space declarations accepts every built-in and documented declaration
and refuses what the coordinator refuses (the coordinator checks more; see docs/space-declarations.md)."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "docs" / "space-declaration.schema.json").read_text())
BUILTIN = ROOT / "coordinator/src/main/resources/io/nassearch/coordinator/catalog/builtin"
DECLARATIONS = sorted(BUILTIN.glob("*.json")) + sorted((ROOT / "docs/examples/spaces").glob("*.json"))


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_every_builtin_and_documented_declaration_is_valid(path):
    jsonschema.validate(json.loads(path.read_text()), SCHEMA, cls=jsonschema.Draft202012Validator)


VALID = json.loads((ROOT / "docs/examples/spaces/own_mlp.json").read_text())


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(id="Bad Id"),
        lambda d: d.update(membrship="all"),
        lambda d: d.update(format=7),
        lambda d: d["decisions"][0].update(options=["1"]),
        lambda d: d["decisions"][0].update(options=["1", "1"]),
        lambda d: d.update(membership="some"),
        lambda d: d.update(table={"key": "{arch}"}),
        lambda d: d.update(graph={"nodes": 1, "edges": []}),
        lambda d: d.pop("decisions"),
        lambda d: d.update(objectives=["a", ""]),
        lambda d: d.update(constraints={"canonical": "iso"}),
        lambda d: d.update(constraints={"max_edges": -1}),
        lambda d: d.update(constraints={"unordered": [[["layers"]]]}),
        lambda d: d.update(constraints={"conected": True}),
    ],
)
def test_invalid_declarations_are_refused(edit):
    declaration = copy.deepcopy(VALID)
    edit(declaration)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(declaration, SCHEMA, cls=jsonschema.Draft202012Validator)
