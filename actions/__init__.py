"""BackCare custom actions, served by the rasa-sdk action server.

The medical content file and the clinic profile are loaded here, once, so
that a broken file stops the action server at start-up with the file and key
named, instead of failing in front of a patient; with BACKCARE_ENV=production it
also refuses content that no clinician has approved, or whose review is overdue.
"""

from actions.content import load_clinic, load_content
from actions.review import enforce

CONTENT = load_content()
CLINIC = load_clinic()
enforce(CONTENT.review)  # production: no unreviewed or overdue medical content
