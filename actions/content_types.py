"""What the content file and the clinic profile hold, once read and checked (actions.content)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from actions.review import Review

DEFAULT_EMERGENCY_NUMBER = "911"

def _plain_words(text: str) -> str:
    """Lower case, single spaces, '_' and '-' as spaces: how massage names are compared."""
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


class ContentError(ValueError):
    """A content or clinic file is missing, malformed or inconsistent."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        """Name the file and the key so a reviewer can fix it."""
        super().__init__(f"{path}: {key}: {problem}")
        self.path = path
        self.key = key


@dataclass(frozen=True)
class Item:
    """A piece of medical text with the id of its source."""

    id: str
    text: str
    source: str
    title: str = ""
    article_says: str = ""


@dataclass(frozen=True)
class MassageType:
    """One kind of massage, its synonyms and description."""

    id: str
    name: str
    text: str
    source: str
    synonyms: List[str]


@dataclass(frozen=True)
class RedFlagGroup:
    """A group of red-flag symptoms and the advice that goes with it."""

    id: str
    urgency: str
    label: str
    advice: str
    source: str
    phrases: List[str]
    possible_phrases: List[str]
    check_question: str
    temperature: Optional[Dict[str, Any]] = None


@dataclass(frozen=True)
class Content:
    """Everything a clinician reviews, validated."""

    sources: Dict[str, Dict[str, str]]
    disclaimer: Item
    privacy_notice: Item
    facts: Dict[str, Item]
    tips: Dict[str, Item]
    topics: Dict[str, List[str]]
    massage_types: Dict[str, MassageType]
    credentials: List[Item]
    credentials_outside_us: str
    red_flags: Dict[str, RedFlagGroup]
    red_flag_general_advice: str
    red_flag_screen_question: str
    benign_phrases: List[str]
    resolved_phrases: List[str]
    not_the_writer_phrases: List[str]
    sound_alikes: Dict[str, List[str]]
    emoji_words: Dict[str, str]
    after_escalation_note: str
    guide: Dict[str, str]
    plan: Dict[str, str]
    notices: Dict[str, str]
    review: Review

    def item(self, item_id: str) -> Item:
        """Return the fact or tip with this id."""
        return self.facts.get(item_id) or self.tips[item_id]

    def massage_type_for(self, text: Any) -> Optional[MassageType]:
        """The massage type an id, name or synonym names (any case), or names inside a text."""
        if not isinstance(text, str):
            return None
        wanted = _plain_words(text)
        named = [(massage, {_plain_words(n) for n in (massage.id, massage.name, *massage.synonyms)})
                 for massage in self.massage_types.values()]
        exact = next((massage for massage, names in named if wanted in names), None)
        return exact or next((massage for massage, names in named
                              if any(f" {name} " in f" {wanted} " for name in names)), None)

    def citation(self, source_id: str) -> str:
        """Short human citation for a source id, with its web address where one exists."""
        source = self.sources[source_id]
        cited = f"{source['title']}, {source['publication']}, {source['date']}"
        return f"{cited} ({source['url']})" if source.get("url") else cited


@dataclass(frozen=True)
class Clinic:
    """Where patients can reach a person; generic when no profile exists."""

    name: str = ""
    phone: str = ""
    hours: str = ""
    booking_url: str = ""
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    country_note: str = field(default="")

    @property
    def configured(self) -> bool:
        """True when a clinic profile supplied at least a name and phone."""
        return bool(self.name and self.phone)
