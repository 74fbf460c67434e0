"""Rasa's REST channel, refusing malformed bodies with a clear 400, behind the size limit."""

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from backcare_channels.limits import limit_length
from backcare_channels.validation import body_problem, refuse


class ValidatingRestInput(RestInput):
    """POST /webhooks/rest/webhook, as in Rasa, with the body checked first."""

    @classmethod
    def name(cls) -> Text:
        """Same name and URL as Rasa's REST channel."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's routes, behind a body check and the message size limit."""
        routes = super().blueprint(limit_length(on_new_message))

        @routes.middleware("request")
        async def check_body(request: Request) -> Optional[HTTPResponse]:
            if request.method == "POST" and request.path.endswith("/webhook"):
                problem = body_problem(request)
                if problem:
                    return refuse(problem)
            return None

        return routes
