"""What the SMS and gateway channels remember across restarts and servers: opt-outs, message ids.

Both live in the database the conversations are kept in (SQLite for ``make run``,
PostgreSQL for ``make prod``), in two tables of their own:

- ``backcare_sms_opt_out``: numbers that replied STOP; nothing is sent to them
  until they reply START;
- ``backcare_seen_message``: ids of the messages already taken (Twilio's
  ``MessageSid``, the clinic gateway's ``message_id``), so a webhook the
  gateway retries is not a second turn. The
  primary key makes the claim atomic: of two servers that get the same retry,
  one inserts the id and answers, the other gets a conflict and does nothing.
  Ids older than :data:`KEEP_SEEN_DAYS` are dropped (gateways retry within hours).

Phone numbers are what Twilio sends as ``From`` ("+15550100", "whatsapp:+1...").
"""

import datetime
import logging
from typing import Optional, Text

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from backcare_rasa.tracker_store import conversation_database

logger = logging.getLogger(__name__)
KEEP_SEEN_DAYS = 7
_metadata = sa.MetaData()
OPT_OUT = sa.Table(
    "backcare_sms_opt_out", _metadata,
    sa.Column("address", sa.String(255), primary_key=True),
    sa.Column("opted_out_at", sa.DateTime, nullable=False),
)
SEEN = sa.Table(
    "backcare_seen_message", _metadata,
    sa.Column("message_id", sa.String(255), primary_key=True),
    sa.Column("seen_at", sa.DateTime, nullable=False, index=True),
)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class ChannelStore:
    """Opt-outs and seen message ids in one SQL database."""

    def __init__(self, engine: Engine) -> None:
        """Create the two tables if they are not there yet."""
        self.engine = engine
        try:
            _metadata.create_all(engine, checkfirst=True)
        except DBAPIError:
            # The other server of make prod created them in the same instant.
            _metadata.create_all(engine, checkfirst=True)

    @classmethod
    def in_memory(cls) -> "ChannelStore":
        """A store that forgets on restart: for a tracker store that is not SQL."""
        logger.warning("The SMS channel keeps opt-outs in memory only: use an SQL tracker "
                       "store (endpoints.yml) so that STOP survives a restart.")
        return cls(sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool,
                                    connect_args={"check_same_thread": False}))

    def first_time(self, message_id: Optional[Text]) -> bool:
        """True the first time this id is seen (a message without an id always counts)."""
        if not message_id:
            return True
        try:
            with self.engine.begin() as connection:
                connection.execute(SEEN.insert().values(message_id=message_id, seen_at=_now()))
                connection.execute(SEEN.delete().where(
                    SEEN.c.seen_at < _now() - datetime.timedelta(days=KEEP_SEEN_DAYS)))
        except IntegrityError:
            return False
        return True

    def opted_out(self, address: Text) -> bool:
        """True when this number replied STOP and not START since."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(OPT_OUT.c.address).where(
                OPT_OUT.c.address == address)).first()
        return row is not None

    def opt_out(self, address: Text) -> None:
        """Send nothing more to this number."""
        try:
            with self.engine.begin() as connection:
                connection.execute(OPT_OUT.insert().values(address=address,
                                                           opted_out_at=_now()))
        except IntegrityError:
            pass  # already opted out

    def opt_in(self, address: Text) -> None:
        """Let this number get messages again."""
        with self.engine.begin() as connection:
            connection.execute(OPT_OUT.delete().where(OPT_OUT.c.address == address))


_SHARED: Optional[ChannelStore] = None


def shared_store() -> ChannelStore:
    """The store of this process: in the conversations' database when it is SQL."""
    global _SHARED
    if _SHARED is None:
        engine = conversation_database()
        _SHARED = ChannelStore(engine) if engine is not None else ChannelStore.in_memory()
    return _SHARED
