"""Which language a message is in: English, Spanish, or one BackCare does not speak.

BackCare answers in English or Spanish, in the language the person writes in.
Lingua (``lingua-language-detector``), restricted to English and Spanish, reads
each message; when it is sure enough (``threshold``), the message gets a
``language`` entity ("en" or "es") and the domain's ``language`` slot follows
it. Short words that both languages share ("no", "ok") or that Lingua cannot
tell apart ("si", "hello") change nothing: the conversation keeps its language.
A message that only names a language ("español", "in English please") sets it
too.

A message of three words or more that a second, low-accuracy Lingua detector
over other common languages (Portuguese, French, Tagalog...) reads as one of
them, confirmed by a high-accuracy one for English, Spanish and that language,
gets the intent ``other_language``: the reply says, in both languages, that BackCare answers
only in English or Spanish, and gives the emergency number. Text with letters
of another script (Chinese, Russian, Arabic...) gets it too. The red-flag
safety net runs after this and wins: a sign it reads still escalates.

The scores are kept on the message (``LANGUAGE_SCORES``) for the safety net,
which reads Spanish red flags when a message is at least partly Spanish.
Measured (docs/nlu.md): 0 of 1,564 English test messages read as Spanish.
"""

import functools
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

import lingua
from lingua import Language, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

LANGUAGE_SCORES = "backcare_language_scores"
OTHER_LANGUAGE_INTENT = "other_language"
CODES = {Language.ENGLISH: "en", Language.SPANISH: "es"}
# Other languages written in Latin letters that US clinics often meet.
OTHERS = [Language.PORTUGUESE, Language.FRENCH, Language.GERMAN, Language.ITALIAN,
          Language.TAGALOG, Language.VIETNAMESE, Language.POLISH, Language.DUTCH]
WORD = re.compile(r"[^\W\d_]+")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
# A letter of another script: any letter that is not Latin.
OTHER_SCRIPT_LETTER = re.compile(r"(?![A-Za-z\u00C0-\u024F\u1E00-\u1EFF])[^\W\d_]")


@functools.lru_cache(maxsize=1)
def english_or_spanish() -> lingua.LanguageDetector:
    """Lingua's high-accuracy detector, English and Spanish only (about 100 MB)."""
    return (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
            .with_preloaded_language_models().build())


@functools.lru_cache(maxsize=1)
def any_common_language() -> lingua.LanguageDetector:
    """Lingua's low-accuracy detector (trigrams), English, Spanish and ``OTHERS``."""
    return (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH, *OTHERS)
            .with_low_accuracy_mode().with_preloaded_language_models().build())


def plain(text: Text) -> Text:
    """Lower case without accents ("Español" -> "espanol"); ñ stays."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("ñ", "\0"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).replace("\0", "ñ")


def scores(text: Text) -> Dict[Text, float]:
    """Confidence that the text is English and that it is Spanish (they sum to 1)."""
    values = english_or_spanish().compute_language_confidence_values(text)
    found = {CODES[v.language]: v.value for v in values if v.language in CODES}
    return {"en": found.get("en", 0.0), "es": found.get("es", 0.0)}


# Text-speak no Spanish writer uses: a message with one of these is Spanish only
# when Lingua is sure of it ("quiero un masaje pls" 0.98), not on the usual margin
# ("u a real person?" is 0.56 Spanish to Lingua).
ENGLISH_ONLY = frozenset({"u", "ur", "r", "pls", "plz", "thx", "im", "dont", "cant", "wont",
                          "didnt", "isnt", "wanna", "gonna", "gotta"})
SURELY_SPANISH = 0.9


def has_english_only_words(text: Text) -> bool:
    """True when the text has a word only English text-speak uses."""
    return bool(set(WORD.findall(plain(text))) & ENGLISH_ONLY)


def clear_language(text: Text, threshold: float = 0.65,
                   spanish_threshold: float = 0.55) -> Optional[Text]:
    """"en" or "es" when the text is clearly in that language, else None.

    As ``LanguageDetector`` decides (its defaults), for the channels.
    """
    found = scores(text)
    best = max(found, key=lambda code: found[code])
    if best == "es" and has_english_only_words(text):
        return best if found[best] >= SURELY_SPANISH else None
    if best == "es" and len(WORD.findall(text)) >= 3:
        threshold = spanish_threshold
    return best if found[best] >= threshold else None


def other_script_only(text: Text) -> bool:
    """True when the text has letters, none of them Latin (Chinese, Russian...)."""
    return bool(OTHER_SCRIPT_LETTER.search(text)) and not LATIN_LETTER.search(text)


@functools.lru_cache(maxsize=len(OTHERS))
def confirmer(language: Language) -> lingua.LanguageDetector:
    """High-accuracy detector for English, Spanish and one other language.

    Built (and its model loaded, tens of MB) only when a message first looks
    like that language.
    """
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH,
                                                  language).build()


def other_language(text: Text, spanish: float = 0.0, share: float = 0.9, confirm: float = 0.6,
                   confirm_near_spanish: float = 0.9) -> bool:
    """True when a text in Latin letters is in a language BackCare does not speak.

    The low-accuracy detector over many languages suggests one; a high-accuracy
    detector for English, Spanish and that language confirms it (the first
    alone reads some English questions as German, some Spanish as Portuguese).
    Portuguese and Italian look like Spanish: when the English-Spanish detector
    reads Spanish (``spanish`` 0.5 or more), the confirmation must be stronger.
    """
    if len(WORD.findall(text)) < 3:
        return False
    top = any_common_language().compute_language_confidence_values(text)[0]
    if top.language in CODES or top.value < share:
        return False
    confirmed = confirmer(top.language).compute_language_confidence_values(text)[0]
    needed = confirm_near_spanish if spanish >= 0.5 else confirm
    return confirmed.language == top.language and confirmed.value >= needed


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Adds a ``language`` entity when a message is clearly English or Spanish."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Thresholds, and the words that name a language."""
        return {
            # Lingua's confidence needed to change the conversation's language:
            # "hola" is 0.66 Spanish, "hello" 0.61 Spanish (so: no change). From
            # three words on, 0.55 is enough for Spanish (no English test message
            # reaches even 0.5; "me cai ayer" is 0.62 English: no change).
            "threshold": 0.65,
            "spanish_threshold": 0.55,
            "entity": "language",
            # Said in either language: never a reason to switch.
            "shared_words": ["ok", "okay", "okey", "oki", "no", "si", "sí", "hey", "eh", "ah",
                             "oh", "mmm", "jaja", "jajaja", "lol", "bye", "shiatsu", "vale"],
            "names": {"es": ["espanol", "spanish", "castellano"],
                      "en": ["english", "ingles", "inglés"]},
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Store the configuration."""
        self._config = {**self.get_default_config(), **config}
        self._shared = {plain(word) for word in self._config["shared_words"]}
        self._names = {plain(word): code for code, words in self._config["names"].items()
                       for word in words}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageDetector":
        """Create the component and load Lingua's models once."""
        english_or_spanish()
        any_common_language()
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def clear_winner(self, text: Text, found: Dict[Text, float]) -> Optional[Text]:
        """The language the scores make clear enough, if any."""
        best = max(found, key=lambda code: found[code])
        if best == "es" and has_english_only_words(text):
            return best if found[best] >= SURELY_SPANISH else None
        needed = self._config["threshold"]
        if best == "es" and len(WORD.findall(text)) >= 3:
            needed = self._config["spanish_threshold"]
        return best if found[best] >= needed else None

    def only_shared_words(self, text: Text) -> bool:
        """True for "ok", "no", "si": words either language uses, which change nothing."""
        words = WORD.findall(plain(text))
        return all(word in self._shared for word in words)

    def named_language(self, text: Text) -> Optional[Text]:
        """The language a short message asks for by name ("en español", "English please")."""
        words = WORD.findall(plain(text))
        named = {self._names[w] for w in words if w in self._names}
        return named.pop() if len(named) == 1 and len(words) <= 6 else None

    def process(self, messages: List[Message]) -> List[Message]:
        """Score each message; add the entity, or the other-language intent."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            found = scores(text)
            message.set(LANGUAGE_SCORES, found)
            language = self.named_language(text)
            if language is None and (other_script_only(text)
                                     or other_language(text, found["es"])):
                self._set_other_language(message)
                continue
            if language is None and not self.only_shared_words(text):
                language = self.clear_winner(text, found)
            if language is not None:
                self._add_entity(message, language)
        return messages

    def _add_entity(self, message: Message, language: Text) -> None:
        entities = [e for e in message.get(ENTITIES, [])
                    if e.get("entity") != self._config["entity"]]
        entity = {"entity": self._config["entity"], "value": language, "start": 0,
                  "end": len(message.get(TEXT)), "confidence_entity": 1.0}
        message.set(ENTITIES, entities + self.add_extractor_name([entity]), add_to_output=True)

    @staticmethod
    def _set_other_language(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                   if r.get("name") != OTHER_LANGUAGE_INTENT]
        message.set(INTENT, {"name": OTHER_LANGUAGE_INTENT, "confidence": 1.0},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY,
                    [{"name": OTHER_LANGUAGE_INTENT, "confidence": 1.0}] + ranking,
                    add_to_output=True)
