"""BackCare's staff console: review conversations, escalations and drop-off.

A separate Sanic app on 127.0.0.1:CONSOLE_PORT (``scripts/operate/console.py``) that
reads Rasa's tracker store (table ``events``) and keeps its own tables beside it
(``schema.py``). What it counts is defined once, as Rasa markers in ``markers/``
(``facts.py``). See docs/console.md.
"""
