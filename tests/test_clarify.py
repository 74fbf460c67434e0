"""Unsure between two topics: ask which one, with a button for each."""

from actions.clarify import ActionClarify
from tests.conftest import shown


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


async def test_two_likely_topics_are_offered(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = ranking(
        ("nlu_fallback", 0.4), ("ask_cost_insurance", 0.35), ("greet", 0.3),
        ("ask_find_provider", 0.2), ("ask_tips", 0.05))
    await ActionClarify().run(dispatcher, tracker, domain)
    assert shown(dispatcher, domain) == [
        "Sorry, I'm not sure I understood. Do you mean cost and insurance, or finding a "
        "therapist?",
        "[Cost and insurance] /ask_cost_insurance", "[Finding a therapist] /ask_find_provider"]


async def test_no_likely_topic_asks_to_rephrase(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = ranking(
        ("nlu_fallback", 0.4), ("greet", 0.3), ("ask_tips", 0.08))
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "say it another way" in shown(dispatcher, domain)[0]


def test_every_topic_label_names_an_intent_of_the_domain(domain):
    labels = [name[len("utter_topic_"):] for name in domain["responses"]
              if name.startswith("utter_topic_")]
    assert len(labels) >= 12 and set(labels) <= set(domain["intents"])
