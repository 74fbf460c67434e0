from actions.disclaimer import ActionSessionStart, ActionShowDisclaimer, ActionShowPrivacyNotice
from tests.conftest import shown


async def test_session_start_shows_disclaimer_and_listens(dispatcher, make_tracker, domain):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    text = shown(dispatcher, domain)[0]
    assert "not a doctor" in text and "Harvard Health" in text


async def test_session_start_keeps_a_red_flag_raised_earlier(dispatcher, make_tracker, domain):
    tracker = make_tracker(slots={"red_flag_raised": True, "requested_slot": "doctor_check"})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"red_flag_raised": True}


async def test_disclaimer_on_request(dispatcher, make_tracker, domain):
    await ActionShowDisclaimer().run(dispatcher, make_tracker(intent="ask_disclaimer"), domain)
    assert "cannot diagnose" in shown(dispatcher, domain)[0]


async def test_privacy_notice_gives_conversation_id(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_privacy", sender_id="conv-42")
    await ActionShowPrivacyNotice().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert "Privacy" in lines[0]
    assert "conv-42" in lines[1]
