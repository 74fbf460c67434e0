"""Rasa's socket.io channel (the web widget), behind the message size limit."""

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from backcare_channels.limits import limit_length
from backcare_rasa.internals import uses_private

uses_private(__name__, "python-socketio", ["AsyncServer.handlers (the registered event handlers)"],
             "socketio/base_server.py (on, handlers)")


class LimitedSocketIOInput(SocketIOInput):
    """socket.io as in Rasa, with two differences.

    An over-long message never reaches NLU, and a reconnected socket gets the
    reply to the message it sends first.
    """

    @classmethod
    def name(cls) -> Text:
        """Same name and URL as Rasa's socket.io channel."""
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's routes and events, with the limit in front of every message."""
        blueprint = super().blueprint(limit_length(on_new_message))
        if self.session_persistence and self.sio is not None:
            self._join_session_room_on_message(self.sio)
        return blueprint

    def _join_session_room_on_message(self, sio: Any) -> None:
        """Let a socket join its conversation's room with its first message.

        Replies go to the room of the conversation (session id), which a socket
        joins with ``session_request``. A browser that reconnects (network blip,
        or its Rasa server restarted behind the proxy) sends the message it had
        queued before that request, so Rasa would send the reply to a room the
        new socket is not in yet, and the person would never see it.
        """
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]

        async def join_then_handle(sid: Text, data: Dict) -> None:
            if isinstance(data, dict) and isinstance(data.get("session_id"), str):
                sio.enter_room(sid, data["session_id"], namespace=namespace)
            await handle_message(sid, data)

        sio.on(self.user_message_evt, namespace=namespace)(join_then_handle)
