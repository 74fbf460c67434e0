"""A message over the size limit never reaches NLU, on every channel, and stalls no one."""

import asyncio
import logging
import time
import uuid

import pytest
from rasa.core.channels.channel import UserMessage

from backcare_channels.limits import TOO_LONG_INTENT, limit_length, max_chars
from backcare_stack.stack import texts
from scripts.evaluate.isolation import OVER_LONG, isolation

TOO_LONG = "Sorry, that message is too long for me to read"
HUGE = OVER_LONG  # 100 KB: 26-29 s of NLU before the limit


def test_the_limit_is_2000_characters_by_default_and_settable(monkeypatch):
    assert max_chars() == 2000
    monkeypatch.setenv("BACKCARE_MAX_MESSAGE_CHARS", "500")
    assert max_chars() == 500


async def test_an_over_long_text_becomes_the_intent_and_is_not_logged(caplog):
    seen = []

    async def on_new_message(message):
        seen.append(message.text)

    guarded = limit_length(on_new_message)
    caplog.set_level(logging.INFO)
    await guarded(UserMessage("secret symptom" * 200, sender_id="a"))
    await guarded(UserMessage("x" * 2000, sender_id="b"))
    assert seen == [TOO_LONG_INTENT, "x" * 2000]
    assert "2800 characters" in caplog.text and "secret" not in caplog.text


def say(stack, sender, text, timeout=60):
    started = time.monotonic()
    reply = texts(stack.say(sender, text, timeout=timeout))
    return reply, time.monotonic() - started


@pytest.mark.server
def test_rest_answers_at_once_and_the_conversation_carries_on(stack):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "hello")
    reply, seconds = say(stack, sender, HUGE)
    assert TOO_LONG in reply and seconds < 1.0, (reply[:200], seconds)
    assert "full cost" in say(stack, sender, "does insurance cover massage?")[0]


@pytest.mark.server
def test_the_walk_through_step_is_asked_again_after_an_over_long_message(stack):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "walk me through it")
    say(stack, sender, "none of these")
    reply, _ = say(stack, sender, "a" * 3000)
    assert TOO_LONG in reply and "Has a doctor confirmed" in reply


@pytest.mark.server
def test_long_messages_do_not_stall_other_conversations(stack):
    figures = asyncio.run(isolation(stack.url))
    print(f"ordinary turns beside 3 over-long and 3 near-limit messages: {figures}")
    assert figures["ordinary_p95_s"] < 1.0, figures
    assert figures["over_long_max_s"] < 1.0, figures
