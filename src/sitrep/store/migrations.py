"""Numbered schema migrations, each applied in its own transaction and recorded in ``migrations``.

One text for both backends: ``{PK}``, ``{FLOAT}``, ``{BLOB}`` and ``{NOW}`` are filled in per backend, and
``{FTS}`` with the backend's full-text index of articles (SQLite: an FTS5 table kept by triggers;
PostgreSQL: a generated ``tsvector`` column with a GIN index), ``{PLACE_TOTALS}`` with the triggers that
keep ``place_totals`` (articles and mentions per place, so the places list needs no GROUP BY over every
mention) and ``{PLACE_KEY}`` with its key.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE articles (
    id {PK},
    input_id TEXT NOT NULL UNIQUE,
    title TEXT, subtitle TEXT, url TEXT, published TEXT, outlet TEXT,
    text TEXT NOT NULL,
    extraction TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT {NOW}
);
CREATE TABLE figures (
    id {PK},
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category TEXT NOT NULL, low {FLOAT}, high {FLOAT}, approximate INTEGER NOT NULL, unit TEXT,
    text TEXT, start INTEGER, "end" INTEGER,
    place TEXT, place_geonameid INTEGER, country_code TEXT, lat {FLOAT}, lon {FLOAT},
    source TEXT, modality TEXT NOT NULL, date TEXT, sentence TEXT
);
CREATE INDEX figures_place ON figures(place, category);
CREATE TABLE quotes (
    id {PK},
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker TEXT, kind TEXT NOT NULL, cue TEXT, text TEXT NOT NULL, start INTEGER, "end" INTEGER
);
CREATE TABLE places (
    id {PK},
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL, geonameid INTEGER, lat {FLOAT}, lon {FLOAT}, country_code TEXT, admin1 TEXT, feature TEXT,
    mentions INTEGER NOT NULL
);
CREATE TABLE actors (
    id {PK},
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL, kind TEXT, role TEXT, mentions INTEGER NOT NULL
);
CREATE TABLE failures (
    input TEXT PRIMARY KEY,
    code TEXT NOT NULL, reason TEXT NOT NULL, retry TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    failed_at TEXT NOT NULL DEFAULT {NOW}
);
"""),
    (2, "dedup: content hash, MinHash signature, duplicate links", """
ALTER TABLE articles ADD COLUMN content_hash TEXT;
ALTER TABLE articles ADD COLUMN minhash {BLOB};
CREATE INDEX articles_hash ON articles(content_hash);
CREATE TABLE duplicates (
    input_id TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    similarity {FLOAT} NOT NULL,
    seen_at TEXT NOT NULL DEFAULT {NOW}
);
"""),
    (3, "events, stories, and figures repeated across articles", """
CREATE TABLE events (
    id {PK},
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL, subtype TEXT,
    place TEXT, place_geonameid INTEGER, country_code TEXT, lat {FLOAT}, lon {FLOAT},
    date TEXT, modality TEXT NOT NULL, fatalities INTEGER,
    text TEXT, start INTEGER, "end" INTEGER,
    actors TEXT NOT NULL, figures TEXT NOT NULL,
    story_id INTEGER
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_story ON events(story_id);
CREATE INDEX events_where ON events(type, country_code, date);
CREATE TABLE stories (
    id {PK},
    type TEXT NOT NULL, subtype TEXT,
    place TEXT, country_code TEXT, lat {FLOAT}, lon {FLOAT},
    first_date TEXT, last_date TEXT,
    label TEXT
);
CREATE INDEX stories_where ON stories(type, country_code, last_date);
ALTER TABLE figures ADD COLUMN event_id INTEGER;
ALTER TABLE figures ADD COLUMN repeat_of INTEGER;
CREATE INDEX figures_repeat ON figures(repeat_of);
"""),
    (4, "full-text search of articles; indexes for the HTTP API's lists", """
{FTS}
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_category_date ON figures(category, date);
CREATE INDEX figures_date ON figures(date);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX places_article ON places(article_id);
CREATE INDEX actors_article ON actors(article_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE place_totals (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL, country_code TEXT, feature TEXT, geonameid INTEGER, lat {FLOAT}, lon {FLOAT}, admin1 TEXT,
    articles INTEGER NOT NULL, mentions INTEGER NOT NULL
);
INSERT INTO place_totals SELECT {PLACE_KEY}, name, country_code, feature, geonameid, max(lat), max(lon),
    max(admin1), count(*), sum(mentions) FROM places GROUP BY name, country_code, feature, geonameid;
CREATE INDEX place_totals_mentions ON place_totals(mentions);
{PLACE_TOTALS}
"""),
]
