"""Classify what a long message asks, not the story around it.

People write a story and ask at the end: "Been at a desk all week, back is
stiff, my friend swears by massage. Does it actually work?" Classified whole,
the story drowns the question. ``RequestFocus`` (right after SpacyNLP) splits
the message into sentences and, when it has more than one and one of them asks
something, hands only the first request (with the sentence before it when
a short request points back, "Is this normal?") to the featurizers and DIET.
``RestoreFullText`` (after the classifiers, before the red-flag safety net)
puts the whole message back and moves DIET's entity offsets onto it, so the
safety net reads every sentence and the tracker stores what was typed.
A message with no request is classified whole (a story: ``share_experience``).
The requests after the first go into the parse data (``other_requests``), so
the answer can offer them next.
"""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from backcare_nlu.triage import has_sequence

SPACY_DOC = "text_spacy_doc"
FULL_TEXT = "backcare_full_text"
FULL_DOC = "backcare_full_doc"
FOCUS_START = "backcare_focus_start"
# The requests after the first, in the parse data: the answer offers them next.
OTHER_REQUESTS = "other_requests"
MAX_OTHER_REQUESTS = 2
MAX_REQUEST_CHARS = 200

QUESTION_STARTERS = {"can", "could", "does", "do", "is", "are", "will", "would", "should", "how",
                     "what", "where", "when", "why", "which", "who", "any", "anyone", "anybody",
                     "am", "was", "did", "has", "have", "ok", "okay"}
REQUEST_CUES = [("want", "to", "know"), ("like", "to", "know"), ("wondering",), ("wonder",),
                ("tell", "me"), ("looking", "for"), ("recommend",), ("help", "me"),
                ("need", "advice"), ("advice", "on"), ("should", "i"), ("can", "you"),
                ("could", "you"), ("do", "you"), ("is", "it"), ("how", "do"), ("please",),
                ("need", "to", "find"), ("want", "to", "find"), ("any", "tips"),
                ("any", "advice"), ("thoughts",)]
# "Is this normal?": a short request that points back needs the sentence before it.
SHORT_REQUEST = 7  # tokens
POINTERS = {"this", "it", "that", "these", "those", "they", "them", "so"}


def _words(sentence: Any) -> List[str]:
    return [t.lower_ for t in sentence if not t.is_space]


def is_request(sentence: Any) -> bool:
    """A sentence that asks something: a question mark, a question word, a request."""
    words = [w for w in _words(sentence) if w.isalpha() or w == "?"]
    if not words:
        return False
    if "?" in words or words[0] in QUESTION_STARTERS:
        return True
    return any(has_sequence(words, cue) for cue in REQUEST_CUES)


def request_spans(doc: Any) -> List[Tuple[int, int]]:
    """Character spans of the requests in a message of several sentences, in order.

    A short request that points back ("Is this normal?") takes the sentence
    before it along, unless that sentence is a request of its own.
    """
    sentences = [s for s in doc.sents if s.text.strip()]
    if len(sentences) < 2:
        return []
    spans = []
    for index, sentence in enumerate(sentences):
        if is_request(sentence):
            start = sentence.start_char
            points_back = len(sentence) < SHORT_REQUEST and set(_words(sentence)) & POINTERS
            if points_back and index > 0 and not is_request(sentences[index - 1]):
                start = sentences[index - 1].start_char
            spans.append((start, sentence.end_char))
    return spans


def focus_span(doc: Any) -> Optional[Tuple[int, int]]:
    """Character span of the first request in a message of several sentences, if any."""
    spans = request_spans(doc)
    return spans[0] if spans else None


class _SpacyRule(GraphComponent):
    """A rule on the spaCy doc: nothing to configure, nothing to train (not registered)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "_SpacyRule":
        """Nothing to configure or train."""
        return cls()

    def process_training_data(self, training_data: TrainingData,
                              model: SpacyModel) -> TrainingData:
        """Training examples are learnt whole and unchanged."""
        return training_data


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False,
    model_from="SpacyNLP",
)
class RequestFocus(_SpacyRule):
    """Hands the first request of a multi-sentence message to the classifier."""

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        """Keep the whole message aside and classify its first request."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            doc = message.get(SPACY_DOC) or model.model(text.lower())
            message.set(FULL_TEXT, text)
            message.set(FULL_DOC, doc)
            spans = request_spans(doc)
            if not spans:
                continue
            (start, end), others = spans[0], spans[1:MAX_OTHER_REQUESTS + 1]
            if others:
                message.set(OTHER_REQUESTS, [text[a:b].strip()[:MAX_REQUEST_CHARS]
                                             for a, b in others], add_to_output=True)
            message.set(TEXT, text[start:end])
            message.set(SPACY_DOC, model.model(text[start:end].lower()))
            message.set(FOCUS_START, start)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False,
)
class RestoreFullText(GraphComponent):
    """Puts the whole message back after classification; entity offsets follow."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RestoreFullText":
        """Nothing to configure or train."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Whole text back; the entities found so far (all in the request) moved onto it."""
        for message in messages:
            start = message.get(FOCUS_START)
            if start is None:
                continue
            entities = [{**entity, "start": entity["start"] + start, "end": entity["end"] + start}
                        for entity in message.get(ENTITIES) or []]
            message.set(ENTITIES, entities, add_to_output=True)
            message.set(TEXT, message.get(FULL_TEXT))
            message.set(SPACY_DOC, message.get(FULL_DOC))
        return messages


YES_NO = {"affirm", "deny"}
MIN_WORDS_FOR_A_QUESTION = 4  # "no?" and "yes please?" stay answers


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False,
    model_from="SpacyNLP",
)
class QuestionsAreNotYesNo(_SpacyRule):
    """A message that asks something is not a yes or a no: "not sure it's for me, does it work?".

    Runs after the FallbackClassifier. When affirm or deny won, but the text
    (its first request, see RequestFocus) asks a question, the next topic in
    the ranking wins; if none is likely, the fallback asks which one was meant.
    """

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        """Swap a yes/no for the question's own topic."""
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if intent.get("name") not in YES_NO or len(text.split()) < MIN_WORDS_FOR_A_QUESTION:
                continue
            doc = message.get(SPACY_DOC) or model.model(text.lower())
            if not any(is_request(sentence) for sentence in doc.sents):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") not in YES_NO]
            best = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 1.0}
            if best.get("name") != "nlu_fallback" and best.get("confidence", 0) < 0.1:
                best = {"name": "nlu_fallback", "confidence": 1.0}
            message.set(INTENT, dict(best), add_to_output=True)
        return messages
