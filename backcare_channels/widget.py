"""Rasa's socket.io channel (the web widget), behind the message size limit."""

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from backcare_channels.limits import limit_length


class LimitedSocketIOInput(SocketIOInput):
    """socket.io as in Rasa; an over-long message never reaches NLU."""

    @classmethod
    def name(cls) -> Text:
        """Same name and URL as Rasa's socket.io channel."""
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's routes and events, with the limit in front of every message."""
        return super().blueprint(limit_length(on_new_message))
