"""The walk-through: step order, validation, prompts and the plan."""

import pytest

from actions.guide_form import ValidateGuideForm, guide_required_slots
from actions.guide_prompts import (
    ActionAskChosenMassageType,
    ActionAskCredentialsStatus,
    ActionAskInsuranceStatus,
    ActionAskPostureNoted,
    ActionAskScreenResult,
)
from actions.guide_summary import ActionGuideSummary, ActionResetGuide
from tests.conftest import shown, slot_events

ARTICLE_ORDER = ["screen_result", "doctor_check", "chosen_massage_type",
                 "credentials_status", "posture_noted", "insurance_status"]


def test_steps_follow_the_article_order(make_tracker):
    assert guide_required_slots(make_tracker()) == ARTICLE_ORDER


def test_no_doctor_check_yet_offers_to_carry_on_or_stop(make_tracker):
    waiting = make_tracker(slots={"doctor_check": "not_yet"})
    assert guide_required_slots(waiting)[2] == "carry_on"
    stopped = make_tracker(slots={"doctor_check": "not_yet", "carry_on": False})
    assert guide_required_slots(stopped) == ["screen_result", "doctor_check", "carry_on"]


def test_after_a_red_flag_assessment_comes_first(make_tracker):
    flagged = make_tracker(slots={"red_flag_raised": True})
    assert guide_required_slots(flagged)[0] == "assessed"
    refused = make_tracker(slots={"red_flag_raised": True, "assessed": False})
    assert guide_required_slots(refused) == ["assessed"]
    cleared = make_tracker(slots={"red_flag_raised": True, "assessed": True})
    assert guide_required_slots(cleared) == ARTICLE_ORDER


@pytest.mark.parametrize("value, expected", [
    ("deep_tissue", "deep_tissue"), ("Swedish", "swedish"), ("the shiatzu one", "shiatsu"),
    (["trigger point"], "trigger_point"), ("undecided", "undecided"), ("hot stone", None),
])
def test_massage_type_answers(dispatcher, make_tracker, domain, value, expected):
    result = ValidateGuideForm().validate_chosen_massage_type(value, dispatcher,
                                                              make_tracker(), domain)
    assert result == {"chosen_massage_type": expected}
    assert bool(dispatcher.messages) == (expected is None)


def test_not_yet_seen_a_doctor_gets_advice(dispatcher, make_tracker, domain):
    tracker = make_tracker(slots={"requested_slot": "doctor_check"})
    result = ValidateGuideForm().validate_doctor_check("not_yet", dispatcher, tracker, domain)
    assert result == {"doctor_check": "not_yet"}
    assert "check with your doctor" in shown(dispatcher, domain)[0]


def test_advice_is_not_repeated_when_the_guide_resumes(dispatcher, make_tracker, domain):
    ValidateGuideForm().validate_doctor_check("not_yet", dispatcher, make_tracker(), domain)
    assert dispatcher.messages == []


async def test_screen_question_has_a_button_per_red_flag_group(dispatcher, make_tracker, domain):
    await ActionAskScreenResult().run(dispatcher, make_tracker(), domain)
    lines = shown(dispatcher, domain)
    assert "safety check" in lines[0] and "groin" in lines[0]
    payloads = [line for line in lines if line.startswith("[")]
    assert payloads[0] == "[None of these] /deny"
    assert any('/report_red_flag{"red_flag": "cauda_equina"}' in p for p in payloads)
    assert len(payloads) == 6


async def test_massage_type_question_says_swedish_is_most_common(dispatcher, make_tracker, domain):
    await ActionAskChosenMassageType().run(dispatcher, make_tracker(), domain)
    lines = shown(dispatcher, domain)
    assert "Swedish massage" in lines[0] and "most common" in lines[0]
    assert '[Shiatsu] /inform{"massage_type": "shiatsu"}' in lines


@pytest.mark.parametrize("action, expected", [
    (ActionAskCredentialsStatus, "AMTA"),
    (ActionAskPostureNoted, "sit, walk and work"),
    (ActionAskInsuranceStatus, "integrative"),
])
async def test_each_step_gives_the_article_advice_then_asks(
    dispatcher, make_tracker, domain, action, expected
):
    await action().run(dispatcher, make_tracker(), domain)
    lines = shown(dispatcher, domain)
    assert expected in lines[0]
    assert lines[1].endswith("?")


async def test_plan_reflects_answers_and_ends_with_disclaimer(dispatcher, make_tracker, domain):
    tracker = make_tracker(slots={
        "screen_result": "none", "doctor_check": "confirmed", "chosen_massage_type": "shiatsu",
        "credentials_status": "to_check", "posture_noted": "yes", "insurance_status": "to_check",
        "guide_in_progress": True})
    events = await ActionGuideSummary().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert lines[0] == "Here is your plan:"
    assert "Doctor: done" in lines[1]
    assert "Shiatsu" in lines[2]
    assert "check that they have a license" in lines[3]
    assert "Ask your insurance company" in lines[5]
    assert "not a doctor" in lines[-1]
    slots = slot_events(events)
    assert slots["guide_in_progress"] is False and slots["chosen_massage_type"] is None


async def test_plan_when_waiting_for_the_doctor(dispatcher, make_tracker, domain):
    tracker = make_tracker(slots={"doctor_check": "not_yet", "carry_on": False})
    await ActionGuideSummary().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert "check with your doctor" in lines[1] and "come back" in lines[2]


async def test_reset_clears_answers(dispatcher, make_tracker, domain):
    events = await ActionResetGuide().run(dispatcher, make_tracker(), domain)
    assert slot_events(events)["doctor_check"] is None
