"""BackCare custom actions, served by the rasa-sdk action server.

The medical content file and the clinic profile are loaded here, once, so
that a broken file stops the action server at start-up with the file and key
named, instead of failing in front of a patient; with BACKCARE_ENV=production it
also refuses content that no clinician has approved, or whose review is overdue.
"""

from typing import cast

from actions.content import Content, load_clinic, load_contents
from actions.language import InLanguage
from actions.review import enforce, spanish_allowed

_CONTENTS = load_contents()
# Spanish text no translator approved is not served in production (actions/review.py).
SPANISH_REVIEWED = spanish_allowed(_CONTENTS["en"].review)
if not SPANISH_REVIEWED:
    _CONTENTS["es"] = _CONTENTS["en"]
# The content in the language of the conversation an action serves (actions/language.py).
CONTENT = cast(Content, InLanguage(_CONTENTS))
CLINIC = load_clinic()
enforce(CONTENT.review)  # production: no unreviewed or overdue medical content
