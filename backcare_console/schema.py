"""The console's own tables, in the tracker store's database (never in Rasa's ``events``)."""

import os
from pathlib import Path
from typing import Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parent.parent


metadata = sa.MetaData()

users = sa.Table(
    "console_users", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)
sessions = sa.Table(
    "console_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
)
login_failures = sa.Table(
    "console_login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_console_login_failures_user_at", "username", "at"),
)
audit = sa.Table(
    "console_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)
reviews = sa.Table(
    "console_reviews", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("reviewed_by", sa.String(64), nullable=False),
    sa.Column("reviewed_at", sa.Float, nullable=False),
)
tags = sa.Table(
    "console_tags", metadata,
    sa.Column("tag", sa.String(40), primary_key=True),
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Index("ix_console_tags_sender", "sender_id"),
)
notes = sa.Table(
    "console_notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
# Derived from Rasa's events by facts.refresh(): one row per conversation.
conversations = sa.Table(
    "console_conversations", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("first_at", sa.Float, nullable=False),
    sa.Column("first_day", sa.Integer, nullable=False),  # days since 1970-01-01 (UTC)
    sa.Column("last_at", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(64), nullable=False, default=""),
    sa.Column("user_messages", sa.Integer, nullable=False, default=0),
    sa.Column("said", sa.Text, nullable=False, default=""),
    sa.Index("ix_console_conversations_first_at", "first_at"),
    sa.Index("ix_console_conversations_channel", "channel", "last_at"),
)
# How often each marker (markers/) applied in a conversation; no row: never.
marker_counts = sa.Table(
    "console_markers", metadata,
    sa.Column("marker", sa.String(64), primary_key=True),
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index("ix_console_markers_sender", "sender_id"),
)
red_flag_categories = sa.Table(
    "console_red_flags", metadata,
    sa.Column("category", sa.String(64), primary_key=True),
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Index("ix_console_red_flags_sender", "sender_id"),
)
state = sa.Table(
    "console_state", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

# Everything that belongs to one conversation: deleted with it (forget()).
PER_CONVERSATION = (reviews, tags, notes, conversations, marker_counts, red_flag_categories)


def database_url() -> str:
    """The tracker store's SQLAlchemy URL (console and ``make forget``), from the environment.

    BACKCARE_TRACKER_URL (e.g. postgresql://...); else, with BACKCARE_TRACKER_STORE=postgresql
    (make prod), the POSTGRES_* settings, the password encoded by SQLAlchemy (any character
    is safe and it never appears on a command line); else the SQLite file BACKCARE_TRACKER_DB.
    """
    url = os.environ.get("BACKCARE_TRACKER_URL")
    if url:
        return url
    if os.environ.get("BACKCARE_TRACKER_STORE") == "postgresql":
        return sa.engine.URL.create(
            "postgresql", username=os.environ.get("POSTGRES_USER") or "postgres",
            password=os.environ.get("POSTGRES_PASSWORD") or None,
            host=os.environ.get("POSTGRES_HOST") or "127.0.0.1",
            port=int(os.environ.get("POSTGRES_PORT") or 5432),
            database=os.environ.get("POSTGRES_DB") or "backcare",
        ).render_as_string(hide_password=False)
    return "sqlite:///" + os.environ.get("BACKCARE_TRACKER_DB", "var/tracker.db")


def connect(url: Optional[str] = None) -> Engine:
    """An engine on the tracker store, with the console's tables created if missing."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, future=True)
    metadata.create_all(engine)
    return engine


def events_table(connection: Connection) -> Optional[sa.Table]:
    """Rasa's ``events`` table, or None before Rasa has created it."""
    if not sa.inspect(connection).has_table("events"):
        return None
    return sa.Table("events", sa.MetaData(), autoload_with=connection)


def forget(connection: Connection, senders: Iterable[str]) -> int:
    """Delete the console's rows about these conversations (reviews, tags, notes, facts).

    Called by scripts/operate/retention.py in the same transaction as the events. Audit
    entries stay (who opened what, when) so the log can prove the deletion.
    Returns the number of rows deleted.
    """
    senders = list(senders)
    existing = set(sa.inspect(connection).get_table_names())
    deleted = 0
    for start in range(0, len(senders), 500):
        chunk = senders[start:start + 500]
        for table in PER_CONVERSATION:
            if table.name in existing:
                deleted += connection.execute(
                    table.delete().where(table.c.sender_id.in_(chunk))).rowcount
    return deleted
