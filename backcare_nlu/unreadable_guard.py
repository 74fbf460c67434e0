"""Route messages BackCare cannot read to the fallback instead of a guess.

First, control characters (NUL, BEL...) are removed from the text before
anything reads it: a word made only of them gave the tokenizer one token and
the sentence encoder none, and DIET failed on the mismatch, so the person got
no reply at all (``ControlCharacterFilter``, first in the pipeline).

BackCare understands English. A message with no Latin letter at all (emoji
only, another script, digits or punctuation) gives the classifier nothing to
go on, and DIET would still pick an intent, often ``affirm``, which could
answer a walk-through question on the person's behalf. Such messages get
``nlu_fallback`` so the person is asked to rephrase.
"""

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
# C0 and C1 control characters, except tab and newline, which read as spaces.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FALLBACK_INTENT = "nlu_fallback"


def is_unreadable(text: Text) -> bool:
    """True when the text has no Latin letter to read."""
    return not LATIN_LETTER.search(text or "")


def without_control_characters(text: Text) -> Text:
    """The text with control characters replaced by spaces, trimmed."""
    return CONTROL.sub(" ", text).strip()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class ControlCharacterFilter(GraphComponent):
    """Removes control characters from the text before it is read."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ControlCharacterFilter":
        """Nothing to configure or train."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples get the same cleaning as live messages."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Clean each message's text (commands such as /restart included)."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and CONTROL.search(text):
                message.set(TEXT, without_control_characters(text))
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class UnreadableTextGuard(GraphComponent):
    """Sets ``nlu_fallback`` for messages without any Latin letter."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnreadableTextGuard":
        """Create the component (nothing to train)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Replace the intent of unreadable messages with the fallback."""
        for message in messages:
            text = message.get(TEXT)
            if text is None or text.startswith("/") or not is_unreadable(text):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": FALLBACK_INTENT, "confidence": 1.0}]
                        + [r for r in ranking if r.get("name") != FALLBACK_INTENT],
                        add_to_output=True)
        return messages
