"""The walk-through funnel: which of the six steps a conversation reached and completed.

A step is *reached* when the walk-through asks it ("asked") or passes it
because its answer is already known ("known": a doctor check reported before
the walk-through, or a step answered before the walk-through was paused). A
step is *completed* when the person answers it while the walk-through asks it.
Both are recorded as slots (``guide_step_<n>_reached``, ``..._completed``) that
only this module sets, so the markers in ``markers/backcare.yml``, the staff
console and ``rasa evaluate markers`` count the same thing. Steps are marked in
the walk-through's own order, so a step is never reached without every step
before it, and never completed without being reached.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

# The step each walk-through slot belongs to; the last slot of a step answers it.
STEP_OF: Dict[Text, int] = {
    "assessed": 1, "screen_result": 1,
    "doctor_check": 2, "carry_on": 2,
    "chosen_massage_type": 3, "credentials_status": 4, "posture_noted": 5,
    "insurance_status": 6,
}
ANSWER_OF: Dict[int, Text] = {
    1: "screen_result", 2: "doctor_check", 3: "chosen_massage_type",
    4: "credentials_status", 5: "posture_noted", 6: "insurance_status",
}


def reached_slot(step: int) -> Text:
    """The slot that records how step ``step`` was reached."""
    return f"guide_step_{step}_reached"


def completed_slot(step: int) -> Text:
    """The slot that records that step ``step`` was answered in the walk-through."""
    return f"guide_step_{step}_completed"


def funnel_events(tracker: Tracker, asked: Optional[Text],
                  required: List[Text]) -> List[EventType]:
    """Funnel slots for one turn of the walk-through.

    ``tracker`` holds the slots after this turn's validation, ``asked`` is the
    slot the walk-through had asked for before it, ``required`` the steps the
    walk-through now needs (``guide_required_slots``).
    """
    events: List[EventType] = []
    answered = next((n for n, slot in ANSWER_OF.items() if slot == asked), None)
    if (answered and tracker.get_slot(ANSWER_OF[answered]) is not None
            and tracker.get_slot(reached_slot(answered))
            and not tracker.get_slot(completed_slot(answered))):
        events.append(SlotSet(completed_slot(answered), True))
    for step, how in _passed_steps(tracker, required):
        if not tracker.get_slot(reached_slot(step)):
            events.append(SlotSet(reached_slot(step), how))
    return events


def _passed_steps(tracker: Tracker, required: List[Text]) -> List[Any]:
    """The steps the walk-through has passed or asks now, in order.

    (step, "known") for each step whose answers are all known, then (step,
    "asked") for the step the walk-through asks next.
    """
    steps: Dict[int, bool] = {}  # step -> every required slot of it is filled
    for slot in required:
        step = STEP_OF[slot]
        steps[step] = steps.get(step, True) and tracker.get_slot(slot) is not None
    passed = []
    for step, known in steps.items():
        passed.append((step, "known" if known else "asked"))
        if not known:
            break
    return passed
