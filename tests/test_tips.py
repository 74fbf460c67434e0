from actions.tips import ActionGiveTip
from tests.conftest import entity, shown, slot_events


async def test_first_tip_is_check_with_a_doctor(dispatcher, make_tracker, domain):
    events = await ActionGiveTip().run(dispatcher, make_tracker(intent="ask_tips"), domain)
    lines = shown(dispatcher, domain)
    assert lines[0] == "Tip 1 of 5: Check with a doctor first"
    assert "doctor" in lines[1] and "Source:" in lines[1]
    assert slot_events(events) == {"tips_shown": ["see_doctor"]}


async def test_next_tip_is_one_not_yet_shown(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_tips", slots={"tips_shown": ["see_doctor"]})
    events = await ActionGiveTip().run(dispatcher, tracker, domain)
    assert shown(dispatcher, domain)[0].startswith("Tip 2 of 5")
    assert slot_events(events)["tips_shown"] == ["see_doctor", "posture_advice"]


async def test_named_tip(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_tips", entities=[entity("tip", "check_credentials")])
    await ActionGiveTip().run(dispatcher, tracker, domain)
    assert "AMTA" in shown(dispatcher, domain)[1]


async def test_says_when_all_tips_were_shown_and_starts_over(dispatcher, make_tracker, domain):
    every = ["see_doctor", "posture_advice", "integrative_center",
             "personal_recommendations", "check_credentials"]
    tracker = make_tracker(intent="ask_tips", slots={"tips_shown": every})
    events = await ActionGiveTip().run(dispatcher, tracker, domain)
    assert "all 5 tips" in shown(dispatcher, domain)[0]
    assert slot_events(events) == {"tips_shown": []}
