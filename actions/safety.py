"""Red-flag triage: escalate a named sign, ask about a possible one, and keep the record.

The decision rule (docs/clinical-safety/README.md): a *definite* sign (a
``red_flag`` entity) escalates at once. A *possible* sign (a
``possible_red_flag`` entity), or the classifier's ``report_red_flag`` with no
sign named, gets one yes/no question that names the sign, asked by
``red_flag_check_form``. Yes, or no clear answer, escalates: the safe side
wins. No answers what the person originally asked, as if the sign had not
been mentioned, and that sign is not asked about again in the conversation.
The screening question (the classifier alone, no sign named) escalates on yes
or on a sign named in the answer; an unclear answer there counts as no, since
nothing in the conversation named a sign.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    FollowupAction,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa_sdk.executor import CollectingDispatcher

from actions import CLINIC, CONTENT
from actions.handoff import say_clinic_contact
from actions.language import Speaks
from actions.text import entity_values, fill, source_line

SCREEN = "screen"  # the check asked when the classifier alone saw a warning sign
RED_FLAG_ENTITIES = ("red_flag", "possible_red_flag")
RED_FLAG_INTENT = "report_red_flag"
NEXT_BEST_MIN_SHARE = 0.4  # as the FallbackClassifier's threshold in config.yml
EventList = List[Dict[Text, Any]]


def escalate(dispatcher: CollectingDispatcher, group_ids: List[Text]) -> EventList:
    """Urgent-care advice: emergency groups first; general advice if none is known."""
    groups = [CONTENT.red_flags[g] for g in dict.fromkeys(group_ids) if g in CONTENT.red_flags]
    groups.sort(key=lambda group: group.urgency != "emergency")
    if groups:
        for group in groups:
            dispatcher.utter_message(text=fill(group.advice, CLINIC))
        dispatcher.utter_message(text=source_line(CONTENT, *(group.source for group in groups)))
    else:
        dispatcher.utter_message(text=fill(CONTENT.red_flag_general_advice, CLINIC))
    say_clinic_contact(dispatcher)
    dispatcher.utter_message(text=CONTENT.notices["not_a_diagnosis"])
    return [SlotSet("red_flag_raised", True), SlotSet("assessed", None)]


def _user_messages(tracker: Tracker) -> List[Dict[Text, Any]]:
    return [event for event in tracker.applied_events() if event.get("event") == "user"]


def answer_as_if_unflagged(message: Dict[Text, Any], reverts: int) -> EventList:
    """Undo the last ``reverts`` user turns and replay ``message`` with its next-best intent."""
    parse = dict(message.get("parse_data") or {})
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != RED_FLAG_INTENT]
    # Share of the next-best among the intents left once the red flag is ruled out;
    # when it is a guess among equals, ask which topic was meant instead.
    rest = sum(r.get("confidence") or 0 for r in ranking)
    likely = bool(ranking) and rest > 0 and (
        (ranking[0].get("confidence") or 0) / rest >= NEXT_BEST_MIN_SHARE)
    intent = dict(ranking[0]) if likely else {"name": "nlu_fallback", "confidence": 1.0}
    parse["intent"] = intent
    parse["intent_ranking"] = ranking
    parse["entities"] = [e for e in parse.get("entities") or []
                         if e.get("entity") not in RED_FLAG_ENTITIES]
    return [UserUtteranceReverted() for _ in range(reverts)] + [
        ActionExecuted("action_listen"),
        UserUttered(text=message.get("text"), parse_data=parse,
                    input_channel=message.get("input_channel")),
    ]


def pending_check(tracker: Tracker) -> Optional[Text]:
    """The sign to ask about: a possible group not yet ruled out, or the screen."""
    ruled_out = tracker.get_slot("red_flags_ruled_out") or []
    possible = [g for g in entity_values(tracker, "possible_red_flag") if g not in ruled_out]
    if possible:
        return possible[0]
    if entity_values(tracker, "possible_red_flag") or SCREEN in ruled_out:
        return None
    return SCREEN


class ActionTriageRedFlag(Speaks, Action):
    """Escalate a named red flag; ask one yes/no question about a possible one."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_triage_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """Definite: advice now. Possible: the check form. Ruled out before: answer it."""
        definite = entity_values(tracker, "red_flag")
        if definite:
            return escalate(dispatcher, definite)
        check = pending_check(tracker)
        if check is None:
            return answer_as_if_unflagged(_user_messages(tracker)[-1], reverts=1)
        return [SlotSet("red_flag_check", check), FollowupAction("red_flag_check_form")]


class ActionAskRedFlagAnswer(Speaks, Action):
    """The yes/no question that names the possible sign."""

    def name(self) -> Text:
        """Asks for the ``red_flag_answer`` slot."""
        return "action_ask_red_flag_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """The group's check question, or the screening question."""
        group = CONTENT.red_flags.get(tracker.get_slot("red_flag_check") or "")
        question = group.check_question if group else CONTENT.red_flag_screen_question
        dispatcher.utter_message(response="utter_ask_red_flag_answer", question=question)
        return []


class ActionResolveRedFlagCheck(Speaks, Action):
    """Yes or an unclear answer escalates; no answers the original message."""

    def name(self) -> Text:
        """Runs when ``red_flag_check_form`` has its answer."""
        return "action_resolve_red_flag_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """Escalate, or rule the sign out and replay what the person asked."""
        check = tracker.get_slot("red_flag_check")
        answer = tracker.get_slot("red_flag_answer")
        clear = [SlotSet("red_flag_check", None), SlotSet("red_flag_answer", None)]
        named = entity_values(tracker, "red_flag")
        if answer == "no" or (answer == "unclear" and check == SCREEN and not named):
            ruled_out = list(tracker.get_slot("red_flags_ruled_out") or []) + [check]
            dispatcher.utter_message(response="utter_red_flag_ruled_out")
            # One rewind removes the original message: Rasa folds the answer turn into
            # the check form's execution (a form's happy path), so it is not a turn
            # of its own there. The action server sees it, so the original is [-2].
            original = _user_messages(tracker)[-2]
            return answer_as_if_unflagged(original, reverts=1) + [
                SlotSet("red_flags_ruled_out", ruled_out)]
        if answer != "yes":
            dispatcher.utter_message(response="utter_red_flag_unclear")
        groups = named + [check or SCREEN]
        return escalate(dispatcher, groups) + clear


class ActionEscalateRedFlag(Speaks, Action):
    """Give urgent-care advice for the red flag(s) the person described."""

    def name(self) -> Text:
        """Action name used in the domain (the walk-through's safety screen)."""
        return "action_escalate_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """Advice for every group named; general advice if none is."""
        return escalate(dispatcher, entity_values(tracker, "red_flag"))


class ActionRecordAssessment(Speaks, Action):
    """Note that a doctor has checked the person's back."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_record_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """Acknowledge and set the slot that allows booking advice again."""
        dispatcher.utter_message(response="utter_assessment_noted")
        return [SlotSet("assessed", True)]


class ActionRestartKeepingSafety(Speaks, Action):
    """Restart the conversation, but never forget a reported red flag."""

    def name(self) -> Text:
        """Replaces Rasa's default restart (a typed or clicked /restart)."""
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> EventList:
        """Clear the conversation, then restore the red-flag state."""
        dispatcher.utter_message(response="utter_restarted")
        events: EventList = [Restarted()]
        if tracker.get_slot("red_flag_raised"):
            events += [SlotSet("red_flag_raised", True),
                       SlotSet("assessed", tracker.get_slot("assessed"))]
        return events
