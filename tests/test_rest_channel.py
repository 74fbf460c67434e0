"""Through the REST channel, as a clinic's website or `curl` would talk to BackCare."""

import uuid

import pytest

from backcare_stack.stack import texts

pytestmark = pytest.mark.server


def new_sender() -> str:
    return f"rest-{uuid.uuid4().hex[:8]}"


def test_hello_gets_disclaimer_then_greeting(stack):
    reply = texts(stack.say(new_sender(), "hello"))
    assert "not a doctor" in reply
    assert "I'm BackCare" in reply
    assert reply.index("not a doctor") < reply.index("I'm BackCare")


def test_tips_come_from_the_article_one_after_another(stack):
    sender = new_sender()
    first = texts(stack.say(sender, "any tips?"))
    assert "Tip 1 of 5" in first and "doctor" in first and "Harvard Health" in first
    second = texts(stack.say(sender, "one more tip"))
    assert "Tip 2 of 5" in second and "sit, walk and work" in second


@pytest.mark.parametrize("question, fact", [
    ("can massage help with back pain", "get back to normal activities sooner"),
    ("how long till my back recovers from this flare up", "weeks, or even months"),
    ("is massage better than physio or acupuncture?", "acupuncture"),
    ("is it covered by health insurance", "full cost"),
    ("which types of massage are there", "Swedish massage is the one offered most often"),
    ("how do I choose a massage therapist", "training and experience differ"),
    ("does the therapist need to be licensed", "AMTA"),
    ("should I ask my doctor first", "if massage is safe for your back"),
    ("how can I avoid hurting my back again", "sit, walk and work"),
    ("where can I find a good massage therapist", "integrative"),
    ("who wrote this information", "March 2015"),
])
def test_every_article_fact_is_one_question_away(stack, question, fact):
    assert fact in texts(stack.say(new_sender(), question))


def test_red_flag_at_the_massage_type_step_gets_emergency_advice(stack):
    sender = new_sender()
    stack.say(sender, "walk me through trying massage")
    stack.say(sender, "none of those")
    stack.say(sender, "yes my doctor said it's ok")
    reply = texts(stack.say(sender, "hmm, I've also lost control of my bladder"))
    assert "medical emergency" in reply or "emergency department" in reply
    assert "911" in reply
    after = texts(stack.say(sender, "where can I find a therapist?"))
    assert "see a doctor about it before you book" in after


def test_walk_through_goes_in_the_article_order(stack):
    sender = new_sender()
    steps = [
        ("guide me through getting a massage", "safety check"),
        ("no", "Has a doctor confirmed"),
        ("yes", "Swedish massage (long, gliding strokes"),
        ("trigger point please", "licensing board"),
        ("not yet", "how to sit, walk and work"),
        ("yes", "integrative"),
        ("yes", "Here is your plan"),
    ]
    for message, expected in steps:
        assert expected in texts(stack.say(sender, message)), message


WALK_THROUGH = ["help me try massage step by step", "no", "yes", "swedish", "yes", "yes"]
RED_FLAGS = [
    ("my foot has started dragging and it's getting worse", "today or tomorrow"),
    ("I've got a fever as well", "today or tomorrow"),
    ("I can't feel my bum and I can't pee", "emergency"),
]


@pytest.mark.parametrize("step", range(1, len(WALK_THROUGH) + 1))
def test_red_flag_at_any_step_gets_urgent_advice(stack, step):
    sender = new_sender()
    for message in WALK_THROUGH[:step]:
        stack.say(sender, message)
    symptom, urgency = RED_FLAGS[step % len(RED_FLAGS)]
    reply = texts(stack.say(sender, symptom))
    assert urgency in reply, (step, reply)
    assert "can't check or diagnose" in reply
