"""Every patient-facing text in the content file, listed once.

The review sheet (``make review-sheet``) prints this list for a clinician to
sign, and the readability test grades it, so neither can miss an item the
assistant says. Placeholders are filled with an example value, as a patient
would read them.
"""

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Optional

from actions.content import PROJECT_ROOT, Content, Item, setting_path

# Source of the walk-through, plan and notice wording (BackCare's own steps).
STEPS_SOURCE = "backcare_steps"
# The article the content paraphrases: kept beside the checkout, not in it (copyright).
ARTICLE = setting_path("BACKCARE_ARTICLE",
                       PROJECT_ROOT.parent / "shared" / "source" / "article.txt")
ARTICLE_SOURCE = "harvard_2015"
# Reading-grade limits (Flesch-Kincaid): health-literacy guidance.
GRADE_LIMIT, URGENT_GRADE_LIMIT = 8, 6
EXAMPLES = {"{emergency_number}": "911", "{massage_name}": "Swedish massage"}


@dataclass(frozen=True)
class Entry:
    """One patient-facing text and where it lives in the content file."""

    key: str
    item: Item
    urgent: bool = False

    @property
    def source(self) -> str:
        """The id of the text's source."""
        return self.item.source

    @property
    def article_says(self) -> str:
        """For an article item: words of the article sentence it paraphrases."""
        return self.item.article_says

    @property
    def grade_limit(self) -> int:
        """Highest reading grade allowed: 6 for urgent advice, 8 otherwise."""
        return URGENT_GRADE_LIMIT if self.urgent else GRADE_LIMIT

    @property
    def shown(self) -> str:
        """The text as a patient reads it (placeholders filled)."""
        text = self.item.text
        for placeholder, example in EXAMPLES.items():
            text = text.replace(placeholder, example)
        return text


def _entry(key: str, text: str, source: str, urgent: bool = False) -> Entry:
    return Entry(key, Item(id=key, text=text, source=source), urgent)


def patient_facing(content: Content) -> List[Entry]:
    """Every patient-facing text, in the order of the content file."""
    entries = [Entry("disclaimer", content.disclaimer), Entry("privacy_notice",
                                                                content.privacy_notice)]
    entries += [Entry(f"facts.{fact.id}", fact) for fact in content.facts.values()]
    entries += [Entry(f"tips.{tip.id}", replace(tip, text=f"{tip.title}. {tip.text}"))
                for tip in content.tips.values()]
    entries += [_entry(f"massage_types.{m.id}", f"{m.name}. {m.text}", m.source)
                for m in content.massage_types.values()]
    entries += [Entry(f"credentials.checklist.{item.id}", item) for item in content.credentials]
    entries.append(_entry("credentials.outside_us", content.credentials_outside_us,
                          STEPS_SOURCE))
    for group in content.red_flags.values():
        key = f"red_flags.{group.id}"
        entries += [
            _entry(f"{key}.label", group.label, group.source),
            _entry(f"{key}.check_question", group.check_question, group.source),
            _entry(f"{key}.advice", group.advice, group.source, urgent=True),
        ]
    entries += [
        _entry("red_flags.screen_question", content.red_flag_screen_question, STEPS_SOURCE),
        _entry("red_flags.general_advice", content.red_flag_general_advice, STEPS_SOURCE,
               urgent=True),
        _entry("red_flags.after_escalation_note", content.after_escalation_note, STEPS_SOURCE),
    ]
    for section, texts in (("guide", content.guide), ("plan", content.plan)):
        entries += [_entry(f"{section}.{name}", text, STEPS_SOURCE)
                    for name, text in texts.items()]
    urgent_notices = {"emergency_reminder", "unread_message", "web_banner"}
    entries += [_entry(f"notices.{name}", text, STEPS_SOURCE, urgent=name in urgent_notices)
                for name, text in content.notices.items()]
    return entries


def normalise(text: str) -> str:
    """Lower case, straight quotes, single spaces: how article words are compared."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


def article_sentences(path: Path) -> List[str]:
    """The article split into sentences and list items."""
    text = path.read_text(encoding="utf-8").replace("\u2022", "\n")
    pieces: List[str] = []
    for block in text.splitlines():
        pieces += [p.strip() for p in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", block) if p.strip()]
    return pieces


def sentence_for(anchor: str, sentences: List[str]) -> Optional[str]:
    """The article sentence that contains these words, if any."""
    wanted = normalise(anchor)
    return next((s for s in sentences if wanted in normalise(s)), None)
