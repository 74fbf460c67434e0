"""Synthetic BackCare conversations, as Rasa stores them, for tests and the benchmark.

Each kind follows what the assistant really does (domain.yml, data/rules,
actions/): the events a red flag, a fallback, the walk-through or a request
for a person leave in the tracker store.
"""

import json
import random
from typing import Any, Dict, List, Optional, Sequence

from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from sqlalchemy.engine import Connection

from backcare_console import schema

GUIDE = (("screen_result", "none"), ("doctor_check", "confirmed"),
         ("chosen_massage_type", "swedish"), ("credentials_status", "checked"),
         ("posture_noted", "yes"), ("insurance_status", "to_check"))
TOPICS = ("ask_massage_benefits", "ask_massage_safety", "ask_cost_insurance",
          "ask_massage_types", "ask_find_provider", "ask_tips", "ask_recovery_time")
KINDS = ("topic", "red_flag", "ruled_out", "fallback", "guide_complete", "guide_dropped",
         "handoff")


class Clock:
    """Timestamps one second apart from a start."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        """The next timestamp."""
        self.now += 1.0
        return self.now


def _user(clock: Clock, text: str, intent: str, confidence: float = 0.93,
          entities: Sequence[Dict[str, Any]] = (), channel: str = "rest") -> List[Event]:
    parse = {"intent": {"name": intent, "confidence": confidence},
             "entities": list(entities), "text": text}
    return [ActionExecuted("action_listen", timestamp=clock()),
            UserUttered(text, parse["intent"], list(entities), parse, timestamp=clock(),
                        input_channel=channel)]


def _action(clock: Clock, name: str, *texts: str) -> List[Event]:
    return [ActionExecuted(name, timestamp=clock())] + [
        BotUttered(text, timestamp=clock()) for text in texts]


def conversation(kind: str, start: float, channel: str = "rest", steps: int = 6,
                 category: str = "trauma", topic: str = "ask_massage_benefits") -> List[Event]:
    """One conversation of a kind in KINDS, starting at ``start`` (epoch seconds)."""
    clock = Clock(start)
    events: List[Event] = [ActionExecuted("action_session_start", timestamp=clock()),
                           SessionStarted(timestamp=clock())]
    events += _user(clock, "hello", "greet", channel=channel)
    events += _action(clock, "utter_greet", "Hello, I'm BackCare.")
    if kind == "topic":
        events += _user(clock, "does massage help my back?", topic, channel=channel)
        events += _action(clock, "action_answer_topic", "Massage can help back pain.")
    elif kind in ("red_flag", "ruled_out"):
        entity = "red_flag" if kind == "red_flag" else "possible_red_flag"
        events += _user(clock, "I fell off my bike and my back hurts", "report_red_flag",
                        entities=[{"entity": entity, "value": category, "start": 0, "end": 5}],
                        channel=channel)
        events += _action(clock, "action_triage_red_flag", "Please get urgent care now.")
        if kind == "red_flag":
            events += [SlotSet("red_flag_raised", True, timestamp=clock()),
                       SlotSet("assessed", None, timestamp=clock())]
        else:
            events += [SlotSet("red_flag_check", category, timestamp=clock())]
            events += _user(clock, "no", "deny", channel=channel)
            events += _action(clock, "action_resolve_red_flag_check", "Thanks for checking.")
            events += [SlotSet("red_flag_check", None, timestamp=clock())]
    elif kind == "fallback":
        events += _user(clock, "purple monkey dishwasher", "nlu_fallback", 0.31, channel=channel)
        events += _action(clock, "action_clarify", "Sorry, I'm not sure I understood.")
    elif kind == "handoff":
        events += _user(clock, "can I talk to a real person", "request_human", channel=channel)
        events += _action(clock, "action_handoff", "Please contact your doctor's office.")
    elif kind in ("guide_complete", "guide_dropped"):
        events += _user(clock, "walk me through it", "start_guide", channel=channel)
        events += _action(clock, "utter_guide_start", "Let's go through it step by step.")
        events += [ActionExecuted("guide_form", timestamp=clock()),
                   SlotSet("guide_in_progress", True, timestamp=clock()),
                   SlotSet("requested_slot", "screen_result", timestamp=clock()),
                   SlotSet("guide_step_1_reached", "asked", timestamp=clock())]
        answered = 6 if kind == "guide_complete" else steps
        for step, (slot, value) in enumerate(GUIDE[:answered], 1):
            events += _user(clock, "yes" if value != "none" else "none of these",
                            "affirm" if value != "none" else "deny", channel=channel)
            events += [ActionExecuted("guide_form", timestamp=clock()),
                       SlotSet(slot, value, timestamp=clock()),
                       SlotSet(f"guide_step_{step}_completed", True, timestamp=clock())]
            if step < len(GUIDE):
                events += [SlotSet(f"guide_step_{step + 1}_reached", "asked", timestamp=clock())]
        if kind == "guide_complete":
            events += [SlotSet("requested_slot", None, timestamp=clock())]
            events += _action(clock, "action_guide_summary", "Here is your plan:")
    else:
        raise ValueError(f"unknown kind {kind}")
    return events


def rows(sender_id: str, events: List[Event]) -> List[Dict[str, Any]]:
    """Rows of Rasa's ``events`` table, exactly as SQLTrackerStore.save writes them."""
    result = []
    for event in events:
        data = event.as_dict()
        result.append({"sender_id": sender_id, "type_name": event.type_name,
                       "timestamp": data.get("timestamp"),
                       "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                       "action_name": data.get("name"), "data": json.dumps(data)})
    return result


def seed(connection: Connection, count: int, start: float, days: int = 90,
         rng: Optional[random.Random] = None) -> Dict[str, int]:
    """Insert ``count`` random conversations over ``days`` days; returns how many per kind.

    Rasa's ``events`` table must exist (created by SQLTrackerStore).
    """
    rng = rng or random.Random(2015)
    events = schema.events_table(connection)
    assert events is not None, "create the tracker store first"
    made: Dict[str, int] = {}
    batch: List[Dict[str, Any]] = []
    for i in range(count):
        kind = rng.choices(KINDS, weights=(40, 8, 6, 12, 10, 16, 8))[0]
        made[kind] = made.get(kind, 0) + 1
        batch += rows(f"seed-{i:06d}", conversation(
            kind, start + rng.random() * days * 86400,
            channel=rng.choice(("rest", "socketio", "callback")),
            steps=rng.randint(0, 5), category=rng.choice(("trauma", "cauda_equina", "infection")),
            topic=rng.choice(TOPICS)))
        if len(batch) > 5000:
            connection.execute(events.insert(), batch)
            batch = []
    if batch:
        connection.execute(events.insert(), batch)
    return made
