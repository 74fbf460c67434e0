"""Load and validate the medical content file and the clinic profile.

Both files are read once, when the action server imports the ``actions``
package, so a broken file stops start-up with the file and key named.
"""

import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

from actions.content_types import (
    Clinic,
    Content,
    ContentError,
    Item,
    MassageType,
    RedFlagGroup,
)
from actions.review import read_review

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_PATH = PROJECT_ROOT / "content" / "medical.yml"
DEFAULT_CLINIC_PATH = PROJECT_ROOT / "content" / "clinic.yml"
URGENCIES = ("emergency", "urgent")


def setting_path(name: str, default: Path) -> Path:
    """A file named by a setting; relative paths are relative to the project."""
    path = Path(os.environ.get(name) or default)
    return path if path.is_absolute() else PROJECT_ROOT / path


class _Reader:
    """Walks a parsed YAML document, naming the key of anything wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ContentError:
        return ContentError(self.path, key, problem)

    def mapping(self, data: Any, key: str) -> Dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, "must be a mapping")
        return data

    def known(self, data: Dict[str, Any], allowed: Iterable[str], key: str) -> None:
        """Unknown keys are errors: a typo must not hide a reviewed text."""
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            expected = ", ".join(sorted(allowed))
            raise self.fail(f"{key}{unknown[0]}", f"unknown key (expected one of {expected})")

    def texts(self, data: Any, names: Iterable[str], key: str) -> Dict[str, str]:
        """A mapping of exactly these text keys."""
        data = self.mapping(data, key.rstrip("."))
        self.known(data, names, key)
        return {name: self.text(data, name, key) for name in names}

    def seq(self, data: Dict[str, Any], name: str, key: str) -> List[Any]:
        value = data.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key}{name}", "must be a non-empty list")
        return value

    def text(self, data: Dict[str, Any], name: str, key: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key}{name}", "is missing or empty")
        return " ".join(value.split())

    def unique(self, entries: List[Dict[str, Any]], key: str) -> List[str]:
        ids: List[str] = []
        for index, entry in enumerate(entries):
            entry_key = f"{key}[{index}]."
            item_id = self.text(self.mapping(entry, entry_key), "id", entry_key)
            if item_id in ids:
                raise self.fail(f"{key}[{index}].id", f"duplicate id '{item_id}'")
            ids.append(item_id)
        return ids


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ContentError(path, "(file)", "not found") from None
    except yaml.YAMLError as error:
        raise ContentError(path, "(file)", f"not valid YAML: {error}") from None


def _temperature(reader: _Reader, data: Any, key: str) -> None:
    """A fever threshold in both scales and the words that say a number is a temperature."""
    data = reader.mapping(data, key.rstrip("."))
    reader.known(data, TEMPERATURE_KEYS, key)
    for scale, low, high in (("celsius", 37.5, 40.0), ("fahrenheit", 99.5, 104.0)):
        value = data.get(scale)
        if not isinstance(value, (int, float)) or not low <= value <= high:
            raise reader.fail(f"{key}{scale}", f"must be a number from {low} to {high}")
    reader.seq(data, "words", key)


def _items(reader: _Reader, data: Dict[str, Any], name: str, sources: Dict) -> Dict[str, Item]:
    entries = reader.seq(data, name, "")
    reader.unique(entries, name)
    items = {}
    for index, entry in enumerate(entries):
        items[entry["id"]] = _item(reader, entry, f"{name}[{index}].", sources)
    return items


ITEM_KEYS = ("id", "title", "source", "article_says", "text")
MAX_ARTICLE_WORDS = 7  # never a run of 8 of the article's words in this repository


def _item(reader: _Reader, entry: Any, key: str, sources: Dict,
          extra: Iterable[str] = ()) -> Item:
    entry = reader.mapping(entry, key)
    reader.known(entry, ITEM_KEYS + tuple(extra), key)
    source = reader.text(entry, "source", key)
    if source not in sources:
        raise reader.fail(f"{key}source", f"unknown source '{source}'")
    article_says = " ".join(str(entry.get("article_says", "")).split())
    if len(article_says.split()) > MAX_ARTICLE_WORDS:
        raise reader.fail(f"{key}article_says", f"at most {MAX_ARTICLE_WORDS} words")
    return Item(
        id=reader.text(entry, "id", key),
        text=reader.text(entry, "text", key),
        source=source,
        title=" ".join(str(entry.get("title", "")).split()),
        article_says=article_says,
    )


TOP_LEVEL_KEYS = ("meta", "sources", "disclaimer", "privacy_notice", "facts", "tips", "topics",
                  "massage_types", "credentials", "red_flags", "guide", "plan", "notices")
GROUP_KEYS = ("id", "urgency", "source", "label", "check_question", "advice", "phrases",
              "possible_phrases", "paired_phrases", "temperature")
TEMPERATURE_KEYS = ("celsius", "fahrenheit", "words")
GUIDE_KEYS = ("red_flag_intro", "doctor_not_yet", "massage_type_intro", "credentials_intro",
              "posture_intro", "provider_intro")
PLAN_KEYS = ("doctor_done", "doctor_todo", "come_back", "massage_type", "massage_undecided",
             "credentials_done", "credentials_todo", "posture", "provider_insurance_done",
             "provider_insurance_todo")
NOTICE_KEYS = ("not_a_diagnosis", "emergency_reminder", "unread_message", "web_banner")


TRANSLATED_SUFFIX = "_es"
# Keys whose text a patient reads: each needs its Spanish twin (``text`` -> ``text_es``).
TRANSLATED_KEYS = ("text", "title", "name", "label", "check_question", "advice", "outside_us",
                   "screen_question", "general_advice", "after_escalation_note")
TRANSLATED_SECTIONS = ("guide", "plan", "notices")
LANGUAGES = ("en", "es")


def missing_translations(data: Any, key: str = "") -> List[str]:
    """Every patient-facing text with no Spanish twin, or an empty one, by key."""
    missing: List[str] = []
    if isinstance(data, list):
        for index, entry in enumerate(data):
            missing += missing_translations(entry, f"{key}[{index}]")
        return missing
    if not isinstance(data, dict):
        return missing
    for name, value in data.items():
        if name.endswith(TRANSLATED_SUFFIX) or name in ("meta", "sources", "topics"):
            continue
        here = f"{key}.{name}" if key else name
        translated = name in TRANSLATED_KEYS or key in TRANSLATED_SECTIONS
        twin = data.get(name + TRANSLATED_SUFFIX)
        if translated and isinstance(value, str) and not (isinstance(twin, str) and twin.strip()):
            missing.append(here + TRANSLATED_SUFFIX)
        elif isinstance(value, (dict, list)) and name not in ("synonyms",):
            missing += missing_translations(value, here)
    return missing


def in_language(data: Any, language: str) -> Any:
    """The document with each text in one language: ``X_es`` replaces ``X`` for Spanish."""
    if isinstance(data, list):
        return [in_language(entry, language) for entry in data]
    if not isinstance(data, dict):
        return data
    chosen = {}
    for name, value in data.items():
        if isinstance(name, str) and name.endswith(TRANSLATED_SUFFIX):
            continue
        twin = data.get(f"{name}{TRANSLATED_SUFFIX}") if isinstance(name, str) else None
        chosen[name] = twin if language == "es" and twin is not None else in_language(
            value, language)
    return chosen


def load_contents(path: Optional[Path] = None) -> Dict[str, Content]:
    """The content in each language BackCare speaks, every text translated."""
    path = path or setting_path("BACKCARE_CONTENT", DEFAULT_CONTENT_PATH)
    missing = missing_translations(_read_yaml(path))
    if missing:
        raise ContentError(path, missing[0], f"Spanish translation is missing or empty "
                                             f"({len(missing)} in all)")
    return {language: load_content(path, language) for language in LANGUAGES}


def load_content(path: Optional[Path] = None, language: str = "en") -> Content:
    """Read the content file and check schema, unique ids and references.

    ``language``: "en", or "es" for every text in its Spanish translation.
    """
    path = path or setting_path("BACKCARE_CONTENT", DEFAULT_CONTENT_PATH)
    reader = _Reader(path)
    data = reader.mapping(in_language(_read_yaml(path), language), "(top level)")
    reader.known(data, TOP_LEVEL_KEYS, "")

    source_entries = reader.seq(data, "sources", "")
    reader.unique(source_entries, "sources")
    sources = {}
    for index, entry in enumerate(source_entries):
        key = f"sources[{index}]."
        reader.known(entry, ("id", "title", "publication", "date", "url", "note"), key)
        sources[entry["id"]] = {
            name: reader.text(entry, name, key) for name in ("title", "publication", "date")
        }
        for name in ("url", "note"):
            if name in entry:
                sources[entry["id"]][name] = reader.text(entry, name, key)
        if not sources[entry["id"]].get("url", "https://").startswith("https://"):
            raise reader.fail(f"{key}url", "must start with https://")

    facts = _items(reader, data, "facts", sources)
    tips = _items(reader, data, "tips", sources)
    clash = sorted(set(facts) & set(tips))
    if clash:
        raise reader.fail("tips", f"id '{clash[0]}' is also a fact id")

    topics = reader.mapping(data.get("topics"), "topics")
    for intent, ids in topics.items():
        if not isinstance(ids, list) or not ids:
            raise reader.fail(f"topics.{intent}", "must be a non-empty list of ids")
        for item_id in ids:
            if item_id not in facts and item_id not in tips:
                raise reader.fail(f"topics.{intent}", f"unknown fact or tip id '{item_id}'")

    type_entries = reader.seq(data, "massage_types", "")
    reader.unique(type_entries, "massage_types")
    massage_types = {}
    for index, entry in enumerate(type_entries):
        key = f"massage_types[{index}]."
        item = _item(reader, entry, key, sources, extra=("name", "synonyms"))
        synonyms = reader.seq(entry, "synonyms", key)
        massage_types[item.id] = MassageType(
            id=item.id,
            name=reader.text(entry, "name", key),
            text=item.text,
            source=item.source,
            synonyms=[str(s) for s in synonyms],
        )

    creds = reader.mapping(data.get("credentials"), "credentials")
    reader.known(creds, ("checklist", "outside_us"), "credentials.")
    checklist_entries = reader.seq(creds, "checklist", "credentials.")
    reader.unique(checklist_entries, "credentials.checklist")
    checklist = [
        _item(reader, entry, f"credentials.checklist[{index}].", sources)
        for index, entry in enumerate(checklist_entries)
    ]

    flags = reader.mapping(data.get("red_flags"), "red_flags")
    reader.known(flags, ("groups", "benign_phrases", "resolved_phrases", "spanish",
                         "not_the_writer_phrases", "sound_alikes", "emoji_words",
                         "screen_question",
                         "general_advice", "after_escalation_note"), "red_flags.")
    reader.seq(flags, "resolved_phrases", "red_flags.")
    reader.seq(flags, "not_the_writer_phrases", "red_flags.")
    for word in reader.mapping(flags.get("sound_alikes"), "red_flags.sound_alikes"):
        reader.seq(flags["sound_alikes"], word, "red_flags.sound_alikes.")
    emoji = reader.mapping(flags.get("emoji_words"), "red_flags.emoji_words")
    for symbol in emoji:
        reader.text(emoji, symbol, "red_flags.emoji_words.")
    group_entries = reader.seq(flags, "groups", "red_flags.")
    reader.unique(group_entries, "red_flags.groups")
    red_flags = {}
    for index, entry in enumerate(group_entries):
        key = f"red_flags.groups[{index}]."
        reader.known(entry, GROUP_KEYS, key)
        item_source = reader.text(entry, "source", key)
        if item_source not in sources:
            raise reader.fail(f"{key}source", f"unknown source '{item_source}'")
        if "temperature" in entry:
            _temperature(reader, entry["temperature"], f"{key}temperature.")
        urgency = reader.text(entry, "urgency", key)
        if urgency not in URGENCIES:
            raise reader.fail(f"{key}urgency", f"must be one of {', '.join(URGENCIES)}")
        red_flags[entry["id"]] = RedFlagGroup(
            id=entry["id"],
            urgency=urgency,
            label=reader.text(entry, "label", key),
            advice=reader.text(entry, "advice", key),
            source=item_source,
            phrases=[str(p).lower() for p in reader.seq(entry, "phrases", key)],
            possible_phrases=[str(p).lower() for p in reader.seq(entry, "possible_phrases", key)],
            check_question=reader.text(entry, "check_question", key),
            temperature=entry.get("temperature"),
        )
    if not any(group.urgency == "emergency" for group in red_flags.values()):
        raise reader.fail("red_flags.groups", "needs at least one 'emergency' group")

    guide_text = reader.texts(data.get("guide"), GUIDE_KEYS, "guide.")
    plan = reader.texts(data.get("plan"), PLAN_KEYS, "plan.")
    notices = reader.texts(data.get("notices"), NOTICE_KEYS, "notices.")

    review = read_review(reader.mapping(data.get("meta"), "meta"), reader.fail)
    return Content(
        review=review,
        sources=sources,
        disclaimer=_item(reader, data.get("disclaimer"), "disclaimer.", sources),
        privacy_notice=_item(reader, data.get("privacy_notice"), "privacy_notice.", sources),
        facts=facts,
        tips=tips,
        topics={intent: list(ids) for intent, ids in topics.items()},
        massage_types=massage_types,
        credentials=checklist,
        credentials_outside_us=reader.text(creds, "outside_us", "credentials."),
        red_flags=red_flags,
        red_flag_general_advice=reader.text(flags, "general_advice", "red_flags."),
        red_flag_screen_question=reader.text(flags, "screen_question", "red_flags."),
        benign_phrases=[str(p).lower() for p in reader.seq(flags, "benign_phrases", "red_flags.")],
        resolved_phrases=[str(p).lower() for p in flags["resolved_phrases"]],
        not_the_writer_phrases=[str(p).lower() for p in flags["not_the_writer_phrases"]],
        sound_alikes={str(k): [str(v) for v in vs] for k, vs in flags["sound_alikes"].items()},
        emoji_words={str(k): str(v) for k, v in emoji.items()},
        after_escalation_note=reader.text(flags, "after_escalation_note", "red_flags."),
        guide=guide_text,
        plan=plan,
        notices=notices,
    )


def load_clinic(path: Optional[Path] = None) -> Clinic:
    """Read the clinic profile; a missing file means generic wording."""
    path = path or setting_path("BACKCARE_CLINIC_PROFILE", DEFAULT_CLINIC_PATH)
    if not path.exists():
        return Clinic()
    reader = _Reader(path)
    data = reader.mapping(_read_yaml(path), "(top level)")
    known = {"name", "phone", "hours", "booking_url", "emergency_number", "country_note"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise reader.fail(unknown[0], f"unknown key (expected one of {', '.join(sorted(known))})")
    for name in ("name", "phone", "emergency_number"):
        reader.text(data, name, "")
    values = {name: " ".join(str(data.get(name, "")).split()) for name in known}
    if not values["emergency_number"].replace(" ", "").isdigit():
        raise reader.fail("emergency_number", "must be digits, e.g. 911, 112 or 999")
    return Clinic(**values)
