import actions.handoff as handoff
from actions.content import Clinic
from actions.handoff import ActionHandoff
from tests.conftest import shown

CLINIC = Clinic(name="Riverside", phone="+1 555 0100", hours="9-5",
                booking_url="https://clinic.example/book", emergency_number="911")


async def test_without_a_profile_the_wording_is_generic(dispatcher, make_tracker, domain):
    await ActionHandoff().run(dispatcher, make_tracker(intent="request_human"), domain)
    lines = shown(dispatcher, domain)
    assert "your own doctor's office" in lines[0]
    assert lines[-1] == "In an emergency, call 911."


async def test_clinic_contact_and_booking(dispatcher, make_tracker, domain, monkeypatch):
    monkeypatch.setattr(handoff, "CLINIC", CLINIC)
    await ActionHandoff().run(dispatcher, make_tracker(intent="request_human"), domain)
    lines = shown(dispatcher, domain)
    assert "Riverside on +1 555 0100" in lines[0]
    assert "https://clinic.example/book" in lines[1]


async def test_no_booking_link_after_a_red_flag(dispatcher, make_tracker, domain, monkeypatch):
    monkeypatch.setattr(handoff, "CLINIC", CLINIC)
    tracker = make_tracker(intent="request_human", slots={"red_flag_raised": True})
    await ActionHandoff().run(dispatcher, tracker, domain)
    assert not any("book" in line.lower() for line in shown(dispatcher, domain))
