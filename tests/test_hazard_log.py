"""The hazard log names real tests for every control, and covers the required hazards."""

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LOG = yaml.safe_load((ROOT / "docs" / "clinical-safety" / "hazard-log.yml").read_text())
SEVERITIES = {"minor", "significant", "considerable", "major", "catastrophic"}
LIKELIHOODS = {"very_low", "low", "medium", "high", "very_high"}
REQUIRED = {"missed_red_flag", "false_alarm", "misread_negation", "red_flag_mid_walk_through",
            "action_server_down", "content_wrong_or_outdated", "language_not_understood",
            "message_too_long", "conversation_lost_on_restart"}


def functions_in(path: Path) -> set:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test_")}


def all_test_ids() -> list:
    return [test_id for hazard in LOG["hazards"] for control in hazard["controls"]
            for test_id in control["tests"]]


def test_required_hazards_are_logged():
    assert REQUIRED <= {hazard["title"] for hazard in LOG["hazards"]}


@pytest.mark.parametrize("hazard", LOG["hazards"], ids=lambda h: h["id"])
def test_each_hazard_is_complete_and_every_control_names_a_test(hazard):
    for field in ("id", "title", "hazard", "cause", "effect", "controls"):
        assert hazard.get(field), f"{hazard.get('id')}: {field} missing"
    assert hazard["severity"] in SEVERITIES
    assert {hazard["likelihood_before"], hazard["likelihood_after"]} <= LIKELIHOODS
    for control in hazard["controls"]:
        assert control["control"].strip() and control["tests"], control


@pytest.mark.parametrize("test_id", sorted(set(all_test_ids())))
def test_every_named_test_exists_where_make_test_runs_it(test_id):
    path, _, name = test_id.partition("::")
    file = ROOT / path
    assert file.parent == ROOT / "tests" and file.name.startswith("test_"), test_id
    assert file.exists(), f"{test_id}: no such file"
    assert name in functions_in(file), f"{test_id}: no such test"


def test_the_check_itself_fails_on_a_missing_test(tmp_path):
    fake = tmp_path / "test_x.py"
    fake.write_text("def test_real():\n    pass\n")
    assert functions_in(fake) == {"test_real"}
    assert "test_gone" not in functions_in(fake)
