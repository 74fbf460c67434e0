"""Red-flag triage actions: a named sign escalates, a possible one is asked about first."""

import pytest

from actions import CONTENT
from actions.credentials import ActionCredentialChecklist
from actions.massage_types import ActionListMassageTypes, ActionMassageTypeInfo
from actions.safety import ActionAskRedFlagAnswer, ActionResolveRedFlagCheck, ActionTriageRedFlag
from actions.tips import ActionGiveTip
from tests.conftest import entity, shown, slot_events


def user_event(text, intent, ranking, entities=()):
    return {"event": "user", "text": text, "input_channel": "rest",
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0},
                           "intent_ranking": ranking, "entities": list(entities)}}


ORIGINAL = user_event(
    "can massage spread cancer?", "report_red_flag",
    [{"name": "report_red_flag", "confidence": 1.0},
     {"name": "ask_massage_safety", "confidence": 0.8}],
    [entity("possible_red_flag", "cancer_night_pain")])


async def test_a_named_sign_escalates_at_once(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag", entities=[entity("red_flag", "trauma")])
    events = await ActionTriageRedFlag().run(dispatcher, tracker, domain)
    assert CONTENT.red_flags["trauma"].advice.split("{")[0] in "\n".join(shown(dispatcher, domain))
    assert slot_events(events)["red_flag_raised"] is True


async def test_a_possible_sign_opens_the_check_for_its_group(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag",
                           entities=[entity("possible_red_flag", "cancer_night_pain")])
    events = await ActionTriageRedFlag().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert slot_events(events) == {"red_flag_check": "cancer_night_pain"}
    assert [e["name"] for e in events if e["event"] == "followup"] == ["red_flag_check_form"]


async def test_the_classifier_alone_gets_the_screening_question(dispatcher, make_tracker, domain):
    events = await ActionTriageRedFlag().run(dispatcher, make_tracker(intent="report_red_flag"),
                                             domain)
    assert slot_events(events) == {"red_flag_check": "screen"}


async def test_a_sign_ruled_out_before_is_not_asked_again(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag",
                           entities=[entity("possible_red_flag", "cancer_night_pain")],
                           slots={"red_flags_ruled_out": ["cancer_night_pain"]})
    tracker.events = [ORIGINAL]
    events = await ActionTriageRedFlag().run(dispatcher, tracker, domain)
    replayed = [e for e in events if e["event"] == "user"][0]
    assert replayed["parse_data"]["intent"]["name"] == "ask_massage_safety"
    assert [e["event"] for e in events][:2] == ["rewind", "action"]


@pytest.mark.parametrize("group, words", [
    ("trauma", "fall"), ("infection", "fever"), ("cancer_night_pain", "cancer"),
    ("screen", "warning signs"),
])
async def test_the_check_question_names_the_sign(dispatcher, make_tracker, domain, group, words):
    tracker = make_tracker(slots={"red_flag_check": group})
    await ActionAskRedFlagAnswer().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert words in lines[0]
    assert lines[1:] == ["[Yes] /affirm", "[No] /deny"]


@pytest.mark.parametrize("answer", ["yes", "unclear"])
async def test_yes_or_no_clear_answer_escalates(dispatcher, make_tracker, domain, answer):
    tracker = make_tracker(slots={"red_flag_check": "infection", "red_flag_answer": answer})
    events = await ActionResolveRedFlagCheck().run(dispatcher, tracker, domain)
    text = "\n".join(shown(dispatcher, domain))
    assert CONTENT.red_flags["infection"].advice in text
    assert ("couldn't tell" in text) == (answer == "unclear")
    slots = slot_events(events)
    assert slots["red_flag_raised"] is True and slots["red_flag_check"] is None


async def test_no_answers_the_original_question_and_remembers(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="deny", slots={"red_flag_check": "cancer_night_pain",
                                                 "red_flag_answer": "no"})
    tracker.events = [ORIGINAL, user_event("no", "deny", [{"name": "deny", "confidence": 1}])]
    events = await ActionResolveRedFlagCheck().run(dispatcher, tracker, domain)
    assert [e["event"] for e in events][:3] == ["rewind", "action", "user"]
    replayed = events[2]
    assert replayed["text"] == "can massage spread cancer?"
    assert replayed["parse_data"]["intent"]["name"] == "ask_massage_safety"
    assert replayed["parse_data"]["entities"] == []
    assert slot_events(events)["red_flags_ruled_out"] == ["cancer_night_pain"]
    assert not any(g.advice in m for g in CONTENT.red_flags.values()
                   for m in shown(dispatcher, domain))


@pytest.mark.parametrize("action, intent, entities", [
    (ActionGiveTip(), "ask_tips", []),
    (ActionCredentialChecklist(), "ask_credentials", []),
    (ActionListMassageTypes(), "ask_massage_types", []),
    (ActionMassageTypeInfo(), "ask_massage_type_info", [entity("massage_type", "swedish")]),
])
async def test_after_a_red_flag_answers_towards_booking_say_see_a_doctor_first(
        dispatcher, make_tracker, domain, action, intent, entities):
    flagged = make_tracker(intent=intent, entities=entities, slots={"red_flag_raised": True})
    await action.run(dispatcher, flagged, domain)
    assert shown(dispatcher, domain)[0] == CONTENT.after_escalation_note


async def test_no_caveat_without_a_red_flag(dispatcher, make_tracker, domain):
    await ActionGiveTip().run(dispatcher, make_tracker(intent="ask_tips"), domain)
    assert CONTENT.after_escalation_note not in shown(dispatcher, domain)


async def test_an_unclear_answer_to_the_screening_question_is_not_a_yes(
        dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_cost_insurance",
                           slots={"red_flag_check": "screen", "red_flag_answer": "unclear"})
    tracker.events = [ORIGINAL, user_event("how much?", "ask_cost_insurance",
                                            [{"name": "ask_cost_insurance", "confidence": 1}])]
    events = await ActionResolveRedFlagCheck().run(dispatcher, tracker, domain)
    assert "red_flag_raised" not in slot_events(events)
    assert slot_events(events)["red_flags_ruled_out"] == ["screen"]


async def test_a_sign_named_in_the_answer_to_the_screening_question_escalates(
        dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag", entities=[entity("red_flag", "trauma")],
                           slots={"red_flag_check": "screen", "red_flag_answer": "unclear"})
    events = await ActionResolveRedFlagCheck().run(dispatcher, tracker, domain)
    assert slot_events(events)["red_flag_raised"] is True


@pytest.mark.parametrize("ranking, replayed_intent", [
    ([("report_red_flag", 0.66), ("ask_massage_safety", 0.19), ("ask_tips", 0.04)],
     "ask_massage_safety"),
    ([("report_red_flag", 1.0), ("ask_massage_benefits", 0.88), ("ask_tips", 0.03)],
     "ask_massage_benefits"),
    ([("report_red_flag", 0.7), ("ask_tips", 0.1), ("greet", 0.1), ("ask_source", 0.1)],
     "nlu_fallback"),
])
def test_no_replays_the_next_best_intent_unless_it_is_a_guess(ranking, replayed_intent):
    from actions.safety import answer_as_if_unflagged

    story = user_event("a message", "report_red_flag",
                       [{"name": name, "confidence": c} for name, c in ranking])
    replayed = [e for e in answer_as_if_unflagged(story, reverts=1) if e["event"] == "user"][0]
    assert replayed["parse_data"]["intent"]["name"] == replayed_intent
