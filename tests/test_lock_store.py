"""Two Rasa servers share each conversation's lock in Redis (backcare_rasa/lock_store.py).

Each test stands for two servers with two lock-store instances on one Redis
database: messages of one conversation are handled one at a time and in the
order they arrived, whichever server took them; other conversations do not
wait; a server that died holding a lock holds its conversation up only for
the lock's lifetime; nothing is left behind in Redis.
"""

import asyncio
import uuid
from typing import List

import pytest
import redis
import redis.asyncio
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from backcare_rasa.lock_store import AsyncRedisLockStore
from backcare_stack.services import require

DB = 7


@pytest.fixture
def servers():
    require("Redis")
    config = EndpointConfig(url="127.0.0.1", type="backcare_rasa.lock_store.AsyncRedisLockStore",
                            port=6379, db=DB, key_prefix="backcaretest")
    first, second = LockStore.create(config), LockStore.create(config)
    assert isinstance(first, AsyncRedisLockStore)
    yield first, second
    client = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    client.delete(*client.keys("backcaretest:*") or ["none"])


def left_in_redis() -> List[bytes]:
    return redis.Redis(host="127.0.0.1", port=6379, db=DB).keys("backcaretest:*")


def test_one_conversation_is_handled_one_message_at_a_time_in_order(servers):
    conversation = f"person-{uuid.uuid4().hex}"
    handling: List[int] = []
    handled: List[int] = []

    tickets = redis.asyncio.Redis(host="127.0.0.1", port=6379, db=DB)
    counter = f"{servers[0].key_prefix}{conversation}:next"

    async def arrived(number: int) -> bool:
        """Message ``number`` holds its place in line (or has already had its turn)."""
        return (number in handling or number in handled
                or int(await tickets.get(counter) or 0) >= number + 1)

    async def message(number: int) -> None:
        store = servers[number % 2]  # nginx sends messages to either server
        while number and not await arrived(number - 1):  # they arrive in this order,
            await asyncio.sleep(0.001)                    # however busy the machine is
        async with store.lock(conversation):
            handling.append(number)
            assert len(handling) == 1, "two messages of one conversation at once"
            await asyncio.sleep(0.01)  # the turn: parse, predict, actions, save
            handling.remove(number)
            handled.append(number)

    async def main() -> None:
        await asyncio.gather(*(message(number) for number in range(12)))
        await tickets.close()

    asyncio.run(main())
    assert handled == list(range(12))
    assert left_in_redis() == []


def test_other_conversations_do_not_wait(servers):
    first, second = servers
    order: List[str] = []

    async def slow_turn() -> None:
        async with first.lock("slow-person"):
            await asyncio.sleep(0.5)
            order.append("slow")

    async def quick_turn() -> None:
        await asyncio.sleep(0.05)
        async with second.lock("quick-person"):
            order.append("quick")

    async def main() -> None:
        await asyncio.gather(slow_turn(), quick_turn())

    asyncio.run(main())
    assert order == ["quick", "slow"]


def test_a_lock_held_by_a_dead_server_expires(servers):
    first, second = servers
    conversation = f"person-{uuid.uuid4().hex}"

    async def main() -> float:
        dead = first.lock(conversation, lock_lifetime=0.3)
        await dead.__aenter__()  # taken, never given back: the server died
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with second.lock(conversation, lock_lifetime=5):
            return loop.time() - started

    waited = asyncio.run(main())
    assert 0.2 < waited < 2
    assert left_in_redis() == []


def test_a_message_that_waited_longer_than_its_lifetime_is_refused(servers):
    first, second = servers
    conversation = f"person-{uuid.uuid4().hex}"

    async def main() -> None:
        async with first.lock(conversation, lock_lifetime=5):
            async with second.lock(conversation, lock_lifetime=0.2):
                pass

    with pytest.raises(LockError):
        asyncio.run(main())
    assert left_in_redis() == []
