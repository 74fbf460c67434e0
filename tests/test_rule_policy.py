"""The indexed rule policy predicts exactly what Rasa's RulePolicy predicts.

The trained model's learned rules are loaded twice: into BackCare's
``IndexedRulePolicy`` and into Rasa's own ``RulePolicy``. Every conversation
of the training data and of the test stories is replayed, and at each point
where the bot picks its next action both must find the same rules and make the
same prediction (action, confidence, events such as a form being told it was
interrupted). Conversations are also chained into long ones, where the index
stops early.
"""

import tempfile
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.constants import RULE_SNIPPET_ACTION_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from backcare_rasa.rule_policy import IndexedRulePolicy
from backcare_stack.stack import MODEL, ROOT

pytestmark = pytest.mark.model
LOOKUPS = ("rules", "rules_for_loop_unhappy_path")


@pytest.fixture(scope="module")
def policies() -> Iterator[Tuple[IndexedRulePolicy, RulePolicy, Domain]]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    with tempfile.TemporaryDirectory() as storage_dir:
        storage, metadata = LocalModelStorage.from_model_archive(Path(storage_dir), MODEL)
        nodes = [node for node in metadata.predict_schema.nodes.values()
                 if issubclass(node.uses, RulePolicy)]
        assert [node.uses for node in nodes] == [IndexedRulePolicy], \
            "config.yml should name backcare_rasa.rule_policy.IndexedRulePolicy"
        node = nodes[0]
        context = ExecutionContext(metadata.predict_schema, metadata.model_id)
        config = {**RulePolicy.get_default_config(), **node.config}  # as Rasa's graph does
        indexed = IndexedRulePolicy.load(config, storage, node.resource, context)
        rasa = RulePolicy(config, storage, node.resource, context,
                          featurizer=indexed.featurizer, lookup=indexed.lookup)
        yield indexed, rasa, metadata.domain


def conversations(domain: Domain) -> List[DialogueStateTracker]:
    """Every story and rule of the training data and every test story, as trackers."""
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "domain.yml"),
        training_data_paths=[str(ROOT / "data"), str(ROOT / "tests" / "stories")])
    graph = importer.get_stories()
    trackers = TrainingDataGenerator(graph, domain, augmentation_factor=0).generate()
    assert len(trackers) > 40
    return trackers


def decision_points(tracker: DialogueStateTracker, domain: Domain
                    ) -> Iterator[DialogueStateTracker]:
    """The conversation so far, at each point the bot chose an action."""
    running = tracker.init_copy()
    for event in tracker.applied_events():
        if isinstance(event, ActionExecuted) and event.action_name != RULE_SNIPPET_ACTION_NAME:
            yield running
        running.update(event, domain)


def long_conversation(trackers: List[DialogueStateTracker], domain: Domain
                      ) -> DialogueStateTracker:
    """Many stories one after another, skipping rule snippets."""
    chained = DialogueStateTracker("long", domain.slots)
    for tracker in trackers:
        if tracker.is_rule_tracker:
            continue
        for event in tracker.applied_events():
            chained.update(event, domain)
    return chained


def same_decisions(indexed: IndexedRulePolicy, rasa: RulePolicy, domain: Domain,
                   tracker: DialogueStateTracker) -> int:
    checked = 0
    for point in decision_points(tracker, domain):
        for use_text in (True, False):
            states = rasa._prediction_states(point, domain, use_text,
                                             rule_only_data=rasa._get_rule_only_data())
            for name in LOOKUPS:
                assert indexed._get_possible_keys(indexed.lookup[name], states) == \
                    rasa._get_possible_keys(rasa.lookup[name], states), (tracker.sender_id, name)
        ours, theirs = indexed._predict(point, domain), rasa._predict(point, domain)
        assert ours[1] == theirs[1], tracker.sender_id
        assert ours[0].probabilities == theirs[0].probabilities, tracker.sender_id
        assert ours[0].events == theirs[0].events, tracker.sender_id
        checked += 1
    return checked


def test_every_conversation_gets_the_same_decisions(policies):
    indexed, rasa, domain = policies
    checked = sum(same_decisions(indexed, rasa, domain, tracker)
                  for tracker in conversations(domain))
    assert checked > 300


def test_a_long_conversation_gets_the_same_decisions(policies):
    indexed, rasa, domain = policies
    long = long_conversation(conversations(domain)[:30], domain)
    assert len(long.events) > 300
    assert same_decisions(indexed, rasa, domain, long) > 100



def test_restart_still_starts_over(policies):
    """Rasa warns that a RulePolicy subclass loses the default intents; it does not."""
    indexed, _, domain = policies
    tracker = DialogueStateTracker.from_events("restarting", [
        ActionExecuted("action_listen"), UserUttered("/restart", {"name": "restart"})],
        slots=domain.slots)
    prediction = indexed.predict_action_probabilities(tracker, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    assert domain.action_names_or_texts[best] == "action_restart"
