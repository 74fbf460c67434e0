import pytest

import actions.handoff as handoff
import actions.safety as safety
from actions.content import Clinic
from actions.safety import ActionEscalateRedFlag, ActionRecordAssessment
from tests.conftest import entity, shown, slot_events


async def test_cauda_equina_gets_emergency_advice_first(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag", entities=[
        entity("red_flag", "infection"), entity("red_flag", "cauda_equina")])
    events = await ActionEscalateRedFlag().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert "medical emergency" in lines[0] and "call 911" in lines[0]
    assert "fever" in lines[1] and "today or tomorrow" in lines[1]
    assert "can't check or diagnose" in lines[-1]
    assert slot_events(events) == {"red_flag_raised": True, "assessed": None}


@pytest.mark.parametrize("group", ["progressive_weakness", "trauma", "infection",
                                   "cancer_night_pain"])
async def test_other_red_flags_mean_see_a_doctor_promptly(dispatcher, make_tracker, domain, group):
    tracker = make_tracker(intent="report_red_flag", entities=[entity("red_flag", group)])
    await ActionEscalateRedFlag().run(dispatcher, tracker, domain)
    first = shown(dispatcher, domain)[0]
    assert "today or tomorrow" in first and "Do not have a massage first" in first


async def test_unspecified_red_flag_gets_both_levels_of_advice(dispatcher, make_tracker, domain):
    await ActionEscalateRedFlag().run(dispatcher, make_tracker(intent="report_red_flag"), domain)
    first = shown(dispatcher, domain)[0]
    assert "today or tomorrow" in first and "ER now" in first and "911" in first


async def test_clinic_emergency_number_and_phone_are_used(
    dispatcher, make_tracker, domain, monkeypatch
):
    clinic = Clinic(name="Riverside", phone="020 7946 0000", emergency_number="999")
    monkeypatch.setattr(safety, "CLINIC", clinic)
    monkeypatch.setattr(handoff, "CLINIC", clinic)
    tracker = make_tracker(intent="report_red_flag", entities=[entity("red_flag", "cauda_equina")])
    await ActionEscalateRedFlag().run(dispatcher, tracker, domain)
    text = "\n".join(shown(dispatcher, domain))
    assert "call 999" in text and "911" not in text and "020 7946 0000" in text


async def test_assessment_is_recorded(dispatcher, make_tracker, domain):
    events = await ActionRecordAssessment().run(dispatcher, make_tracker(), domain)
    assert slot_events(events) == {"assessed": True}
    assert "noted" in shown(dispatcher, domain)[0]


async def test_restart_keeps_a_reported_red_flag(dispatcher, make_tracker, domain):
    from actions.safety import ActionRestartKeepingSafety

    tracker = make_tracker(slots={"red_flag_raised": True, "chosen_massage_type": "swedish"})
    events = await ActionRestartKeepingSafety().run(dispatcher, tracker, domain)
    assert events[0]["event"] == "restart"
    assert slot_events(events) == {"red_flag_raised": True, "assessed": None}
    assert "start again" in shown(dispatcher, domain)[0]


async def test_restart_without_red_flag_forgets_everything(dispatcher, make_tracker, domain):
    from actions.safety import ActionRestartKeepingSafety

    tracker = make_tracker(slots={"chosen_massage_type": "swedish"})
    events = await ActionRestartKeepingSafety().run(dispatcher, tracker, domain)
    assert [e["event"] for e in events] == ["restart"]
