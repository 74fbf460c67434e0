"""Staff accounts, sessions, CSRF tokens, lockout and the audit log."""

import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from backcare_console import schema

LOCKOUT_FAILURES = 5           # failed logins for one username ...
LOCKOUT_SECONDS = 15 * 60      # ... within this window lock it for the rest of the window
SESSION_SECONDS = 8 * 3600     # one working day
MIN_PASSWORD_LENGTH = 12
HASHER = PasswordHasher()      # Argon2id, argon2-cffi's defaults (RFC 9106 low-memory)
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash(secrets.token_hex(16))
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Session:
    """A signed-in staff member."""

    username: str
    csrf: str


class LoginRefused(Exception):
    """Wrong username or password, or the account is locked (the message says which)."""


def create_user(connection: Connection, username: str, password: str) -> None:
    """Add a staff member, or set a new password for an existing one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("a username is 1 to 64 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password is at least {MIN_PASSWORD_LENGTH} characters")
    users = schema.users
    values = {"password_hash": HASHER.hash(password), "created": time.time()}
    if not connection.execute(users.update().where(users.c.username == username)
                              .values(**values)).rowcount:
        connection.execute(users.insert().values(username=username, **values))


def locked(connection: Connection, username: str, now: Optional[float] = None) -> bool:
    """Too many recent failed logins for this username."""
    now = now or time.time()
    f = schema.login_failures.c
    recent = connection.execute(sa.select(sa.func.count()).where(
        f.username == username, f.at > now - LOCKOUT_SECONDS)).scalar()
    return int(recent or 0) >= LOCKOUT_FAILURES


def login(connection: Connection, username: str, password: str) -> str:
    """Check the password and open a session; returns the session token for the cookie."""
    username = username.strip()[:64]
    if locked(connection, username):
        record(connection, username, "login_locked")
        raise LoginRefused("Too many failed attempts. This account is locked for "
                           f"{LOCKOUT_SECONDS // 60} minutes.")
    stored = connection.execute(sa.select(schema.users.c.password_hash).where(
        schema.users.c.username == username)).scalar()
    try:
        HASHER.verify(stored or _DUMMY_HASH, password)
        ok = stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        connection.execute(schema.login_failures.insert().values(
            username=username, at=time.time()))
        record(connection, username, "login_failed")
        raise LoginRefused("Wrong username or password.")
    f = schema.login_failures.c
    connection.execute(schema.login_failures.delete().where(f.username == username))
    if stored and HASHER.check_needs_rehash(stored):
        create_user(connection, username, password)
    token = secrets.token_urlsafe(32)
    connection.execute(schema.sessions.insert().values(
        token_hash=_digest(token), username=username, csrf=secrets.token_urlsafe(32),
        expires=time.time() + SESSION_SECONDS))
    record(connection, username, "login")
    return token


def session(connection: Connection, token: Optional[str]) -> Optional[Session]:
    """The session behind a cookie, if it exists and has not expired."""
    if not token:
        return None
    s = schema.sessions.c
    row = connection.execute(sa.select(s.username, s.csrf, s.expires).where(
        s.token_hash == _digest(token))).first()
    if row is None or row.expires < time.time():
        return None
    return Session(row.username, row.csrf)


def logout(connection: Connection, token: str) -> None:
    """End a session (the cookie stops working at once)."""
    s = schema.sessions.c
    found = connection.execute(sa.select(s.username).where(
        s.token_hash == _digest(token))).scalar()
    connection.execute(schema.sessions.delete().where(
        (s.token_hash == _digest(token)) | (s.expires < time.time())))
    if found:
        record(connection, found, "logout")


def csrf_ok(expected: str, given: Optional[str]) -> bool:
    """The form's token matches the session's (constant-time)."""
    return bool(given) and hmac.compare_digest(expected, str(given))


def record(connection: Connection, username: str, action: str, sender_id: Optional[str] = None,
           **detail: Any) -> None:
    """One audit-log entry: who did what to which conversation (never message text)."""
    connection.execute(schema.audit.insert().values(
        at=time.time(), username=username[:64], action=action, sender_id=sender_id,
        detail=json.dumps(detail, sort_keys=True) if detail else ""))
    logger.info("audit: %s %s %s", username, action, sender_id or "")


def audit_log(connection: Connection, limit: int = 200) -> List[Dict[str, Any]]:
    """The newest audit entries."""
    a = schema.audit.c
    rows = connection.execute(sa.select(a.at, a.username, a.action, a.sender_id, a.detail)
                              .order_by(a.id.desc()).limit(limit)).mappings().all()
    return [dict(row) for row in rows]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
