"""A Rasa NLU component that catches red flags the classifier may miss.

It reads the red-flag matches of BackCare's spaCy pipeline (matched on
lemmas, see backcare_nlu.triage; misspelt red-flag words are read as the
word they stand for, see backcare_nlu.spelling) and adds, for every sign that is not
negated, a ``red_flag`` entity (a definite sign: escalate) or a
``possible_red_flag`` entity (an ambiguous word: ask first) whose value is the
red-flag group. If the classifier chose another intent, the intent becomes
``report_red_flag`` (the original stays second in the ranking, so the
dialogue can answer it once a possible sign is ruled out). It never removes a
red flag the classifier found, and when the fallback fired but
``report_red_flag`` ranked first, it keeps ``report_red_flag``: with no sign
named, the dialogue asks the screening question. It also adds
``massage_type`` entities that DIET missed.
"""

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from backcare_nlu.grammar import Grammar, grammar_from
from backcare_nlu.language import LANGUAGE_SCORES
from backcare_nlu.spanish import spoken
from backcare_nlu.spelling import spelling_for
from backcare_nlu.triage import Sign, find_signs

RED_FLAG_INTENT = "report_red_flag"
FALLBACK_INTENT = "nlu_fallback"
SPACY_DOC = "text_spacy_doc"


@functools.lru_cache(maxsize=4)
def emergency_groups(nlp: Any) -> Tuple[Text, ...]:
    """The red-flag groups that need emergency care, as the spaCy pipeline lists them.

    spaCy builds ``meta`` anew on every read, sorting the labels of every
    red-flag pattern: about a millisecond a message (profile in
    docs/performance.md). A loaded pipeline does not change, so it is read once.
    """
    return tuple(nlp.meta.get("backcare", {}).get("emergency_groups", []))


@functools.lru_cache(maxsize=2)
def spanish_pipeline(path: Text) -> Tuple[Any, Grammar, Tuple[Text, ...]]:
    """The Spanish red-flag pipeline (scripts/setup/build_spanish_model.py), grammar, groups."""
    nlp = spacy.load(path)
    meta = nlp.meta.get("backcare", {})
    return nlp, grammar_from(meta.get("grammar") or {}), tuple(meta.get("emergency_groups", []))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
    model_from="SpacyNLP",
)
class RedFlagSafetyNet(GraphComponent, EntityExtractorMixin):
    """Flags red-flag phrases on lemmas, with negation, independently of DIET."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Labels of the entity ruler and the entities they become."""
        return {
            "massage_type_label": "MASSAGE_TYPE",
            "red_flag_entity": "red_flag",
            "possible_red_flag_entity": "possible_red_flag",
            "massage_type_entity": "massage_type",
            # Read a message for Spanish red flags too when it is at least this
            # likely to be Spanish (backcare_nlu.language): mixed messages count.
            "spanish_model": "build/spacy/es_backcare",
            "spanish_share": 0.2,
            # A message at least this likely to be Spanish is read for English
            # signs of the emergency group only: English words that are also
            # Spanish ("cancer") must not raise an English sign the Spanish
            # reading, with its own negation, does not ("yo no tengo cáncer").
            "mostly_spanish": 0.9,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Store the configuration; load the Spanish pipeline once."""
        self._config = {**self.get_default_config(), **config}
        self._spanish = spanish_pipeline(str(Path(self._config["spanish_model"]).resolve()))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagSafetyNet":
        """Create the component (nothing to train)."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        """Add red-flag and massage-type entities; escalate the intent if needed."""
        emergency = emergency_groups(model.model)
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            doc = message.get(SPACY_DOC) or model.model(text.lower())
            self._add_massage_types(message, doc)
            doc = spelling_for(model.model).read(doc, model.model)
            english = find_signs(doc, emergency)
            if self._share_of_spanish(message) >= self._config["mostly_spanish"]:
                english = [sign for sign in english if sign.group in emergency]
            self._flag(message, english + self._spanish_signs(message, text))
        return messages

    @staticmethod
    def _share_of_spanish(message: Message) -> float:
        return float((message.get(LANGUAGE_SCORES) or {}).get("es", 0.0))

    def _spanish_signs(self, message: Message, text: Text) -> List[Sign]:
        """Red flags named in Spanish, when the message is at least partly Spanish."""
        if self._share_of_spanish(message) < self._config["spanish_share"]:
            return []
        nlp, grammar, emergency = self._spanish
        doc = spelling_for(nlp).respell(nlp(spoken(text)), nlp)
        return find_signs(doc, emergency, grammar)

    def _entity(self, name: Text, span: Any, value: Text,
                length: Optional[int] = None) -> Dict[Text, Any]:
        """An entity; a sign read from emoji in words is placed within the message."""
        end = span.end_char if length is None else min(span.end_char, length)
        return {"entity": name, "value": value, "start": min(span.start_char, end),
                "end": end, "confidence_entity": 1.0}

    def _add_massage_types(self, message: Message, doc: Any) -> None:
        name = self._config["massage_type_entity"]
        entities = message.get(ENTITIES, [])
        taken = [(e["start"], e["end"]) for e in entities if e.get("entity") == name]
        new = [
            self._entity(name, span, span.ent_id_)
            for span in doc.ents
            if span.label_ == self._config["massage_type_label"]
            and not any(s < span.end_char and span.start_char < e for s, e in taken)
        ]
        if new:
            message.set(ENTITIES, entities + self.add_extractor_name(new), add_to_output=True)

    def _flag(self, message: Message, signs: List[Sign]) -> None:
        if not signs:
            self._prefer_red_flag_over_fallback(message)
            return
        definite = self._config["red_flag_entity"]
        possible = self._config["possible_red_flag_entity"]
        length = len(message.get(TEXT))
        entities = [self._entity(definite if sign.definite else possible, sign.span,
                                 sign.group, length) for sign in signs]
        message.set(
            ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(entities),
            add_to_output=True,
        )
        intent = message.get(INTENT) or {}
        if intent.get("name") == RED_FLAG_INTENT:
            return
        ranking = message.get(INTENT_RANKING_KEY) or []
        message.set(INTENT, {"name": RED_FLAG_INTENT, "confidence": 1.0}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [{"name": RED_FLAG_INTENT, "confidence": 1.0}]
            + [r for r in ranking if r.get("name") != RED_FLAG_INTENT],
            add_to_output=True,
        )

    @staticmethod
    def _prefer_red_flag_over_fallback(message: Message) -> None:
        """Low confidence must not hide a red flag: escalate if it ranked first."""
        intent = message.get(INTENT) or {}
        if intent.get("name") != FALLBACK_INTENT:
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                   if r.get("name") != FALLBACK_INTENT]
        if ranking and ranking[0].get("name") == RED_FLAG_INTENT:
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
