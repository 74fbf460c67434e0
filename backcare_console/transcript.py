"""A conversation as turns a person can read: who said what, and what the bot did."""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from backcare_console.facts import RED_FLAG_ENTITIES, pretty_category

QUIET_ACTIONS = {"action_listen"}
FALLBACK_INTENTS = {"nlu_fallback"}
FALLBACK_ACTIONS = {"action_default_fallback"}


@dataclass
class Turn:
    """One user message and what followed it (or the bot's opening, with no message)."""

    at: float
    text: Optional[str] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    channel: str = ""
    red_flags: List[str] = field(default_factory=list)
    bot: List[str] = field(default_factory=list)
    actions: List[str] = field(default_factory=list)
    slots: List[str] = field(default_factory=list)
    escalated: bool = False
    fallback: bool = False
    rewound: bool = False

    @property
    def red_flag(self) -> bool:
        """A warning sign was mentioned or urgent advice given in this turn."""
        return self.escalated or bool(self.red_flags) or self.intent == "report_red_flag"


def turns(events: List[Dict[str, Any]]) -> List[Turn]:
    """Group events into turns, oldest first."""
    result: List[Turn] = []
    current: Optional[Turn] = None
    raised = False  # urgent advice given before (carried over by new sessions and restarts)
    for event in events:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            current = Turn(
                at=event.get("timestamp") or 0.0, text=event.get("text") or "",
                intent=intent.get("name"), confidence=intent.get("confidence"),
                channel=event.get("input_channel") or "",
                red_flags=list(dict.fromkeys(
                    pretty_category(str(e.get("value"))) for e in parse.get("entities") or []
                    if e.get("entity") in RED_FLAG_ENTITIES)),
                fallback=intent.get("name") in FALLBACK_INTENTS)
            result.append(current)
            continue
        if current is None:
            current = Turn(at=event.get("timestamp") or 0.0)
            result.append(current)
        if kind == "bot" and event.get("text"):
            current.bot.append(event["text"])
        elif kind == "action" and event.get("name") not in QUIET_ACTIONS:
            current.actions.append(str(event.get("name")))
            current.fallback = current.fallback or event.get("name") in FALLBACK_ACTIONS
        elif kind == "slot":
            current.slots.append(f"{event.get('name')} = {_value(event.get('value'))}")
            if event.get("name") == "red_flag_raised" and event.get("value") and not raised:
                current.escalated = raised = True
        elif kind in ("rewind", "user_utterance_reverted"):
            current.rewound = True
    return result


def _value(value: Any) -> str:
    text = "none" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"
