"""A crash in the middle of the walk-through loses nothing (SQLite tracker store)."""

import signal
import uuid

import pytest

from backcare_stack.stack import texts

pytestmark = pytest.mark.server


def test_walk_through_survives_sigkill_of_the_rasa_server(stack):
    sender = f"crash-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "please guide me through trying a massage")
    stack.say(sender, "no, none of them")
    assert "Which kind would you like" in texts(stack.say(sender, "yes, my doctor said so"))

    stack.stop("rasa", signal.SIGKILL)
    stack.start_rasa()

    # Same step (massage type), same earlier answers (doctor check confirmed).
    assert "licensing board" in texts(stack.say(sender, "deep tissue"))
    stack.say(sender, "not yet")
    stack.say(sender, "yes")
    plan = texts(stack.say(sender, "no"))
    assert "Doctor: done" in plan and "Deep tissue massage" in plan
