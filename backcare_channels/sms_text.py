r"""Replies that fit SMS: segments counted as carriers count them, long answers split.

A text of GSM-7 characters (GSM 03.38: Latin letters, digits, common
punctuation, a few accented letters such as é, ñ and ¡) fits 160 characters in
one segment and 153 in each segment of a longer one; the characters of the
extension table (``[ ] { } \\ ~ ^ | €``) count twice. One character outside
GSM-7 (á, í, ó, ú, “curly quotes”, emoji) makes the whole text UCS-2: 70 in one
segment, 67 each when longer, and an emoji takes two. Spanish answers are
usually UCS-2.

:func:`split_for_sms` cuts an answer into messages of at most ``max_segments``
segments each, between paragraphs, else between sentences, else between words,
so a phone shows whole sentences and a carrier never bills a ten-part message.
"""

import re
from typing import List, Text

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
MAX_SEGMENTS = 3
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def is_gsm7(text: Text) -> bool:
    """True when every character has a GSM-7 code."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def segments(text: Text) -> int:
    """How many SMS segments a carrier sends for this text (0 for an empty one)."""
    if not text:
        return 0
    if is_gsm7(text):
        units, single, part = sum(2 if c in GSM7_EXTENSION else 1 for c in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else -(-units // part)


def _split(text: Text, max_segments: int) -> List[Text]:
    """Pieces that each fit, joined back greedily at the coarsest level that works."""
    if segments(text) <= max_segments:
        return [text]
    for separator, parts in (("\n\n", text.split("\n\n")), (" ", SENTENCE_END.split(text)),
                             (" ", text.split())):
        parts = [part.strip() for part in parts if part.strip()]
        if len(parts) < 2:
            continue
        messages: List[Text] = []
        for part in parts:
            for piece in _split(part, max_segments):
                if messages and segments(messages[-1] + separator + piece) <= max_segments:
                    messages[-1] += separator + piece
                else:
                    messages.append(piece)
        return messages
    # One word longer than the limit (a long web address): cut it.
    size = 67 * max_segments
    return [text[start:start + size] for start in range(0, len(text), size)]


def split_for_sms(text: Text, max_segments: int = MAX_SEGMENTS) -> List[Text]:
    """The text as SMS messages of at most ``max_segments`` segments each, in order."""
    text = text.strip()
    return _split(text, max_segments) if text else []
