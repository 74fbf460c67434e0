"""The walk-through's questions that carry medical content from the file."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.credentials import checklist_message
from actions.language import Speaks
from actions.text import button


class ActionAskScreenResult(Speaks, Action):
    """Ask about the red-flag symptoms, one button per group."""

    def name(self) -> Text:
        """Asks for the ``screen_result`` slot."""
        return "action_ask_screen_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """List the groups, then the question with a button for each group."""
        groups = CONTENT.red_flags.values()
        lines = [f"- {group.label}" for group in groups]
        dispatcher.utter_message(text=CONTENT.guide["red_flag_intro"] + "\n" + "\n".join(lines))
        buttons = [button(g.label, "report_red_flag", {"red_flag": g.id}) for g in groups]
        dispatcher.utter_message(response="utter_ask_screen_result", buttons=buttons)
        return []


class ActionAskChosenMassageType(Speaks, Action):
    """Ask which kind of massage the person would like to try."""

    def name(self) -> Text:
        """Asks for the ``chosen_massage_type`` slot."""
        return "action_ask_chosen_massage_type"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Explain that Swedish is most common, then a button per type."""
        dispatcher.utter_message(text=CONTENT.guide["massage_type_intro"])
        buttons = [
            button(m.name, "inform", {"massage_type": m.id}) for m in CONTENT.massage_types.values()
        ]
        dispatcher.utter_message(response="utter_ask_chosen_massage_type", buttons=buttons)
        return []


class ActionAskCredentialsStatus(Speaks, Action):
    """Show the credential checklist and ask whether it has been checked."""

    def name(self) -> Text:
        """Asks for the ``credentials_status`` slot."""
        return "action_ask_credentials_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Checklist from the content file, then the yes/no question."""
        dispatcher.utter_message(text=checklist_message())
        dispatcher.utter_message(response="utter_ask_credentials_status")
        return []


class ActionAskPostureNoted(Speaks, Action):
    """Give the posture tip and ask whether the person will follow it."""

    def name(self) -> Text:
        """Asks for the ``posture_noted`` slot."""
        return "action_ask_posture_noted"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Posture tip, then the yes/no question."""
        tip = CONTENT.tips["posture_advice"]
        dispatcher.utter_message(text=CONTENT.guide["posture_intro"] + " " + tip.text)
        dispatcher.utter_message(response="utter_ask_posture_noted")
        return []


class ActionAskInsuranceStatus(Speaks, Action):
    """Say where to find a therapist and ask about insurance cover."""

    def name(self) -> Text:
        """Asks for the ``insurance_status`` slot."""
        return "action_ask_insurance_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Provider tips and the insurance fact, then the yes/no question."""
        texts = [CONTENT.tips["integrative_center"].text,
                 CONTENT.tips["personal_recommendations"].text,
                 CONTENT.facts["insurance_varies"].text]
        dispatcher.utter_message(
            text=CONTENT.guide["provider_intro"] + "\n" + "\n".join(f"- {t}" for t in texts)
        )
        dispatcher.utter_message(response="utter_ask_insurance_status")
        return []
