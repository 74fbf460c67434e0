"""Check that every piece of BackCare's production setup is up (make health, prod's preflight).

Checks PostgreSQL and Redis (the stores the Rasa servers share), then, unless
--stores, the action server, both Rasa servers, the chat page, the staff
console and nginx. One
line per piece; the exit status is 1 when any piece is down, with the reason.
With --stores and --create-database, a missing PostgreSQL database is created.
"""

import argparse
import os
import sys
from typing import Callable, List, Optional, Tuple

import httpx

Check = Tuple[str, Callable[[], Optional[str]]]


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def postgres(create: bool) -> Optional[str]:
    """None when the tracker database answers; otherwise what is wrong."""
    import psycopg2

    host, port = setting("POSTGRES_HOST", "127.0.0.1"), int(setting("POSTGRES_PORT", "5432"))
    database = setting("POSTGRES_DB", "backcare")
    login = {"host": host, "port": port, "user": setting("POSTGRES_USER", "postgres"),
             "password": os.environ.get("POSTGRES_PASSWORD", ""), "connect_timeout": 3}
    try:
        psycopg2.connect(dbname=database, **login).close()
        return None
    except psycopg2.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        if not (create and "does not exist" in reason):
            return f"not reachable at {host}:{port} (database {database}): {reason}"
    try:
        admin = psycopg2.connect(dbname="postgres", **login)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        admin.close()
        print(f"created PostgreSQL database {database}")
        return None
    except psycopg2.Error as error:
        return f"database {database} does not exist and could not be created: {error}".strip()


def redis() -> Optional[str]:
    import redis as redis_client

    host, port = setting("REDIS_HOST", "127.0.0.1"), int(setting("REDIS_PORT", "6379"))
    try:
        redis_client.Redis(host=host, port=port, db=int(setting("REDIS_DB", "0")),
                           socket_connect_timeout=3).ping()
        return None
    except redis_client.RedisError as error:
        return f"not reachable at {host}:{port}: {error}"


def url(address: str) -> Callable[[], Optional[str]]:
    def check() -> Optional[str]:
        try:
            response = httpx.get(address, timeout=5)
        except httpx.HTTPError as error:
            return f"no answer at {address} ({type(error).__name__})"
        return None if response.status_code == 200 else f"{address} answered {response.status_code}"
    return check


def checks(stores_only: bool, create: bool) -> List[Check]:
    found: List[Check] = [("PostgreSQL", lambda: postgres(create)), ("Redis", redis)]
    if stores_only:
        return found
    local = "http://127.0.0.1"
    return found + [
        ("action server", url(f"{local}:{setting('ACTION_PORT', '5055')}/health")),
        ("Rasa server 1", url(f"{local}:{setting('RASA_PORT', '5005')}/")),
        ("Rasa server 2", url(f"{local}:{setting('RASA_PORT_2', '5015')}/")),
        ("chat page", url(f"{local}:{setting('WEB_PORT', '8080')}/")),
        ("staff console", url(f"{local}:{setting('CONSOLE_PORT', '8090')}/login")),
        ("nginx", url(f"{local}:{setting('PROXY_PORT', '8000')}/health")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", action="store_true", help="only PostgreSQL and Redis")
    parser.add_argument("--create-database", action="store_true")
    args = parser.parse_args()
    down = 0
    for name, check in checks(args.stores, args.create_database):
        problem = check()
        print(f"{name:14} {'ok' if problem is None else 'DOWN: ' + problem}")
        down += problem is not None
    return 1 if down else 0


if __name__ == "__main__":
    sys.exit(main())
