"""The walk-through funnel slots (actions/guide_funnel.py), turn by turn."""

from actions.guide_form import guide_required_slots
from actions.guide_funnel import funnel_events
from tests.conftest import slot_events


def turn(make_tracker, slots, asked):
    """Funnel events for a turn whose validation left ``slots``; ``asked`` was asked."""
    tracker = make_tracker(slots=slots, active_loop="guide_form")
    return slot_events(funnel_events(tracker, asked, guide_required_slots(tracker)))


def test_start_reaches_step_one_by_asking_it(make_tracker):
    assert turn(make_tracker, {}, None) == {"guide_step_1_reached": "asked"}


def test_an_answer_completes_its_step_and_reaches_the_next(make_tracker):
    slots = {"screen_result": "none", "guide_step_1_reached": "asked"}
    assert turn(make_tracker, slots, "screen_result") == {
        "guide_step_1_completed": True, "guide_step_2_reached": "asked"}


def test_a_doctor_check_given_earlier_is_passed_as_known_not_completed(make_tracker):
    slots = {"screen_result": "none", "doctor_check": "confirmed",
             "guide_step_1_reached": "asked"}
    assert turn(make_tracker, slots, "screen_result") == {
        "guide_step_1_completed": True, "guide_step_2_reached": "known",
        "guide_step_3_reached": "asked"}


def test_an_answer_that_is_not_valid_completes_nothing(make_tracker):
    slots = {"screen_result": "none", "doctor_check": "confirmed", "chosen_massage_type": None,
             **{f"guide_step_{k}_reached": "asked" for k in (1, 2, 3)},
             "guide_step_1_completed": True, "guide_step_2_completed": True}
    assert turn(make_tracker, slots, "chosen_massage_type") == {}


def test_resuming_marks_nothing_twice(make_tracker):
    slots = {"screen_result": "none", "guide_step_1_reached": "asked",
             "guide_step_1_completed": True, "guide_step_2_reached": "asked"}
    assert turn(make_tracker, slots, None) == {}


def test_not_yet_seen_a_doctor_and_stopping_there_reaches_no_later_step(make_tracker):
    slots = {"screen_result": "none", "doctor_check": "not_yet", "carry_on": False,
             "guide_step_1_reached": "asked", "guide_step_1_completed": True,
             "guide_step_2_reached": "asked", "guide_step_2_completed": True}
    assert turn(make_tracker, slots, "carry_on") == {}


def test_after_a_red_flag_the_assessment_question_is_part_of_step_one(make_tracker):
    slots = {"red_flag_raised": True}
    assert turn(make_tracker, slots, None) == {"guide_step_1_reached": "asked"}
    slots = {"red_flag_raised": True, "assessed": True, "guide_step_1_reached": "asked"}
    assert turn(make_tracker, slots, "assessed") == {}  # step 1 is answered by the screen


def test_the_last_answer_completes_step_six(make_tracker):
    slots = {"screen_result": "none", "doctor_check": "confirmed",
             "chosen_massage_type": "swedish", "credentials_status": "checked",
             "posture_noted": "yes", "insurance_status": "to_check",
             **{f"guide_step_{k}_reached": "asked" for k in range(1, 7)},
             **{f"guide_step_{k}_completed": True for k in range(1, 6)}}
    assert turn(make_tracker, slots, "insurance_status") == {"guide_step_6_completed": True}
