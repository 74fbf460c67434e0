"""A per-conversation ticket lock in Redis that does not stall the Rasa server.

Two Rasa servers share conversations, so each turn takes the conversation's
lock in Redis: messages of one conversation are handled one at a time, in the
order they arrived. Rasa's ``RedisLockStore`` does that with the blocking Redis
client and seven round trips a turn (read, change and write the lock to take a
ticket, read it again to check, read, write and delete it to finish). While
Redis answers, the server's event loop waits and every other conversation on
that server waits with it: 5.5% of a Rasa server's time under 50 concurrent
conversations (py-spy, ``make prod``). Issuing a ticket is also a read and a
write from the client, so two servers could hand out the same ticket.

``AsyncRedisLockStore`` keeps the same contract with Redis's asyncio client
and two Lua scripts, each atomic in Redis:

- one round trip takes a ticket and says whether it is first in line;
- one round trip gives it back (and deletes the keys when no one waits).

A ticket expires after the lock lifetime (Rasa's ``TICKET_LOCK_LIFETIME``,
60 s), so a server that died holding a lock holds up its conversation for at
most that long. A waiting message checks again every ``POLL_SECONDS``.

Named in ``endpoints.scale.yml`` as the lock store type, with Rasa's Redis
settings (url, port, db, username, password, use_ssl, key_prefix).
"""

import asyncio
import weakref
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, List, Optional, Text

import redis.asyncio as aioredis  # type: ignore[import-untyped]
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    LockStore,
)
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.02  # a waiting message checks this often (Rasa: every second)

# KEYS: queue (sorted set of tickets), ticket counter, ticket expiry times (hash).
# Shared by both scripts: drops expired tickets at the head of the queue and
# returns the ticket now first in line (nil when the queue is empty).
_FIRST_IN_LINE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local function first_in_line()
  while true do
    local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
    if not head then return nil end
    if tonumber(redis.call('HGET', KEYS[3], head) or 0) > now_ms then return tonumber(head) end
    redis.call('ZREM', KEYS[1], head)
    redis.call('HDEL', KEYS[3], head)
  end
end
"""
# ARGV[1]: lifetime in ms. Returns {a new ticket, the ticket now first in line}.
_ISSUE = _FIRST_IN_LINE + """
local ticket = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now_ms + tonumber(ARGV[1]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[1]) end
return {ticket, first_in_line()}
"""
# ARGV[1]: a ticket. Returns the ticket now first in line, or -1 when ARGV[1]
# itself has expired.
_FIRST = _FIRST_IN_LINE + """
local head = first_in_line()
if not head or not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
return head
"""
# ARGV[1]: a ticket. Removes it; deletes the keys when no ticket is left.
_RETURN = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', unpack(KEYS)) end
return 1
"""


class AsyncRedisLockStore(LockStore):
    """Ticket locks in Redis through the asyncio client, one round trip each way."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Rasa's Redis lock store settings from endpoints.yml."""
        settings = endpoint_config.kwargs
        self._connection = {
            "host": endpoint_config.url or "localhost",
            "port": int(settings.get("port") or 6379),
            "db": int(settings.get("db") or 1),
            "username": settings.get("username"),
            "password": settings.get("password"),
            "ssl": bool(settings.get("use_ssl", False)),
            "socket_timeout": float(settings.get("socket_timeout")
                                    or DEFAULT_SOCKET_TIMEOUT_IN_SECONDS),
        }
        prefix = settings.get("key_prefix")
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if isinstance(prefix, str) and prefix.isalnum():  # as Rasa's RedisLockStore
            self.key_prefix = f"{prefix}:{DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX}"
        # one client per event loop (its connections belong to that loop)
        self._clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]" = (
            weakref.WeakKeyDictionary())

    def _client(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = aioredis.Redis(**self._connection)
            client.issue = client.register_script(_ISSUE)
            client.first = client.register_script(_FIRST)
            client.give_back = client.register_script(_RETURN)
            self._clients[loop] = client
        return client

    def _keys(self, conversation_id: Text) -> List[Text]:
        base = f"{self.key_prefix}{conversation_id}"
        return [f"{base}:queue", f"{base}:next", f"{base}:expires"]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation's lock; wait in line for earlier messages."""
        client, keys = self._client(), self._keys(conversation_id)
        lifetime_ms = max(1, int(lock_lifetime * 1000))
        ticket: Optional[int] = None
        try:
            ticket, first = await client.issue(keys=keys, args=[lifetime_ms])
            while first != ticket:
                if first == -1:
                    raise LockError(
                        f"Could not acquire lock for conversation_id '{conversation_id}'.")
                await asyncio.sleep(min(wait_time_in_seconds, POLL_SECONDS))
                first = await client.first(keys=keys, args=[ticket])
            yield TicketLock(conversation_id)
        finally:
            if ticket is not None:
                await client.give_back(keys=keys, args=[ticket])
