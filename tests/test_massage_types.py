from actions.massage_types import ActionListMassageTypes, ActionMassageTypeInfo
from tests.conftest import entity, shown


async def test_list_says_swedish_is_most_common_with_a_button_per_type(
    dispatcher, make_tracker, domain
):
    await ActionListMassageTypes().run(dispatcher, make_tracker(intent="ask_massage_types"), domain)
    lines = shown(dispatcher, domain)
    assert "Swedish massage" in lines[0] and "offered most often" in lines[0]
    assert sum(line.startswith("[") for line in lines) == 6


async def test_one_type_by_synonym(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_massage_type_info",
                           entities=[entity("massage_type", "Shiatzu")])
    await ActionMassageTypeInfo().run(dispatcher, tracker, domain)
    assert shown(dispatcher, domain)[0].startswith("Shiatsu: A Japanese method")


async def test_unknown_type_gets_the_known_ones(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="ask_massage_type_info",
                           entities=[entity("massage_type", "hot stone")])
    await ActionMassageTypeInfo().run(dispatcher, tracker, domain)
    lines = shown(dispatcher, domain)
    assert "don't have information" in lines[0]
    assert '[Deep tissue massage] /ask_massage_type_info{"massage_type": "deep_tissue"}' in lines
