"""The PostgreSQL backend (psycopg 3): the same schema, migrations and queries as SQLite."""

from __future__ import annotations

import re
from typing import Any

from sitrep.errors import SitrepError
from sitrep.store.base import Transactions

FTS = """
ALTER TABLE articles ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
"""
_PLACE_KEY = "{r}.name || '|' || coalesce({r}.country_code, '') || '|' || coalesce({r}.feature, '') || '|' || " \
             "coalesce({r}.geonameid::text, '')"
# one line per function: a migration's statements end with ";" at the end of a line
PLACE_TOTALS = f"""
CREATE FUNCTION place_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO place_totals VALUES ({_PLACE_KEY.format(r="NEW")}, NEW.name, NEW.country_code, NEW.feature, NEW.geonameid, NEW.lat, NEW.lon, NEW.admin1, 1, NEW.mentions) ON CONFLICT (key) DO UPDATE SET articles = place_totals.articles + 1, mentions = place_totals.mentions + EXCLUDED.mentions; RETURN NULL; END $$;
CREATE FUNCTION place_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE place_totals SET articles = articles - 1, mentions = mentions - OLD.mentions WHERE key = {_PLACE_KEY.format(r="OLD")}; RETURN NULL; END $$;
CREATE TRIGGER places_total_insert AFTER INSERT ON places FOR EACH ROW EXECUTE FUNCTION place_totals_insert();
CREATE TRIGGER places_total_delete AFTER DELETE ON places FOR EACH ROW EXECUTE FUNCTION place_totals_delete();
"""
TYPES = {"PK": "SERIAL PRIMARY KEY", "FLOAT": "DOUBLE PRECISION", "BLOB": "BYTEA",
         "NOW": "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))", "FTS": FTS,
         "PLACE_KEY": _PLACE_KEY.format(r="places"), "PLACE_TOTALS": PLACE_TOTALS}
_PLACEHOLDER = re.compile(r"\?")


def _sql(sql: str) -> str:
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


class PostgresBackend(Transactions):
    TYPES = TYPES
    BEGIN = "BEGIN"
    name = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise SitrepError("PostgreSQL needs psycopg: pip install 'sitrep[postgres]'", "E302") from None
        self.location = re.sub(r"://[^@/]*@", "://***@", url)  # never echo a password
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise SitrepError(f"{self.location}: cannot connect ({str(exc).strip().splitlines()[0]})",
                              "E303") from None

    def run(self, sql: str, args: tuple | list = ()) -> None:
        self.con.execute(_sql(sql), args)

    def one(self, sql: str, args: tuple | list = ()) -> tuple | None:
        return self.con.execute(_sql(sql), args).fetchone()

    def all(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        return self.con.execute(_sql(sql), args).fetchall()

    def dicts(self, sql: str, args: tuple | list = ()) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self.con.cursor(row_factory=dict_row) as cur:
            cur.execute(_sql(sql), args)
            return list(cur.fetchall())

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.con.cursor() as cur:
                cur.executemany(_sql(sql), rows)

    def read_only(self) -> None:
        self.con.execute("SET default_transaction_read_only = on")
