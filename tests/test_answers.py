import pytest

from actions import CONTENT
from actions.answers import ActionAnswerTopic
from tests.conftest import shown


@pytest.mark.parametrize(
    "intent, expected",
    [
        ("ask_recovery_time", "weeks, or even months"),
        ("ask_massage_benefits", "worth a try"),
        ("ask_massage_evidence", "acupuncture"),
        ("ask_cost_insurance", "full cost"),
        ("ask_choose_therapist", "training and experience"),
        ("ask_doctor_first", "safe for your"),
        ("ask_prevention", "sit,"),
        ("ask_find_provider", "integrative"),
        ("ask_source", "March 2015"),
        ("ask_massage_safety", "very safe"),
    ],
)
async def test_each_question_gets_its_article_fact_and_source(
    dispatcher, make_tracker, domain, intent, expected
):
    await ActionAnswerTopic().run(dispatcher, make_tracker(intent=intent), domain)
    lines = shown(dispatcher, domain)
    assert any(expected in line for line in lines), lines
    if intent == "ask_source":  # "Where is this from?" ends with the clinical review status
        assert "clinician" in lines.pop()
    assert lines[-1].startswith(("Source:", "Sources:")) and "2015" in lines[-1]


async def test_unknown_topic_asks_to_rephrase(dispatcher, make_tracker, domain):
    await ActionAnswerTopic().run(dispatcher, make_tracker(intent="greet"), domain)
    assert "say it another way" in shown(dispatcher, domain)[0]


async def test_after_red_flag_booking_answers_carry_a_caveat(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_find_provider", slots={"red_flag_raised": True})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert "see a doctor about it before you book" in shown(dispatcher, domain)[0]


async def test_no_caveat_once_assessed(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_find_provider",
                           slots={"red_flag_raised": True, "assessed": True})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert not any("before you book a massage" in line for line in shown(dispatcher, domain))


@pytest.mark.parametrize("intent", [
    "ask_massage_benefits", "ask_massage_evidence", "ask_recovery_time", "ask_cost_insurance",
    "ask_choose_therapist", "ask_find_provider", "ask_prevention", "ask_massage_types",
])
async def test_after_red_flag_every_answer_towards_booking_says_see_a_doctor_first(
        dispatcher, make_tracker, domain, intent):
    tracker = make_tracker(intent=intent, slots={"red_flag_raised": True})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert shown(dispatcher, domain)[0] == CONTENT.after_escalation_note


async def test_other_questions_of_the_message_are_offered_after_the_answer(
        dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_massage_safety")
    tracker.latest_message["other_requests"] = ["How much does it cost?"]
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert lines[-2:] == ["You also asked this. Pick it and I'll answer it next:",
                          "[How much does it cost?] How much does it cost?"]
