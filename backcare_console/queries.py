"""The inbox's filters, the dashboard's numbers and the CSV rows, as SQL on the console's tables."""

import datetime as dt
import functools
from dataclasses import dataclass, fields
from typing import Any, Dict, List, Mapping, Optional, Tuple

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from backcare_console import schema
from backcare_console.facts import pretty_category

PAGE_SIZE = 50
STEPS = ("Safety screen", "Doctor check", "Kind of massage", "Therapist's credentials",
         "Posture advice", "Insurance and finding a provider")
C = schema.conversations.c


@dataclass
class Filters:
    """What a staff member chose in the inbox (all optional, combined with AND)."""

    start: str = ""          # YYYY-MM-DD, first day (UTC) a conversation was active
    end: str = ""            # YYYY-MM-DD, last day
    channel: str = ""
    category: str = ""       # red flag mentioned, by category; "any" for any
    escalated: bool = False
    fallback: bool = False
    human: bool = False
    step_reached: int = 0    # walk-through step 1-6 reached
    step_completed: int = 0  # walk-through step 1-6 completed
    reviewed: str = ""       # "yes", "no" or ""
    tag: str = ""
    q: str = ""              # words said by the person

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "Filters":
        """From query arguments; anything malformed is ignored rather than guessed."""
        def get(name: str) -> str:
            value = args.get(name) or ""
            return str(value[0] if isinstance(value, list) else value).strip()[:200]

        def step(name: str) -> int:
            value = get(name)
            return int(value) if value.isdigit() and 1 <= int(value) <= len(STEPS) else 0

        return cls(
            start=get("start") if _date(get("start")) else "",
            end=get("end") if _date(get("end")) else "",
            channel=get("channel"), category=get("category"),
            escalated=get("escalated") == "1", fallback=get("fallback") == "1",
            human=get("human") == "1", step_reached=step("step_reached"),
            step_completed=step("step_completed"),
            reviewed=get("reviewed") if get("reviewed") in ("yes", "no") else "",
            tag=get("tag").lower(), q=get("q"))

    def query_string(self) -> Dict[str, str]:
        """The filters as query arguments (for links to other pages and the export)."""
        result = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                result[f.name] = "1" if value is True else str(value)
        return result


def _date(text: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def day_bounds(start: str, end: str) -> Tuple[Optional[float], Optional[float]]:
    """Epoch seconds of the start of ``start`` and the end of ``end`` (UTC)."""
    low = _date(start)
    high = _date(end)
    utc = dt.timezone.utc
    return (dt.datetime.combine(low, dt.time(), utc).timestamp() if low else None,
            dt.datetime.combine(high + dt.timedelta(days=1), dt.time(), utc).timestamp()
            if high else None)


def _has_marker(name: str) -> Any:
    m = schema.marker_counts.c
    return sa.exists().where(m.sender_id == C.sender_id, m.marker == name)


def conditions(filters: Filters) -> List[Any]:
    """SQL conditions on console_conversations for the chosen filters."""
    where: List[Any] = []
    low, high = day_bounds(filters.start, filters.end)
    if low is not None:
        where.append(C.last_at >= low)
    if high is not None:
        where.append(C.first_at < high)
    if filters.channel:
        where.append(C.channel == filters.channel)
    if filters.category == "any":
        where.append(_has_marker("red_flag_reported"))
    elif filters.category:
        r = schema.red_flag_categories.c
        where.append(sa.exists().where(r.sender_id == C.sender_id,
                                       r.category == filters.category))
    for wanted, marker in ((filters.escalated, "escalated"), (filters.fallback, "fallback"),
                           (filters.human, "asked_for_human")):
        if wanted:
            where.append(_has_marker(marker))
    if filters.step_reached:
        where.append(_has_marker(f"guide_step_{filters.step_reached}_reached"))
    if filters.step_completed:
        where.append(_has_marker(f"guide_step_{filters.step_completed}_completed"))
    reviewed = sa.exists().where(schema.reviews.c.sender_id == C.sender_id)
    if filters.reviewed == "yes":
        where.append(reviewed)
    elif filters.reviewed == "no":
        where.append(~reviewed)
    if filters.tag:
        t = schema.tags.c
        where.append(sa.exists().where(t.sender_id == C.sender_id, t.tag == filters.tag))
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(C.said.ilike(f"%{escaped}%", escape="\\"))
    return where


def inbox(connection: Connection, filters: Filters, page: int = 1,
          page_size: int = PAGE_SIZE) -> Tuple[List[Dict[str, Any]], int]:
    """One page of matching conversations, newest first, and how many match in all."""
    where = conditions(filters)
    total = connection.execute(
        sa.select(sa.func.count()).select_from(schema.conversations).where(*where)).scalar()
    rows = connection.execute(
        sa.select(C.sender_id, C.first_at, C.last_at, C.channel, C.user_messages)
        .where(*where).order_by(C.last_at.desc(), C.sender_id)
        .limit(page_size).offset((max(page, 1) - 1) * page_size)).mappings().all()
    return _decorate(connection, [dict(row) for row in rows]), int(total or 0)


def _decorate(connection: Connection, rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Add markers, red-flag categories, tags and review state to listed conversations."""
    senders = [row["sender_id"] for row in rows]
    if not senders:
        return rows
    markers: Dict[str, Dict[str, int]] = {s: {} for s in senders}
    m = schema.marker_counts.c
    for sender, marker, count in connection.execute(
            sa.select(m.sender_id, m.marker, m.count).where(m.sender_id.in_(senders))):
        markers[sender][marker] = count
    categories = _grouped(connection, schema.red_flag_categories, "category", senders)
    tags = _grouped(connection, schema.tags, "tag", senders)
    r = schema.reviews.c
    reviewed = dict(connection.execute(
        sa.select(r.sender_id, r.reviewed_by).where(r.sender_id.in_(senders))).all())
    for row in rows:
        found = markers[row["sender_id"]]
        row["red_flag"] = "red_flag_reported" in found
        row["escalated"] = "escalated" in found
        row["fallbacks"] = found.get("fallback", 0)
        row["asked_for_human"] = "asked_for_human" in found
        row["steps_reached"] = _last_step(found, "reached")
        row["steps_completed"] = [k for k in range(1, len(STEPS) + 1)
                                  if f"guide_step_{k}_completed" in found]
        row["walk_through_finished"] = "guide_completed" in found
        row["categories"] = [pretty_category(c) for c in categories.get(row["sender_id"], [])]
        row["tags"] = tags.get(row["sender_id"], [])
        row["reviewed_by"] = reviewed.get(row["sender_id"])
    return rows


def _last_step(found: Dict[str, int], kind: str) -> int:
    """The furthest step reached: every step before it was reached too."""
    return max([k for k in range(1, len(STEPS) + 1) if f"guide_step_{k}_{kind}" in found],
               default=0)


def _grouped(connection: Connection, table: sa.Table, column: str,
             senders: List[str]) -> Dict[str, List[str]]:
    result: Dict[str, List[str]] = {}
    for sender, value in connection.execute(
            sa.select(table.c.sender_id, table.c[column]).where(table.c.sender_id.in_(senders))
            .order_by(table.c[column])):
        result.setdefault(sender, []).append(value)
    return result


def choices(connection: Connection) -> Dict[str, List[str]]:
    """Values offered in the inbox's drop-downs."""
    def distinct(column: Any) -> List[str]:
        return [row[0] for row in connection.execute(
            sa.select(column).distinct().order_by(column)) if row[0]]

    return {"channels": distinct(C.channel),
            "categories": distinct(schema.red_flag_categories.c.category),
            "tags": distinct(schema.tags.c.tag)}


def dashboard(connection: Connection, start: str = "", end: str = "") -> Dict[str, Any]:
    """Every number on the dashboard, for conversations active in the date range."""
    where = conditions(Filters(start=start, end=end))
    in_range = sa.select(C.sender_id).where(*where).subquery()
    m = schema.marker_counts.c
    totals = connection.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(C.user_messages), 0))
        .where(*where)).one()
    conversations, messages = int(totals[0]), int(totals[1])
    per_marker = {name: (int(n), int(total or 0)) for name, n, total in connection.execute(
        sa.select(m.marker, sa.func.count(), sa.func.sum(m.count))
        .where(m.sender_id.in_(sa.select(in_range.c.sender_id))).group_by(m.marker))}

    def conv(name: str) -> int:
        return per_marker.get(name, (0, 0))[0]

    day = C.first_day
    per_day = [(dt.datetime.fromtimestamp(int(d) * 86400, dt.timezone.utc).date().isoformat(),
                int(n)) for d, n in connection.execute(
        sa.select(day, sa.func.count()).where(*where).group_by(day).order_by(day))]
    r = schema.red_flag_categories.c
    escalated = sa.select(m.sender_id).where(m.marker == "escalated",
                                             m.sender_id.in_(sa.select(in_range.c.sender_id)))
    by_category = [(pretty_category(c), int(n)) for c, n in connection.execute(
        sa.select(r.category, sa.func.count()).where(r.sender_id.in_(escalated))
        .group_by(r.category).order_by(sa.func.count().desc(), r.category))]
    categorised = connection.execute(sa.select(sa.func.count(sa.distinct(r.sender_id)))
                                     .where(r.sender_id.in_(escalated))).scalar() or 0
    if conv("escalated") > categorised:
        by_category.append(("No category named", conv("escalated") - int(categorised)))
    labels = topic_labels()
    topics = sorted(((labels.get(name[len("topic_"):],
                                   name[len("topic_"):].replace("_", " ").capitalize()), n)
                     for name, (n, _) in per_marker.items() if name.startswith("topic_")),
                    key=lambda item: (-item[1], item[0]))[:10]
    fallback_messages = per_marker.get("fallback", (0, 0))[1]
    return {
        "conversations": conversations,
        "messages": messages,
        "per_day": per_day,
        "escalated": conv("escalated"),
        "red_flag_reported": conv("red_flag_reported"),
        "escalations_by_category": by_category,
        "fallback_conversations": conv("fallback"),
        "fallback_messages": fallback_messages,
        "fallback_rate_conversations": conv("fallback") / conversations if conversations else 0,
        "fallback_rate_messages": fallback_messages / messages if messages else 0,
        "asked_for_human": conv("asked_for_human"),
        "funnel": [(f"{k}. {label}", conv(f"guide_step_{k}_reached"),
                    conv(f"guide_step_{k}_completed")) for k, label in enumerate(STEPS, 1)],
        "guide_completed": conv("guide_completed"),
        "doctor_check_reported": conv("doctor_check_reported"),
        "topics": topics,
        "marker_conversations": {name: n for name, (n, _) in per_marker.items()},
    }


@functools.lru_cache(maxsize=1)
def topic_labels() -> Dict[str, str]:
    """Topic names people read, from the domain's ``utter_topic_ask_*`` responses."""
    responses = yaml.safe_load((schema.ROOT / "domain.yml").read_text())["responses"]
    labels = {}
    for name, variants in responses.items():
        if name.startswith("utter_topic_ask_"):
            text = next(v for v in variants if not v.get("condition"))["text"]
            labels[name[len("utter_topic_ask_"):]] = text[0].upper() + text[1:]
    return labels


def export_rows(connection: Connection, filters: Filters,
                with_text: bool) -> Tuple[List[str], List[List[Any]]]:
    """The CSV export of every matching conversation (message text only if asked)."""
    header = ["conversation_id", "started_utc", "last_activity_utc", "channel",
              "user_messages", "red_flag_categories", "escalated", "fallback_messages",
              "asked_for_human", "walk_through_step_reached", "walk_through_steps_completed",
              "walk_through_finished", "reviewed_by", "tags"]
    if with_text:
        header.append("what_the_person_said")
    body: List[List[Any]] = []
    page = 1
    while True:
        rows, total = inbox(connection, filters, page=page, page_size=500)
        said = {}
        if with_text and rows:
            said = dict(connection.execute(sa.select(C.sender_id, C.said).where(
                C.sender_id.in_([r["sender_id"] for r in rows]))).all())
        for row in rows:
            line = [row["sender_id"], iso(row["first_at"]), iso(row["last_at"]), row["channel"],
                    row["user_messages"], "; ".join(row["categories"]),
                    "yes" if row["escalated"] else "no", row["fallbacks"],
                    "yes" if row["asked_for_human"] else "no", row["steps_reached"],
                    " ".join(map(str, row["steps_completed"])),
                    "yes" if row["walk_through_finished"] else "no",
                    row["reviewed_by"] or "", "; ".join(row["tags"])]
            if with_text:
                line.append(" | ".join((said.get(row["sender_id"]) or "").split("\n")))
            body.append(line)
        if page * 500 >= total:
            return header, body
        page += 1


def iso(stamp: float) -> str:
    """Epoch seconds as ``YYYY-MM-DD HH:MM`` UTC."""
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
