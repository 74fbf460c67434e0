from actions.credentials import ActionCredentialChecklist
from tests.conftest import shown


async def test_checklist_covers_licence_amta_and_outside_us(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_credentials")
    await ActionCredentialChecklist().run(dispatcher, tracker, domain)
    text = shown(dispatcher, domain)[0]
    for expected in ("licensing board", "AMTA", "NCBTMB", "Outside the United States"):
        assert expected in text
