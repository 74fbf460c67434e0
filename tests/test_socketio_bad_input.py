"""Bad input through the web widget's socket.io channel gets an answer, never silence."""

import asyncio
import uuid

import pytest
import socketio

pytestmark = pytest.mark.server
MESSAGES = ["", "   ", "😀😀😀", "按摩有用吗", "<b>hi</b><script>alert(1)</script>",
            "x" * 100_000, "hello\x00world", "'; DROP TABLE events; --"]


async def exchange(url: str, message: str) -> list:
    client = socketio.AsyncClient(reconnection=False)
    replies: list = []
    got_reply = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data):
        replies.append(data)
        got_reply.set()

    session_id = uuid.uuid4().hex
    await client.connect(url, transports=["polling"])
    await client.emit("session_request", {"session_id": session_id})
    await asyncio.sleep(0.5)
    await client.emit("user_uttered", {"message": message, "session_id": session_id})
    try:
        await asyncio.wait_for(got_reply.wait(), timeout=60)
        await asyncio.sleep(1.0)
    finally:
        await client.disconnect()
    return replies


@pytest.mark.parametrize("message", MESSAGES)
def test_socketio_odd_messages_get_an_answer(stack, message):
    replies = asyncio.run(exchange(stack.url, message))
    text = " ".join(reply.get("text") or "" for reply in replies)
    assert any(phrase in text for phrase in (
        "say it another way", "outside what I know", "not a doctor", "I'm BackCare")), text[:300]


def test_socketio_keeps_serving_after_odd_input(stack):
    asyncio.run(exchange(stack.url, "\x00\x01"))
    replies = asyncio.run(exchange(stack.url, "how long does a flare-up take to settle?"))
    assert "weeks, or even months" in " ".join(r.get("text") or "" for r in replies)


def test_socketio_over_long_message_gets_the_too_long_answer(stack):
    replies = asyncio.run(exchange(stack.url, "back pain " * 10_000))
    text = " ".join(reply.get("text") or "" for reply in replies)
    assert "that message is too long" in text, text[:300]
