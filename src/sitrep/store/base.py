"""The store: articles and their facts, the same schema, migrations and queries on SQLite and PostgreSQL.

Each batch of articles and all their facts is written in one transaction. Queries are parameterized;
backends translate the ``?`` placeholders and the few type names that differ.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sitrep import settings
from sitrep.sources import Failure
from sitrep.store.failpoints import failpoint
from sitrep.store.migrations import MIGRATIONS


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


class Backend(Protocol):
    name: str
    location: str

    def run(self, sql: str, args: tuple | list = ()) -> None: ...
    def one(self, sql: str, args: tuple | list = ()) -> tuple | None: ...
    def all(self, sql: str, args: tuple | list = ()) -> list[tuple]: ...
    def dicts(self, sql: str, args: tuple | list = ()) -> list[dict[str, Any]]: ...
    def executemany(self, sql: str, rows: list) -> None: ...
    def script(self, sql: str) -> None: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...
    def read_only(self) -> None: ...


class Transactions:
    """What both backends do alike: run migration scripts and explicit transactions on ``self.con``."""

    TYPES: dict[str, str] = {}
    BEGIN = "BEGIN"
    con: Any

    def script(self, sql: str) -> None:
        """Run each statement of ``sql``; a statement ends with ``;`` at the end of a line (so a trigger's
        body, ``BEGIN ...; END;``, stays whole)."""
        for statement in re.split(r";[ \t]*(?:\n|$)", sql.format(**self.TYPES)):
            if statement.strip():
                self.con.execute(statement)

    def begin(self) -> None:
        self.con.execute(self.BEGIN)

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()


MARK_START, MARK_END = "\x02", "\x03"  # around matched words in search snippets
MAX_SEARCH_WORDS = 12
FACT_SEARCH_WITHIN = 30  # facts are searched in this many best-ranked articles
SNIPPET_CHARS = 240
_WORDS = re.compile(r"\w+", re.UNICODE)


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around the first match of ``words`` (any word starting like
    one of them: the index stems "killed" to match "killing"), each match between MARK_START and MARK_END."""
    stems = sorted({w.lower()[:max(3, len(w) - 2)] for w in words}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)
    first = pattern.search(text)
    around = first.start() if first else 0
    begin = max(0, around - 2 * width)  # only the neighbourhood of the first match is cut and spaced evenly
    text = " ".join(text[begin:around + 3 * width].split())
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    piece = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text[start:end])
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def _fts_match(words: list[str]) -> str:
    """An FTS5 query that reads each word as a word (quoted), never as query syntax."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


@dataclass(frozen=True)
class Page:
    """One page of a list: ``order`` is an ORDER BY clause made only from a caller's whitelist of columns."""

    order: str = "id DESC"
    limit: int = 50
    offset: int = 0


class Store:
    def __init__(self, backend: Backend) -> None:
        self.db = backend
        self.path = backend.location
        self.migrate()

    # -- schema ------------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply each numbered migration not yet recorded, each in its own transaction."""
        self.db.script("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL)")
        done = {r[0] for r in self.db.all("SELECT version FROM migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            self.db.begin()
            try:
                self.db.script(sql)
                self.db.run("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                            (version, name, now()))
                self.db.commit()
            except BaseException:
                self.db.rollback()
                raise
            applied.append(version)
        return applied

    def versions(self) -> list[int]:
        return [r[0] for r in self.db.all("SELECT version FROM migrations ORDER BY version")]

    # -- writing -----------------------------------------------------------------------------
    def add(self, result: dict[str, Any], content_hash: str | None = None, minhash: bytes | None = None) -> int:
        return self.add_many([(result, content_hash, minhash)])[0]

    def add_many(self, batch: list[tuple[dict[str, Any], str | None, bytes | None]]) -> list[int]:
        """Write articles and all their facts in ONE transaction: a killed run leaves none half-written."""
        ids = []
        self.db.begin()
        try:
            for result, content_hash, minhash in batch:
                ids.append(self._insert(result, content_hash, minhash))
                failpoint("mid_batch", len(ids))
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        return ids

    def _insert(self, result: dict[str, Any], content_hash: str | None, minhash: bytes | None) -> int:
        art = result["article"]
        from sitrep.stories import link_article, unlink_article

        unlink_article(self.db, art["id"])
        self.db.run("DELETE FROM articles WHERE input_id = ?", (art["id"],))
        row = self.db.one(
            "INSERT INTO articles (input_id, title, subtitle, url, published, outlet, text, extraction, content_hash,"
            " minhash) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (art["id"], art.get("title"), art.get("subtitle"), art.get("url"), art.get("published"),
             art.get("outlet"), art["text"], json.dumps(result, ensure_ascii=False), content_hash, minhash))
        aid = int(row[0]) if row else 0
        self.db.executemany(
            'INSERT INTO figures (article_id, category, low, high, approximate, unit, text, start, "end", place,'
            " place_geonameid, country_code, lat, lon, source, modality, date, sentence)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(aid, f["category"], f["low"], f["high"], int(f["approximate"]), f["unit"], f["text"], f["start"],
              f["end"], f["place"], f.get("place_geonameid"), f.get("country_code"), f.get("lat"), f.get("lon"),
              f["source"], f["modality"], f.get("date"), f.get("sentence")) for f in result["figures"]])
        self.db.executemany(
            'INSERT INTO quotes (article_id, speaker, kind, cue, text, start, "end") VALUES (?,?,?,?,?,?,?)',
            [(aid, q["speaker"], q["kind"], q["cue"], q["text"], q["start"], q["end"]) for q in result["quotes"]])
        self.db.executemany(
            "INSERT INTO places (article_id, name, geonameid, lat, lon, country_code, admin1, feature, mentions)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(aid, p["name"], p.get("geonameid"), p["lat"], p["lon"], p["country_code"], p.get("admin1"),
              p.get("feature"), len(p["mentions"])) for p in result["places"]])
        self.db.executemany(
            "INSERT INTO actors (article_id, name, kind, role, mentions) VALUES (?,?,?,?,?)",
            [(aid, a["name"], a["kind"], a.get("role"), len(a["mentions"])) for a in result["actors"]])
        events = result.get("events") or []
        if events:
            fig_ids = [r[0] for r in self.db.all("SELECT id FROM figures WHERE article_id = ? ORDER BY id", (aid,))]
            for e in events:
                p = e.get("place") or {}
                row = self.db.one(
                    'INSERT INTO events (article_id, type, subtype, place, place_geonameid, country_code, lat, lon, date,'
                    ' modality, fatalities, text, start, "end", actors, figures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)'
                    " RETURNING id",
                    (aid, e["type"], e.get("subtype"), p.get("name"), p.get("geonameid"), p.get("country_code"),
                     p.get("lat"), p.get("lon"), e.get("date"), e["modality"], e.get("fatalities"), e["text"],
                     e["start"], e["end"], json.dumps(e.get("actors", []), ensure_ascii=False),
                     json.dumps(e.get("figures", []))))
                eid = int(row[0]) if row else 0
                self.db.executemany("UPDATE figures SET event_id = ? WHERE id = ?",
                                    [(eid, fig_ids[i]) for i in e.get("figures", []) if i < len(fig_ids)])
            link_article(self.db, aid)
        self.db.run("DELETE FROM failures WHERE input IN (?, ?)", (art.get("input") or art["id"], art["id"]))
        return aid

    # -- dedup -------------------------------------------------------------------------------
    def stored_hash(self, input_id: str) -> str | None:
        row = self.db.one("SELECT content_hash FROM articles WHERE input_id = ?", (input_id,))
        return row[0] if row else None

    def find_hash(self, content_hash: str) -> tuple[int, str] | None:
        row = self.db.one("SELECT id, input_id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
                          (content_hash,))
        return (int(row[0]), row[1]) if row else None

    def article_id(self, input_id: str) -> int | None:
        row = self.db.one("SELECT id FROM articles WHERE input_id = ?", (input_id,))
        return int(row[0]) if row else None

    def signatures(self) -> list[tuple[str, bytes]]:
        return [(r[0], bytes(r[1])) for r in self.db.all(
            "SELECT input_id, minhash FROM articles WHERE minhash IS NOT NULL")]

    def is_duplicate(self, input_id: str) -> bool:
        return self.db.one("SELECT 1 FROM duplicates WHERE input_id = ?", (input_id,)) is not None

    def add_duplicate(self, input_id: str, article_id: int, kind: str, similarity: float) -> None:
        self.db.run(
            "INSERT INTO duplicates (input_id, article_id, kind, similarity, seen_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(input_id) DO UPDATE SET article_id=excluded.article_id, kind=excluded.kind, "
            "similarity=excluded.similarity", (input_id, article_id, kind, similarity, now()))
        self.db.run("DELETE FROM failures WHERE input = ?", (input_id,))

    def duplicates(self) -> list[dict[str, Any]]:
        return self.db.dicts(
            "SELECT d.input_id, d.kind, d.similarity, a.input_id AS first_copy FROM duplicates d "
            "JOIN articles a ON a.id = d.article_id ORDER BY d.seen_at, d.input_id")

    def add_failure(self, failure: Failure) -> None:
        self.db.run(
            "INSERT INTO failures (input, code, reason, retry, failed_at) VALUES (?,?,?,?,?) ON CONFLICT(input) DO "
            "UPDATE SET code=excluded.code, reason=excluded.reason, attempts=failures.attempts+1, "
            "failed_at=excluded.failed_at",
            (failure.input, failure.code, failure.reason, failure.retry or failure.input, now()))

    # -- reading -----------------------------------------------------------------------------
    def failures(self) -> list[dict[str, Any]]:
        return self.db.dicts("SELECT * FROM failures ORDER BY failed_at, input")

    def count(self, table: str) -> int:
        if table not in {"articles", "figures", "quotes", "places", "actors", "failures", "duplicates", "events",
                         "stories"}:
            raise ValueError(table)
        row = self.db.one(f"SELECT count(*) FROM {table}")
        return int(row[0]) if row else 0

    def _select(self, sql: str, conditions: list[tuple[str, Any]], tail: str,
                page: Page | None = None) -> list[dict[str, Any]]:
        """Run ``sql`` with the conditions whose value is given (parameterized, never interpolated); a
        ``page`` replaces the ``ORDER BY`` of ``tail`` with its own and adds LIMIT and OFFSET."""
        args = [value for _, value in conditions if value is not None]
        where = [clause for clause, value in conditions if value is not None]
        if where:
            sql += " WHERE " + " AND ".join(where)
        if page is not None:
            group = tail.split(" ORDER BY ")[0] if tail.startswith("GROUP BY") else ""
            tail = f"{group} ORDER BY {page.order} LIMIT ? OFFSET ?"
            args += [page.limit, page.offset]
        return self.db.dicts(f"{sql} {tail}", args)

    @staticmethod
    def _place(column: str, country_column: str, place: str | None) -> tuple[str, Any]:
        if place and len(place) == 2 and place.isupper():
            return f"{country_column} = ?", place
        return f"lower({column}) LIKE lower(?)", f"%{place}%" if place else None

    def figures(self, place: str | None = None, category: str | None = None, source: str | None = None,
                since: str | None = None, page: Page | None = None) -> list[dict[str, Any]]:
        return self._select(
            "SELECT f.*, a.input_id AS article, a.title AS article_title, a.published AS published "
            "FROM figures f JOIN articles a ON a.id = f.article_id",
            [self._place("f.place", "f.country_code", place), ("f.category = ?", category),
             ("lower(f.source) LIKE lower(?)", f"%{source}%" if source else None),
             ("coalesce(f.date, a.published) >= ?", since)],
            "ORDER BY f.country_code, f.place, f.category, coalesce(f.date, a.published), f.id", page)

    def quotes(self, speaker: str | None = None, since: str | None = None,
               kind: str | None = None, source: str | None = None, page: Page | None = None) -> list[dict[str, Any]]:
        who = speaker or source
        return self._select(
            "SELECT q.*, a.input_id AS article, a.published AS published FROM quotes q "
            "JOIN articles a ON a.id = q.article_id",
            [("lower(q.speaker) LIKE lower(?)", f"%{who}%" if who else None), ("q.kind = ?", kind), ("a.published >= ?", since)],
            "ORDER BY a.published, q.id", page)

    def places(self, place: str | None = None, since: str | None = None,
               page: Page | None = None) -> list[dict[str, Any]]:
        """Each place once, with how many articles name it and how often; without ``since`` from the running
        totals the store keeps (``place_totals``), else counted over the articles published since."""
        if since is None:
            return self._select(
                "SELECT p.name, p.country_code, p.feature, p.geonameid, p.lat, p.lon, p.admin1, p.articles,"
                " p.mentions FROM place_totals p",
                [("p.articles > ?", 0), self._place("p.name", "p.country_code", place)],
                "ORDER BY mentions DESC, p.name", page)
        return self._select(
            "SELECT p.name, p.country_code, p.feature, p.geonameid, max(p.lat) AS lat, max(p.lon) AS lon, "
            "max(p.admin1) AS admin1, "
            "count(DISTINCT p.article_id) "
            "AS articles, sum(p.mentions) AS mentions FROM places p JOIN articles a ON a.id = p.article_id",
            [self._place("p.name", "p.country_code", place), ("a.published >= ?", since)],
            "GROUP BY p.name, p.country_code, p.feature, p.geonameid ORDER BY mentions DESC, p.name", page)

    def actors(self, name: str | None = None, kind: str | None = None,
               since: str | None = None, page: Page | None = None) -> list[dict[str, Any]]:
        return self._select(
            "SELECT x.name, x.kind, max(x.role) AS role, count(DISTINCT x.article_id) AS articles, "
            "sum(x.mentions) AS mentions FROM actors x JOIN articles a ON a.id = x.article_id",
            [("lower(x.name) LIKE lower(?)", f"%{name}%" if name else None), ("x.kind = ?", kind), ("a.published >= ?", since)],
            "GROUP BY x.name, x.kind ORDER BY mentions DESC, x.name", page)

    def events(self, place: str | None = None, type: str | None = None, since: str | None = None,
               story: int | None = None, page: Page | None = None) -> list[dict[str, Any]]:
        rows = self._select(
            'SELECT e.id, e.type, e.subtype, e.place, e.country_code, e.lat, e.lon, e.date, e.modality, e.fatalities,'
            ' e.actors, e.text, e.start, e."end", e.story_id, e.article_id, a.input_id AS article,'
            " a.title AS article_title,"
            " a.outlet AS outlet, a.url AS url FROM events e JOIN articles a ON a.id = e.article_id",
            [self._place("e.place", "e.country_code", place), ("e.type = ?", type), ("e.date >= ?", since),
             ("e.story_id = ?", story)],
            "ORDER BY e.date, e.id", page)
        for r in rows:
            r["actors"] = json.loads(r["actors"] or "[]")
        return rows

    def stories(self, place: str | None = None, type: str | None = None, since: str | None = None,
                page: Page | None = None) -> list[dict[str, Any]]:
        """Each story once: its type, place, dates, how many articles and outlets tell it, and its deaths
        (the highest count any article gives, not their sum)."""
        return self._select(
            "SELECT s.id, s.type, s.subtype, s.place, s.country_code, s.lat, s.lon, s.first_date, s.last_date, s.label,"
            " count(DISTINCT e.article_id) AS articles, max(e.fatalities) AS fatalities"
            " FROM stories s JOIN events e ON e.story_id = s.id",
            [self._place("s.place", "s.country_code", place), ("s.type = ?", type), ("s.last_date >= ?", since)],
            "GROUP BY s.id, s.type, s.subtype, s.place, s.country_code, s.lat, s.lon, s.first_date, s.last_date,"
            " s.label ORDER BY s.first_date, s.id", page)

    def articles(self, since: str | None = None, outlet: str | None = None, story: int | None = None,
                 page: Page | None = None) -> list[dict[str, Any]]:
        """Articles without their text or extraction: id, title, outlet, url, published, counts of facts."""
        rows = self._select(
            "SELECT a.id, a.input_id, a.title, a.outlet, a.url, a.published FROM articles a",
            [("a.published >= ?", since), ("lower(a.outlet) LIKE lower(?)", f"%{outlet}%" if outlet else None),
             ("a.id IN (SELECT e.article_id FROM events e WHERE e.story_id = ?)", story)],
            "ORDER BY a.published, a.id", page)
        if rows:  # counted for this page's articles only
            ids = [r["id"] for r in rows]
            marks = ",".join("?" * len(ids))
            for table in ("figures", "events"):
                counts = dict(self.db.all(f"SELECT article_id, count(*) FROM {table} WHERE article_id IN ({marks})"
                                          " GROUP BY article_id", ids))
                for r in rows:
                    r[table] = int(counts.get(r["id"], 0))
        return rows

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text and its whole extraction (figures, quotes, actors, places, events)."""
        rows = self.db.dicts("SELECT id, input_id, title, subtitle, outlet, url, published, ingested_at, text,"
                             " extraction FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        row["extraction"] = json.loads(row["extraction"])
        return row

    def search(self, text: str, page: Page | None = None, facts: int = 0) -> dict[str, Any]:
        """Full-text search, ranked once for both of its answers:

        - ``articles``: the page of articles matching the words of ``text``, best first, each with a snippet
          whose matched words sit between ``MARK_START`` and ``MARK_END`` (control characters, never markup);
        - ``figures``, ``quotes``, ``events`` (when ``facts`` > 0): up to ``facts`` of each whose own words
          contain every word of ``text``, from the ``FACT_SEARCH_WITHIN`` best articles.

        Relevance ranks the newest ``search_window`` matching articles (a setting, 1,000 by default), so a
        search costs the same however large the store grows."""
        words = _WORDS.findall(text)[:MAX_SEARCH_WORDS]
        page = page or Page()
        end = page.offset + page.limit
        ranked = self._ranked(words, max(end, FACT_SEARCH_WITHIN if facts else 0)) if words else []
        out: dict[str, Any] = {"articles": self._search_articles(ranked[page.offset:end], words, page.offset)}
        if facts:
            out.update(self._search_facts(ranked[:FACT_SEARCH_WITHIN], words, facts))
        return out

    def _ranked(self, words: list[str], n: int) -> list[int]:
        """The ids of the ``n`` articles the full-text index ranks best for ``words``."""
        window = max(n, int(settings.get("search_window")))  # the newest matches, ranked by relevance
        if self.db.name == "postgresql":
            rows = self.db.all(
                "SELECT id FROM (SELECT a.id, ts_rank(a.tsv, q) AS r FROM articles a, plainto_tsquery('english', ?) q"
                " WHERE a.tsv @@ q ORDER BY a.id DESC LIMIT ?) m ORDER BY r DESC, id DESC LIMIT ?",
                (" ".join(words), window, n))
        else:
            rows = self.db.all(
                "SELECT rowid FROM (SELECT rowid, bm25(articles_fts) AS r FROM articles_fts WHERE articles_fts MATCH ?"
                " ORDER BY rowid DESC LIMIT ?) ORDER BY r, rowid DESC LIMIT ?", (_fts_match(words), window, n))
        return [int(r[0]) for r in rows]

    def _search_articles(self, ids: list[int], words: list[str], offset: int) -> list[dict[str, Any]]:
        if not ids:
            return []
        rows = {r["id"]: r for r in self.db.dicts(
            "SELECT id, input_id, title, outlet, url, published, text FROM articles WHERE id IN"
            f" ({','.join('?' * len(ids))})", ids)}
        out = []
        for rank, i in enumerate(ids, start=offset + 1):
            row = rows[i]
            row["snippet"] = snippet(row.pop("text"), words)
            row["rank"] = rank
            out.append(row)
        return out

    def _search_facts(self, ids: list[int], words: list[str], limit: int) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {"figures": [], "quotes": [], "events": []}
        if not ids:
            return out
        marks = ",".join("?" * len(ids))
        likes = [f"%{w.lower()}%" for w in words]
        for table, cols, column in (("figures", "f.id, f.category, f.low, f.high, f.place, f.source, f.sentence",
                                     "f.sentence"),
                                    ("quotes", "f.id, f.speaker, f.kind, f.text", "f.text"),
                                    ("events", "f.id, f.type, f.subtype, f.place, f.date, f.text", "f.text")):
            cond = " AND ".join(f"lower({column}) LIKE ?" for _ in words)
            out[table] = self.db.dicts(
                f"SELECT {cols}, f.article_id, a.title AS article_title FROM {table} f"
                f" JOIN articles a ON a.id = f.article_id WHERE f.article_id IN ({marks}) AND {cond}"
                " ORDER BY f.id DESC LIMIT ?",
                [*ids, *likes, limit])
        return out

    def query(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        """Read-only SQL with ``?`` parameters, for tests and tools."""
        return self.db.all(sql, args)

    def read_only(self) -> None:
        """Refuse every write on this connection from now on (the HTTP server's connections)."""
        self.db.read_only()

    def close(self) -> None:
        self.db.close()



