"""SQLite store. Each article and all its facts are written in one transaction."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.sources import Failure
from sitrep.store.failpoints import failpoint
from sitrep.store.migrations import MIGRATIONS


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.con = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise SitrepError(f"{path}: cannot open the store ({exc})", "E301") from None
        self.con.row_factory = sqlite3.Row
        self.con.execute("PRAGMA foreign_keys = ON")
        self.con.execute("PRAGMA journal_mode = WAL")
        self.migrate()

    # -- schema ------------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        self.con.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
        done = {r[0] for r in self.con.execute("SELECT version FROM migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            self.con.execute("BEGIN")
            try:
                for statement in sql.split(";"):
                    if statement.strip():
                        self.con.execute(statement)
                self.con.execute("INSERT INTO migrations (version, name) VALUES (?, ?)", (version, name))
                self.con.execute("COMMIT")
            except sqlite3.Error:
                self.con.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

    def versions(self) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT version FROM migrations ORDER BY version")]

    # -- writing -----------------------------------------------------------------------------
    def add(self, result: dict[str, Any], content_hash: str | None = None, minhash: bytes | None = None) -> int:
        return self.add_many([(result, content_hash, minhash)])[0]

    def add_many(self, batch: list[tuple[dict[str, Any], str | None, bytes | None]]) -> list[int]:
        """Write articles and all their facts in ONE transaction: a killed run leaves none half-written."""
        ids = []
        self.con.execute("BEGIN IMMEDIATE")
        try:
            for result, content_hash, minhash in batch:
                ids.append(self._insert(result, content_hash, minhash))
                failpoint("mid_batch", len(ids))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return ids

    def _insert(self, result: dict[str, Any], content_hash: str | None, minhash: bytes | None) -> int:
        art = result["article"]
        self.con.execute("DELETE FROM articles WHERE input_id = ?", (art["id"],))
        cur = self.con.execute(
            "INSERT INTO articles (input_id, title, subtitle, url, published, outlet, text, extraction, content_hash,"
            " minhash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (art["id"], art.get("title"), art.get("subtitle"), art.get("url"), art.get("published"),
             art.get("outlet"), art["text"], json.dumps(result, ensure_ascii=False), content_hash, minhash))
        aid = int(cur.lastrowid or 0)
        self.con.executemany(
            'INSERT INTO figures (article_id, category, low, high, approximate, unit, text, start, "end", place,'
            " place_geonameid, country_code, lat, lon, source, modality, date, sentence)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(aid, f["category"], f["low"], f["high"], int(f["approximate"]), f["unit"], f["text"], f["start"],
              f["end"], f["place"], f.get("place_geonameid"), f.get("country_code"), f.get("lat"), f.get("lon"),
              f["source"], f["modality"], f.get("date"), f.get("sentence")) for f in result["figures"]])
        self.con.executemany(
            'INSERT INTO quotes (article_id, speaker, kind, cue, text, start, "end") VALUES (?,?,?,?,?,?,?)',
            [(aid, q["speaker"], q["kind"], q["cue"], q["text"], q["start"], q["end"]) for q in result["quotes"]])
        self.con.executemany(
            "INSERT INTO places (article_id, name, geonameid, lat, lon, country_code, admin1, feature, mentions)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(aid, p["name"], p.get("geonameid"), p["lat"], p["lon"], p["country_code"], p.get("admin1"),
              p.get("feature"), len(p["mentions"])) for p in result["places"]])
        self.con.executemany(
            "INSERT INTO actors (article_id, name, kind, role, mentions) VALUES (?,?,?,?,?)",
            [(aid, a["name"], a["kind"], a.get("role"), len(a["mentions"])) for a in result["actors"]])
        self.con.execute("DELETE FROM failures WHERE input IN (?, ?)", (art.get("input") or art["id"], art["id"]))
        return aid

    # -- dedup -------------------------------------------------------------------------------
    def stored_hash(self, input_id: str) -> str | None:
        row = self.con.execute("SELECT content_hash FROM articles WHERE input_id = ?", (input_id,)).fetchone()
        return row[0] if row else None

    def find_hash(self, content_hash: str) -> tuple[int, str] | None:
        row = self.con.execute("SELECT id, input_id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
                               (content_hash,)).fetchone()
        return (int(row[0]), row[1]) if row else None

    def article_id(self, input_id: str) -> int | None:
        row = self.con.execute("SELECT id FROM articles WHERE input_id = ?", (input_id,)).fetchone()
        return int(row[0]) if row else None

    def signatures(self) -> list[tuple[str, bytes]]:
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT input_id, minhash FROM articles WHERE minhash IS NOT NULL")]

    def is_duplicate(self, input_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM duplicates WHERE input_id = ?", (input_id,)).fetchone() is not None

    def add_duplicate(self, input_id: str, article_id: int, kind: str, similarity: float) -> None:
        self.con.execute(
            "INSERT INTO duplicates (input_id, article_id, kind, similarity) VALUES (?,?,?,?) "
            "ON CONFLICT(input_id) DO UPDATE SET article_id=excluded.article_id, kind=excluded.kind, "
            "similarity=excluded.similarity", (input_id, article_id, kind, similarity))
        self.con.execute("DELETE FROM failures WHERE input = ?", (input_id,))

    def duplicates(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute(
            "SELECT d.input_id, d.kind, d.similarity, a.input_id AS first_copy FROM duplicates d "
            "JOIN articles a ON a.id = d.article_id ORDER BY d.seen_at, d.input_id")]

    def add_failure(self, failure: Failure) -> None:
        self.con.execute(
            "INSERT INTO failures (input, code, reason, retry) VALUES (?,?,?,?) ON CONFLICT(input) DO UPDATE SET "
            "code=excluded.code, reason=excluded.reason, attempts=attempts+1, failed_at=datetime('now')",
            (failure.input, failure.code, failure.reason, failure.retry or failure.input))

    # -- reading -----------------------------------------------------------------------------
    def failures(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute("SELECT * FROM failures ORDER BY failed_at, input")]

    def count(self, table: str) -> int:
        if table not in {"articles", "figures", "quotes", "places", "actors", "failures", "duplicates"}:
            raise ValueError(table)
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def _select(self, sql: str, conditions: list[tuple[str, Any]], tail: str) -> list[dict[str, Any]]:
        """Run ``sql`` with the conditions whose value is given (parameterized, never interpolated)."""
        args = [value for _, value in conditions if value is not None]
        where = [clause for clause, value in conditions if value is not None]
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [dict(r) for r in self.con.execute(f"{sql} {tail}", args)]

    @staticmethod
    def _place(column: str, country_column: str, place: str | None) -> tuple[str, Any]:
        if place and len(place) == 2 and place.isupper():
            return f"{country_column} = ?", place
        return f"{column} LIKE ?", f"%{place}%" if place else None

    def figures(self, place: str | None = None, category: str | None = None, source: str | None = None,
                since: str | None = None) -> list[dict[str, Any]]:
        return self._select(
            "SELECT f.*, a.input_id AS article, a.title AS article_title, a.published AS published "
            "FROM figures f JOIN articles a ON a.id = f.article_id",
            [self._place("f.place", "f.country_code", place), ("f.category = ?", category),
             ("f.source LIKE ?", f"%{source}%" if source else None),
             ("coalesce(f.date, a.published) >= ?", since)],
            "ORDER BY f.country_code, f.place, f.category, coalesce(f.date, a.published), f.id")

    def quotes(self, speaker: str | None = None, since: str | None = None,
               kind: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
        who = speaker or source
        return self._select(
            "SELECT q.*, a.input_id AS article, a.published AS published FROM quotes q "
            "JOIN articles a ON a.id = q.article_id",
            [("q.speaker LIKE ?", f"%{who}%" if who else None), ("q.kind = ?", kind), ("a.published >= ?", since)],
            "ORDER BY a.published, q.id")

    def places(self, place: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        return self._select(
            "SELECT p.name, p.country_code, p.feature, p.geonameid, p.lat, p.lon, count(DISTINCT p.article_id) "
            "AS articles, sum(p.mentions) AS mentions FROM places p JOIN articles a ON a.id = p.article_id",
            [self._place("p.name", "p.country_code", place), ("a.published >= ?", since)],
            "GROUP BY p.name, p.country_code, p.feature, p.geonameid ORDER BY mentions DESC, p.name")

    def actors(self, name: str | None = None, kind: str | None = None,
               since: str | None = None) -> list[dict[str, Any]]:
        return self._select(
            "SELECT x.name, x.kind, max(x.role) AS role, count(DISTINCT x.article_id) AS articles, "
            "sum(x.mentions) AS mentions FROM actors x JOIN articles a ON a.id = x.article_id",
            [("x.name LIKE ?", f"%{name}%" if name else None), ("x.kind = ?", kind), ("a.published >= ?", since)],
            "GROUP BY x.name, x.kind ORDER BY mentions DESC, x.name")

    def close(self) -> None:
        self.con.close()


def open_store(path: str | Path) -> Store:
    return Store(path)
