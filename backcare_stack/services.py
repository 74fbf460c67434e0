"""Local PostgreSQL and Redis for the tests that need them (skipped when absent)."""

import socket

import pytest

SERVICES = {"PostgreSQL": 5432, "Redis": 6379}


def reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def require(*names: str) -> None:
    """Skip the calling test, naming the services that are not reachable."""
    missing = [name for name in names if not reachable(SERVICES[name])]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not reachable on 127.0.0.1")


def fresh_postgres_database(name: str) -> None:
    """Drop and create a PostgreSQL database on the local server (trust auth)."""
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
