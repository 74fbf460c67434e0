"""Every patient-facing text in the content file, listed once.

The review sheet (``make review-sheet``) prints this list for a clinician to
sign, and the readability test grades it, so neither can miss an item the
assistant says. Placeholders are filled with an example value, as a patient
would read them.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from actions.content import PROJECT_ROOT, Content

# Source of the walk-through, plan and notice wording (BackCare's own steps).
STEPS_SOURCE = "backcare_steps"
# The article the content paraphrases: kept beside the checkout, not in it (copyright).
ARTICLE = Path(os.environ.get("BACKCARE_ARTICLE",
                              PROJECT_ROOT.parent / "shared" / "source" / "article.txt"))
ARTICLE_SOURCE = "harvard_2015"
EXAMPLES = {"{emergency_number}": "911", "{massage_name}": "Swedish massage"}


@dataclass(frozen=True)
class Entry:
    """One patient-facing text, where it lives in the file, and its source."""

    key: str
    text: str
    source: str
    article_says: str = ""
    urgent: bool = False

    @property
    def shown(self) -> str:
        """The text as a patient reads it (placeholders filled)."""
        text = self.text
        for placeholder, example in EXAMPLES.items():
            text = text.replace(placeholder, example)
        return text


def patient_facing(content: Content) -> List[Entry]:
    """Every patient-facing text, in the order of the content file."""
    entries = [
        Entry("disclaimer", content.disclaimer.text, content.disclaimer.source,
              content.disclaimer.article_says),
        Entry("privacy_notice", content.privacy_notice.text, content.privacy_notice.source),
    ]
    for fact in content.facts.values():
        entries.append(Entry(f"facts.{fact.id}", fact.text, fact.source, fact.article_says))
    for tip in content.tips.values():
        entries.append(Entry(f"tips.{tip.id}", f"{tip.title}. {tip.text}", tip.source,
                             tip.article_says))
    for massage in content.massage_types.values():
        entries.append(Entry(f"massage_types.{massage.id}", f"{massage.name}. {massage.text}",
                             massage.source))
    for item in content.credentials:
        entries.append(Entry(f"credentials.checklist.{item.id}", item.text, item.source,
                             item.article_says))
    entries.append(Entry("credentials.outside_us", content.credentials_outside_us,
                         STEPS_SOURCE))
    for group in content.red_flags.values():
        key = f"red_flags.{group.id}"
        entries += [
            Entry(f"{key}.label", group.label, group.source),
            Entry(f"{key}.check_question", group.check_question, group.source),
            Entry(f"{key}.advice", group.advice, group.source, urgent=True),
        ]
    entries += [
        Entry("red_flags.screen_question", content.red_flag_screen_question, STEPS_SOURCE),
        Entry("red_flags.general_advice", content.red_flag_general_advice, STEPS_SOURCE,
              urgent=True),
        Entry("red_flags.after_escalation_note", content.after_escalation_note, STEPS_SOURCE),
    ]
    for section, texts in (("guide", content.guide), ("plan", content.plan)):
        entries += [Entry(f"{section}.{name}", text, STEPS_SOURCE) for name, text in texts.items()]
    urgent_notices = {"emergency_reminder", "unread_message", "web_banner"}
    entries += [Entry(f"notices.{name}", text, STEPS_SOURCE, urgent=name in urgent_notices)
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
