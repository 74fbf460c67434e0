"""Training-data hygiene: varied, unambiguous, and never the held-out test set."""

from collections import Counter, defaultdict

from rasa.shared.nlu.training_data.loading import load_data

from backcare_stack.stack import ROOT

TRAIN = load_data(str(ROOT / "data" / "nlu"))
HELDOUT = load_data(str(ROOT / "tests" / "nlu" / "heldout.yml"))


def normal(text: str) -> str:
    return " ".join(text.lower().split())


def test_held_out_messages_are_not_in_training():
    training = {normal(m.get("text")) for m in TRAIN.intent_examples}
    leaked = [m.get("text") for m in HELDOUT.intent_examples if normal(m.get("text")) in training]
    assert leaked == []


def test_no_example_under_two_intents():
    intents = defaultdict(set)
    for message in TRAIN.intent_examples:
        intents[normal(message.get("text"))].add(message.get("intent"))
    assert {text: found for text, found in intents.items() if len(found) > 1} == {}


def test_at_least_twenty_examples_per_intent():
    counts = Counter(m.get("intent") for m in TRAIN.intent_examples)
    assert {intent: n for intent, n in counts.items() if n < 20} == {}


def test_held_out_covers_every_intent():
    assert {m.get("intent") for m in HELDOUT.intent_examples} == {
        m.get("intent") for m in TRAIN.intent_examples}
