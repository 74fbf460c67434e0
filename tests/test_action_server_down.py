"""With the action server down, a custom-action turn gets a clear answer, not silence."""

import uuid

import pytest

from tests.stack import texts

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
