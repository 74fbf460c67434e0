"""Check an incoming webhook body before Rasa reads it."""

import json
from typing import Optional, Text

from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response


def body_problem(request: Request) -> Optional[Text]:
    """Why the body is not a usable message, or None when it is."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return "the body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}"
    if not isinstance(body, dict):
        return "the body must be a JSON object with sender and message"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        # Without a sender, Rasa would put everyone into one shared conversation.
        return "sender is required: a conversation ID string"
    if not isinstance(body.get("message"), str):
        return "message is required: a string"
    if not isinstance(body.get("message_id", ""), str):
        return "message_id, when given, must be a string (the gateway's id for the message)"
    return None


def refuse(problem: Text) -> HTTPResponse:
    """A 400 answer that says what to send instead."""
    return json_response({"error": problem}, status=400)
