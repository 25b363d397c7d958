"""The SQLite backend: the embedded default store (a file, WAL journal, foreign keys on)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.store.base import Transactions

FTS = """
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO articles_fts (rowid, title, text) SELECT id, coalesce(title, ''), text FROM articles;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, coalesce(old.title, ''), old.text); END;
"""
_PLACE_KEY = "{r}.name || '|' || coalesce({r}.country_code, '') || '|' || coalesce({r}.feature, '') || '|' || " \
             "coalesce({r}.geonameid, '')"
PLACE_TOTALS = f"""
CREATE TRIGGER places_total_insert AFTER INSERT ON places BEGIN
    INSERT INTO place_totals VALUES ({_PLACE_KEY.format(r="new")}, new.name, new.country_code, new.feature,
        new.geonameid, new.lat, new.lon, new.admin1, 1, new.mentions)
    ON CONFLICT (key) DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions; END;
CREATE TRIGGER places_total_delete AFTER DELETE ON places BEGIN
    UPDATE place_totals SET articles = articles - 1, mentions = mentions - old.mentions
    WHERE key = {_PLACE_KEY.format(r="old")}; END;
"""
TYPES = {"PK": "INTEGER PRIMARY KEY", "FLOAT": "REAL", "BLOB": "BLOB", "NOW": "(datetime('now'))", "FTS": FTS,
         "PLACE_KEY": _PLACE_KEY.format(r="places"), "PLACE_TOTALS": PLACE_TOTALS}


class SQLiteBackend(Transactions):
    TYPES = TYPES
    BEGIN = "BEGIN IMMEDIATE"
    name = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.location = str(path)
        try:
            self.con = sqlite3.connect(self.location, isolation_level=None, timeout=30)
            self.con.execute("PRAGMA foreign_keys = ON")
            self.con.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise SitrepError(f"{path}: cannot open the store ({exc})", "E301") from None

    def run(self, sql: str, args: tuple | list = ()) -> None:
        self.con.execute(sql, args)

    def one(self, sql: str, args: tuple | list = ()) -> tuple | None:
        return self.con.execute(sql, args).fetchone()

    def all(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        return self.con.execute(sql, args).fetchall()

    def dicts(self, sql: str, args: tuple | list = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            self.con.executemany(sql, rows)

    def read_only(self) -> None:
        self.con.execute("PRAGMA query_only = ON")
        self.con.execute("PRAGMA mmap_size = 268435456")  # readers map the file instead of copying pages
        self.con.execute("PRAGMA cache_size = -32768")
