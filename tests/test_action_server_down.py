"""With the action server down, a custom-action turn gets a clear answer, not silence."""

import uuid

import pytest

from backcare_stack.stack import texts

pytestmark = pytest.mark.server


def test_unavailable_then_carries_on_when_back(stack):
    sender = f"down-{uuid.uuid4().hex[:8]}"
    assert "I'm BackCare" in texts(stack.say(sender, "hello"))
    stack.stop("actions")
    try:
        reply = texts(stack.say(sender, "any tips for me?"))
        assert "temporarily unavailable" in reply
        assert "emergency number" in reply
    finally:
        stack.start_actions()
    reply = texts(stack.say(sender, "any tips for me?"))
    assert "Tip 1 of 5" in reply


def test_a_walk_through_step_with_the_server_down_says_so_and_resumes(stack):
    """A form step runs the form's validation action: it gets the same fallback."""
    sender = f"down-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "hello")
    assert "safety check" in texts(stack.say(sender, "walk me through it"))
    stack.stop("actions")
    try:
        assert "temporarily unavailable" in texts(stack.say(sender, "none of these"))
    finally:
        stack.start_actions()
    assert "Has a doctor confirmed" in texts(stack.say(sender, "none of these"))
