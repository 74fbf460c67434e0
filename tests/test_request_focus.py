"""Long messages: the classifier sees the first request; the whole text comes back after."""

from pathlib import Path

import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from backcare_nlu.request_focus import RequestFocus, RestoreFullText, focus_span

PIPELINE = Path(__file__).resolve().parent.parent / "build" / "spacy" / "en_backcare"


@pytest.fixture(scope="module")
def model() -> SpacyModel:
    if not PIPELINE.exists():
        pytest.fail("spaCy pipeline missing: run `make install` first")
    return SpacyModel(model=spacy.load(PIPELINE), model_name=str(PIPELINE))


def focused(model, text):
    span = focus_span(model.model(text.lower()))
    return text[span[0]:span[1]] if span else None


@pytest.mark.parametrize("text, asked", [
    ("Been at a desk all week and my back is stiff. My friend swears by massage. "
     "Does it actually work?", "My friend swears by massage. Does it actually work?"),
    ("Pain in lower back after a massage! Is this normal?",
     "Pain in lower back after a massage! Is this normal?"),
    ("I moved house last month. I want to know how much a massage costs. Also is it safe?",
     "I want to know how much a massage costs."),
    ("my back hurts. how do i find a therapist near me that knows chronic pain",
     "how do i find a therapist near me that knows chronic pain"),
])
def test_the_first_request_is_classified(model, text, asked):
    assert focused(model, text) == asked


@pytest.mark.parametrize("text", [
    "does massage help back pain?",
    "My back hurts. Not enough that I am worried, just enough that I am annoyed.",
])
def test_one_sentence_or_no_request_is_classified_whole(model, text):
    assert focused(model, text) is None


def focus(model, text):
    """A message after RequestFocus."""
    message = Message(data={"text": text})
    message.set("text_spacy_doc", model.model(text.lower()))
    return RequestFocus().process([message], model)[0]


def test_whole_text_and_entity_offsets_come_back(model):
    text = "My back is stiff after gardening. What is shiatsu like?"
    message = focus(model, text)
    assert message.get("text") == "What is shiatsu like?"
    start = message.get("text").index("shiatsu")
    message.set("entities", [{"entity": "massage_type", "value": "shiatsu", "start": start,
                              "end": start + 7, "extractor": "DIETClassifier"}])
    RestoreFullText().process([message])
    entity = message.get("entities")[0]
    assert message.get("text") == text
    assert text[entity["start"]:entity["end"]] == "shiatsu"
    assert message.get("text_spacy_doc").text == text.lower()


def test_button_payloads_are_left_alone(model):
    message = Message(data={"text": "/ask_tips"})
    RequestFocus().process([message], model)
    RestoreFullText().process([message])
    assert message.get("text") == "/ask_tips"


def classified(model, text, ranking):
    from backcare_nlu.request_focus import QuestionsAreNotYesNo

    message = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    message.set("text_spacy_doc", model.model(text.lower()))
    return QuestionsAreNotYesNo().process([message], model)[0].get("intent")["name"]


def test_a_question_with_a_no_in_it_is_the_question(model):
    ranking = [{"name": "deny", "confidence": 0.5},
               {"name": "ask_massage_evidence", "confidence": 0.3}]
    assert classified(model, "has this actually been proven or not?", ranking) == \
        "ask_massage_evidence"


@pytest.mark.parametrize("text", ["no", "no, not yet", "nope, none of those", "no?"])
def test_plain_answers_stay_answers(model, text):
    ranking = [{"name": "deny", "confidence": 0.9}, {"name": "ask_tips", "confidence": 0.05}]
    assert classified(model, text, ranking) == "deny"


def test_the_requests_after_the_first_are_kept_for_the_answer(model):
    message = focus(model, "My back is stiff after gardening. Is massage safe? How much "
                           "does it cost?")
    assert message.get("text") == "Is massage safe?"
    assert message.get("other_requests") == ["How much does it cost?"]
