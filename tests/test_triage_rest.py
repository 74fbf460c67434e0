"""Red-flag triage through the REST channel, as a patient would meet it."""

import uuid

import pytest

from actions import CLINIC, CONTENT
from actions.text import fill
from backcare_stack.stack import texts

pytestmark = pytest.mark.server

URGENT = [fill(g.advice, CLINIC) for g in CONTENT.red_flags.values()] + [
    fill(CONTENT.red_flag_general_advice, CLINIC)]


def urgent(reply: str) -> bool:
    return any(advice in reply for advice in URGENT)


def chat(stack, *messages):
    """Say each message in one fresh conversation; the replies, one string each."""
    sender = f"triage-{uuid.uuid4().hex[:8]}"
    return [texts(stack.say(sender, message)) for message in messages]


@pytest.mark.parametrize("message", [
    "motorbike accident last week, now lower back pain",
    "nothing works, fever too",
    "lost 10 pounds without dieting, back pain",
    "painkillers don't work and both legs feel weak",
    "the pain won't stop, numb groin too",
    "I have no bladder control",
])
def test_reported_red_flags_get_urgent_advice_at_once(stack, message):
    (reply,) = chat(stack, message)
    assert urgent(reply), reply


@pytest.mark.parametrize("message", [
    "I fell asleep on the couch and woke up stiff",
    "my legs are tired after a long run",
    "I have had back pain for three days after moving furniture",
    "what temperature should the massage room be?",
    "can massage spread cancer?",
])
def test_ordinary_messages_get_no_urgent_advice(stack, message):
    replies = chat(stack, "hello", message, "no")
    assert not any(urgent(reply) for reply in replies[1:]), replies


def test_a_possible_sign_is_asked_about_and_no_answers_the_question(stack):
    _, asked, after_no = chat(stack, "hello", "can massage spread cancer?", "no")
    assert CONTENT.red_flags["cancer_night_pain"].check_question in asked
    assert not urgent(asked) and not urgent(after_no)
    assert CONTENT.facts["safety_check"].text in after_no  # the question it really asked


def test_yes_to_the_check_escalates(stack):
    _, _, after_yes = chat(stack, "hello", "does massage help after a fall?", "yes")
    assert CONTENT.red_flags["trauma"].advice.split("{")[0] in after_yes


def test_no_clear_answer_to_the_check_escalates(stack):
    _, _, reply = chat(stack, "hello", "does massage help after a fall?", "how much is it?")
    assert "couldn't tell" in reply and urgent(reply)


def test_a_sign_ruled_out_is_not_asked_about_again(stack):
    replies = chat(stack, "hello", "can massage spread cancer?", "no",
                   "is massage safe with cancer?")
    question = CONTENT.red_flags["cancer_night_pain"].check_question
    assert question not in replies[3] and not urgent(replies[3])


def test_a_possible_sign_mid_walk_through_then_no_returns_to_the_step(stack):
    replies = chat(stack, "walk me through it", "none of these",
                   "my mum had cancer, is massage ok?", "no", "yes")
    assert "Has a doctor confirmed" in replies[1]
    assert "Thanks for checking" in replies[3] and "Has a doctor confirmed" in replies[3]
    assert "Which kind would you like to try" in replies[4]


def test_after_a_red_flag_cost_and_tips_say_see_a_doctor_first(stack):
    _, flagged, cost, tip = chat(stack, "hello", "I slipped on ice and landed on my back",
                                 "how much does a massage cost?", "any tips?")
    assert urgent(flagged)
    assert cost.startswith(CONTENT.after_escalation_note)
    assert tip.startswith(CONTENT.after_escalation_note)


def test_doctor_clearance_before_the_red_flag_does_not_clear_it(stack):
    replies = chat(stack, "hello", "my doctor said massage is fine for me",
                   "I've got a fever and my back aches", "where can I find a therapist?")
    assert urgent(replies[2])
    assert replies[3].startswith(CONTENT.after_escalation_note)


def test_several_questions_the_first_is_answered_the_others_offered(stack):
    sender = f"triage-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "hello")
    replies = stack.say(sender, "My back has been stiff since I moved house. Is massage safe "
                                "for me? And how much does a session usually cost?")
    text = texts(replies)
    assert CONTENT.facts["safety_check"].text in text
    offered = [b for r in replies for b in r.get("buttons") or []]
    assert offered and "cost" in offered[0]["payload"]
    follow_up = texts(stack.say(sender, offered[0]["payload"]))
    assert CONTENT.facts["insurance_varies"].text.split(",")[0] in follow_up
