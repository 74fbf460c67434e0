"""Local PostgreSQL and Redis for the tests and tools that need them."""

import socket

SERVICES = {"PostgreSQL": 5432, "Redis": 6379}


def reachable(port: int) -> bool:
    """Whether something listens on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def missing(*names: str) -> list:
    """The named services (PostgreSQL, Redis) that do not answer on 127.0.0.1."""
    return [name for name in names if not reachable(SERVICES[name])]


def require(*names: str) -> None:
    """In a test: skip it, naming the services that are not reachable."""
    absent = missing(*names)
    if absent:
        import pytest

        pytest.skip(f"{' and '.join(absent)} not reachable on 127.0.0.1")


def fresh_postgres_database(name: str) -> None:
    """Drop and create a PostgreSQL database on the local server (trust auth)."""
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
