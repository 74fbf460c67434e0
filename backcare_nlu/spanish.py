"""How the Spanish safety net reads a message: by sound, as people spell it.

Spanish spelling has letters that sound alike, and people typing on a phone
often swap them: "bejiga" for vejiga, "ize pipi" for hice pipí, "cabeza" and
"cabesa", "orinar" and "horinar", "llo" for yo. The Spanish red-flag pipeline
(scripts/setup/build_spanish_model.py) and its phrases both go through ``spoken``:
lower case, no accents (ñ stays), b for v, s for z and for c before e or i, k
for the other c and for qu, y for ll, no silent h. Its lemma table is keyed the
same way, so "bejiga" and "vejigas" both read as the lemma of vejiga. Chat
shorthand is read out first: "q" que, "xq" porque, "x" por, "tmb" también.
"""

import re

from backcare_nlu.language import plain

SHORTHAND = {"q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque",
             "porq": "porque", "x": "por", "tmb": "tambien", "tb": "tambien", "pa": "para",
             "d": "de", "toy": "estoy", "ta": "esta", "tengp": "tengo", "nd": "nada"}
_WORD = re.compile(r"[a-zñ]+")
_RULES = [
    (re.compile(r"ch"), "\x01"),       # keep ch: its h is not silent
    (re.compile(r"h\b"), "\x02"),      # nor a final h ("vih" is not "vi")
    (re.compile(r"h"), ""),
    (re.compile(r"\x02"), "h"),
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
    text = _WORD.sub(lambda word: SHORTHAND.get(word.group(), word.group()), plain(text))
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
