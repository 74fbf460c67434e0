"""50 conversations at once, 20 turns each, on the default setup: no errors, nothing lost."""

import asyncio
import sqlite3
import uuid

import httpx
import pytest

pytestmark = pytest.mark.server
TURNS = ["hi", "does massage help?", "any tips?", "another tip", "is it safe?",
         "how much does it cost?", "walk me through it", "no", "yes", "swedish",
         "not yet", "yes", "no", "what is shiatsu?", "how long to recover?",
         "where can I find a therapist?", "should I see a doctor first?",
         "where is this from?", "thanks", "bye"]


async def converse(client: httpx.AsyncClient, url: str, sender: str, errors: list) -> None:
    for text in TURNS:
        try:
            response = await client.post(url, json={"sender": sender, "message": text})
            if response.status_code != 200 or not response.json():
                errors.append((sender, text, response.status_code))
        except httpx.HTTPError as error:
            errors.append((sender, text, repr(error)))


async def run_load(base: str, senders: list) -> list:
    errors: list = []
    limits = httpx.Limits(max_connections=60)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*[converse(client, f"{base}/webhooks/rest/webhook", s, errors)
                               for s in senders])
    return errors


def test_fifty_concurrent_conversations(stack):
    senders = [f"load-{i}-{uuid.uuid4().hex[:6]}" for i in range(50)]
    errors = asyncio.run(run_load(stack.url, senders))
    assert errors == []
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = dict(db.execute(
            "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' "
            f"AND sender_id IN ({','.join('?' * len(senders))}) GROUP BY sender_id", senders))
    assert rows == {sender: len(TURNS) for sender in senders}
