"""How the Spanish safety net reads a message: by sound, as people spell it.

Spanish spelling has letters that sound alike, and people typing on a phone
often swap them: "bejiga" for vejiga, "ize pipi" for hice pipí, "cabeza" and
"cabesa", "orinar" and "horinar", "llo" for yo. The Spanish red-flag pipeline
(scripts/build_spanish_model.py) and its phrases both go through ``spoken``:
lower case, no accents (ñ stays), b for v, s for z and for c before e or i, k
for the other c and for qu, y for ll, no silent h. Its lemma table is keyed the
same way, so "bejiga" and "vejigas" both read as the lemma of vejiga.
"""

import re

from backcare_nlu.language import plain

_RULES = [
    (re.compile(r"ch"), "\x01"),       # keep ch: its h is not silent
    (re.compile(r"h"), ""),
    (re.compile(r"\x01"), "ch"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"v"), "b"),
    (re.compile(r"z"), "s"),
    (re.compile(r"c(?=[ei])"), "s"),
    (re.compile(r"qu(?=[ei])"), "k"),
    (re.compile(r"c(?!h)"), "k"),
]


def spoken(text: str) -> str:
    """The text as the Spanish safety net reads it (same length only without h or ll)."""
    text = plain(text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
