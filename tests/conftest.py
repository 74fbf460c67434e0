"""Shared fixtures: a real dispatcher, the real domain, a tracker factory.

Tests never read a clinic's own profile: the README tells a clinic to create
content/clinic.yml, and the tests must pass on that clinic's checkout too, so
they run with no profile (generic wording, 911), set before ``actions`` loads.
Tests that use the running ``stack`` are marked ``server``; ``make test-unit``
runs the rest.
"""

import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
import yaml
from rasa.core.nlg.interpolator import interpolate_text
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
os.environ["BACKCARE_CLINIC_PROFILE"] = str(ROOT / "tests" / "no-clinic-profile.yml")


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Every test that uses the running stack is a server test."""
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    def make(
        intent: Optional[str] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        text: str = "",
        active_loop: Optional[str] = None,
        sender_id: str = "patient-1",
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99} if intent else {},
            "entities": entities or [],
        }
        return Tracker(
            sender_id=sender_id,
            slots=dict(slots or {}),
            latest_message=latest,
            events=[],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return make


def entity(name: str, value: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def shown(dispatcher: CollectingDispatcher, domain: Dict[str, Any],
          language: str = "en") -> List[str]:
    """What the user would read: texts, responses rendered from the domain, buttons."""
    from actions.text import variant_for  # imports the content: not at collection time
    lines = []
    for message in dispatcher.messages:
        text = message.get("text")
        name = message.get("response")
        buttons = list(message.get("buttons") or [])
        if name:  # as Rasa does: the domain response, its buttons, then the action's
            variables = {k: v for k, v in message.items() if k not in ("response", "buttons")}
            response = variant_for(domain["responses"][name], language)
            text = interpolate_text(response["text"], variables)
            buttons = list(response.get("buttons") or []) + buttons
        if text:
            lines.append(text)
        for button in buttons:
            lines.append(f"[{button['title']}] {button['payload']}")
    return lines


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """One real BackCare stack shared by the server tests."""
    from backcare_stack.stack import MODEL, Stack

    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` first")
    running = Stack(tmp_path_factory.mktemp("stack")).start()
    yield running
    running.stop_all()
