"""The store: SQLite (embedded default) or PostgreSQL (``postgresql://…``), one schema and one set of queries."""

from __future__ import annotations

from pathlib import Path

from sitrep.store.base import Store


def open_store(location: str | Path) -> Store:
    """A path opens (or creates) an SQLite file; a ``postgresql://`` URL connects to a server."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from sitrep.store.postgres import PostgresBackend

        return Store(PostgresBackend(text))
    from sitrep.store.sqlite import SQLiteBackend

    return Store(SQLiteBackend(text))


__all__ = ["Store", "open_store"]
