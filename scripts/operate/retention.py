"""Delete old conversations from the tracker store, or one on request.

  python scripts/operate/retention.py --days 30            # conversations idle for 30+ days
  python scripts/operate/retention.py --sender CONV_ID     # one person's conversation

The database is BACKCARE_TRACKER_URL (an SQLAlchemy URL such as
postgresql://user@host/db) or, by default, the SQLite file BACKCARE_TRACKER_DB.
Works on Rasa's SQL tracker store table ``events``. Prints how many
conversations and events were deleted, never their content.
"""

import argparse
import sys
import time
from typing import Optional, Tuple

import sqlalchemy as sa

from backcare_console.schema import database_url
from backcare_console.schema import forget as forget_console


def forget(url: str, days: Optional[float] = None, sender: Optional[str] = None,
           now: Optional[float] = None) -> Tuple[int, int]:
    """Delete matching conversations; returns (conversations, events) deleted."""
    if (days is None) == (sender is None):
        raise ValueError("give exactly one of days or sender")
    engine = sa.create_engine(url)
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        if sender is not None:
            senders = [sender]
        else:
            cutoff = (now or time.time()) - days * 86400
            latest = sa.func.max(events.c.timestamp)
            query = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(
                latest < cutoff)
            senders = [row[0] for row in connection.execute(query)]
        if not senders:
            return 0, 0
        deleted = connection.execute(events.delete().where(events.c.sender_id.in_(senders)))
        forget_console(connection, senders)  # the staff console's review, tags and notes
        found = connection.execute(
            sa.select(sa.func.count()).select_from(events)
            .where(events.c.sender_id.in_(senders))).scalar()
        assert found == 0
        return len(senders), deleted.rowcount


def main() -> int:
    """Parse arguments, delete, report counts."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--days", type=float, help="delete conversations idle this many days")
    group.add_argument("--sender", help="delete this conversation ID")
    args = parser.parse_args()
    conversations, events = forget(database_url(), days=args.days, sender=args.sender)
    print(f"deleted {conversations} conversation(s), {events} event(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
