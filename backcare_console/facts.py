"""Per-conversation facts from Rasa's events, using the marker definitions in ``markers/``.

The markers are read from the same YAML files ``rasa evaluate markers`` reads,
and evaluated here with the same semantics as ``rasa.core.evaluation.marker``
for the part of the marker language BackCare uses (``intent``, ``action``,
``slot_was_set``, ``or``, ``at_least_once``): each session is evaluated on its
own, a condition applies at every event where it holds, ``at_least_once``
counts once per session. A marker outside that subset is refused at start.
Rasa's classes are exact but too slow for 10,000 conversations on every
refresh; tests/test_console_markers.py checks both give the same numbers.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from backcare_console import schema

MARKERS_DIR = schema.ROOT / "markers"
CONDITIONS = ("intent", "action", "slot_was_set")
OPERATORS = ("or", "at_least_once")
SESSION_START = "action_session_start"
RED_FLAG_ENTITIES = ("red_flag", "possible_red_flag")
BATCH = 400


@dataclass(frozen=True)
class Marker:
    """One node of a marker definition."""

    tag: str
    text: str = ""
    children: Tuple["Marker", ...] = ()


def parse(config: Any, where: str) -> Marker:
    """One marker from its YAML form; refuse what this evaluator does not implement."""
    if not isinstance(config, dict) or len(config) != 1:
        raise ValueError(f"{where}: a marker is one tag with its value")
    ((tag, value),) = config.items()
    if tag in CONDITIONS and isinstance(value, str):
        return Marker(tag, value)
    if tag in OPERATORS:
        items = value if isinstance(value, list) else [value]
        children = tuple(parse(item, f"{where}.{tag}") for item in items)
        if tag == "at_least_once" and len(children) != 1:
            raise ValueError(f"{where}: at_least_once takes one marker")
        return Marker(tag, children=children)
    raise ValueError(f"{where}: '{tag}' is not supported by the console (markers/)")


def load_markers(path: Path = MARKERS_DIR) -> Dict[str, Marker]:
    """Every named marker in the YAML files under ``path``, in file order."""
    markers: Dict[str, Marker] = {}
    for file in sorted(path.glob("**/*.yml")):
        for name, config in (yaml.safe_load(file.read_text()) or {}).items():
            if name in markers:
                raise ValueError(f"{file}: marker '{name}' is defined twice")
            markers[name] = parse(config, f"{file.name}:{name}")
    return markers


def _session_counts(marker: Marker, events: List[Dict[str, Any]]) -> int:
    """How many relevant events Rasa would report for ``marker`` in one session."""
    history = _history(marker, events)
    if marker.tag == "at_least_once":
        return 1 if any(history) else 0
    return sum(history)


def _history(marker: Marker, events: List[Dict[str, Any]]) -> List[bool]:
    """Whether ``marker`` applies at each event of a session."""
    if marker.tag == "intent":
        return [e.get("event") == "user" and _intent(e) == marker.text for e in events]
    if marker.tag == "action":
        return [e.get("event") == "action" and e.get("name") == marker.text for e in events]
    if marker.tag == "slot_was_set":
        result, is_set = [], False
        for e in events:
            if e.get("event") == "slot" and e.get("name") == marker.text:
                is_set = e.get("value") is not None
            result.append(is_set)
        return result
    children = [_history(child, events) for child in marker.children]
    if marker.tag == "or":
        return [any(column) for column in zip(*children, strict=True)]
    seen, result = False, []  # at_least_once
    for applies in children[0]:
        seen = seen or applies
        result.append(seen)
    return result


def _intent(event: Dict[str, Any]) -> Optional[str]:
    parse_data = event.get("parse_data") or {}
    return (parse_data.get("intent") or {}).get("name")


def sessions(events: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """Split a conversation at each ``action_session_start``, as Rasa's markers do."""
    starts = [i for i, e in enumerate(events)
              if e.get("event") == "action" and e.get("name") == SESSION_START]
    if not starts:
        return [events]
    return [events[a:b] for a, b in zip(starts, starts[1:] + [len(events)], strict=True)]


def evaluate(markers: Dict[str, Marker], events: List[Dict[str, Any]]) -> Dict[str, int]:
    """Marker name -> number of relevant events over all sessions (0: never applied)."""
    split = sessions(events)
    return {name: sum(_session_counts(marker, s) for s in split)
            for name, marker in markers.items()}


@dataclass
class Conversation:
    """What the console keeps about one conversation."""

    sender_id: str
    first_at: float = 0.0
    last_at: float = 0.0
    channel: str = ""
    user_messages: int = 0
    said: List[str] = field(default_factory=list)
    categories: Set[str] = field(default_factory=set)
    markers: Dict[str, int] = field(default_factory=dict)


def summarise(sender_id: str, events: List[Dict[str, Any]],
              markers: Dict[str, Marker]) -> Conversation:
    """The facts of one conversation from its events (dicts as Rasa stores them)."""
    facts = Conversation(sender_id)
    stamps = [e.get("timestamp") or 0.0 for e in events]
    facts.first_at, facts.last_at = (min(stamps), max(stamps)) if stamps else (0.0, 0.0)
    for event in events:
        if event.get("event") == "user":
            facts.user_messages += 1
            facts.channel = facts.channel or (event.get("input_channel") or "")
            if event.get("text"):
                facts.said.append(str(event["text"]))
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                if entity.get("entity") in RED_FLAG_ENTITIES and entity.get("value"):
                    facts.categories.add(str(entity["value"]))
        elif event.get("event") == "slot" and event.get("name") == "red_flag_check":
            if event.get("value"):
                facts.categories.add(str(event["value"]))
    facts.markers = {k: v for k, v in evaluate(markers, events).items() if v}
    return facts


def _save(connection: Connection, batch: List[Conversation]) -> None:
    senders = [c.sender_id for c in batch]
    for table in (schema.conversations, schema.marker_counts, schema.red_flag_categories):
        connection.execute(table.delete().where(table.c.sender_id.in_(senders)))
    connection.execute(schema.conversations.insert(), [{
        "sender_id": c.sender_id, "first_at": c.first_at,
        "first_day": int(c.first_at // 86400), "last_at": c.last_at,
        "channel": c.channel[:64], "user_messages": c.user_messages,
        "said": "\n".join(c.said)} for c in batch])
    counts = [{"marker": m, "sender_id": c.sender_id, "count": n}
              for c in batch for m, n in c.markers.items()]
    if counts:
        connection.execute(schema.marker_counts.insert(), counts)
    categories = [{"category": k[:64], "sender_id": c.sender_id}
                  for c in batch for k in sorted(c.categories)]
    if categories:
        connection.execute(schema.red_flag_categories.insert(), categories)


def refresh(connection: Connection, markers: Dict[str, Marker]) -> int:
    """Bring the facts up to date with new events; returns conversations re-read."""
    events = schema.events_table(connection)
    if events is None:
        return 0
    done = connection.execute(sa.select(schema.state.c.value).where(
        schema.state.c.name == "last_event_id")).scalar() or 0
    newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar()
    if newest is None or newest <= done:
        return 0
    changed = [row[0] for row in connection.execute(
        sa.select(events.c.sender_id).where(events.c.id > done, events.c.id <= newest)
        .distinct())]
    for start in range(0, len(changed), BATCH):
        chunk = changed[start:start + BATCH]
        by_sender: Dict[str, List[Dict[str, Any]]] = {s: [] for s in chunk}
        rows = connection.execute(
            sa.select(events.c.sender_id, events.c.data)
            .where(events.c.sender_id.in_(chunk), events.c.id <= newest)
            .order_by(events.c.id))
        for sender_id, data in rows:
            by_sender[sender_id].append(json.loads(data))
        _save(connection, [summarise(s, e, markers) for s, e in by_sender.items()])
    _set_state(connection, "last_event_id", int(newest))
    return len(changed)


def _set_state(connection: Connection, name: str, value: int) -> None:
    updated = connection.execute(schema.state.update().where(
        schema.state.c.name == name).values(value=value)).rowcount
    if not updated:
        connection.execute(schema.state.insert().values(name=name, value=value))


def conversation_events(connection: Connection, sender_id: str) -> List[Dict[str, Any]]:
    """Every event of one conversation, oldest first (for the transcript)."""
    events = schema.events_table(connection)
    if events is None:
        return []
    rows = connection.execute(sa.select(events.c.data).where(
        events.c.sender_id == sender_id).order_by(events.c.id))
    return [json.loads(row[0]) for row in rows]


def pretty_category(category: str) -> str:
    """``cancer_night_pain`` -> ``Cancer night pain``; the screen question is general."""
    if category == "screen":
        return "General screening question"
    return category.replace("_", " ").capitalize()

