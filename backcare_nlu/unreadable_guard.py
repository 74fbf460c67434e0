"""Route messages BackCare cannot read to the fallback instead of a guess.

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
FALLBACK_INTENT = "nlu_fallback"


def is_unreadable(text: Text) -> bool:
    """True when the text has no Latin letter to read."""
    return not LATIN_LETTER.search(text or "")


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
