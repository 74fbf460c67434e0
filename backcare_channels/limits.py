"""A size limit on every channel: an over-long message never reaches NLU.

Rasa handles every message on one event loop, so one 100 KB message (26 s of
NLU) stalls every other conversation. Each BackCare channel wraps Rasa's
``on_new_message`` with :func:`limit_length`: a message longer than
``BACKCARE_MAX_MESSAGE_CHARS`` (default 2,000) is replaced, before it is
queued, by the ``/message_too_long`` intent, which needs no NLU. The person
reads ``utter_message_too_long`` and the conversation carries on; the log
records the length and the conversation ID, never the text.
"""

import logging
import os
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from backcare_nlu.language import clear_language

logger = logging.getLogger(__name__)
DEFAULT_MAX_CHARS = 2000
TOO_LONG_INTENT = "/message_too_long"
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def max_chars() -> int:
    """The limit, from BACKCARE_MAX_MESSAGE_CHARS."""
    return int(os.environ.get("BACKCARE_MAX_MESSAGE_CHARS", DEFAULT_MAX_CHARS))


def limit_length(on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` that swaps an over-long text for the too-long intent."""

    async def guarded(message: UserMessage) -> Any:
        text = message.text or ""
        if len(text) > max_chars():
            logger.info("Message of %d characters from %s is over the limit of %d; not parsed.",
                        len(text), message.sender_id, max_chars())
            message.text = TOO_LONG_INTENT
        elif text and not text.startswith("/"):
            language = clear_language(text)
            if language:
                message.metadata = {**(message.metadata or {}), "language": language}
        return await on_new_message(message)

    return guarded
