"""Geoparsing evaluation: toponym recognition (geotagging) and resolution (geocoding).

Data formats read (the task's ``--data`` is a file, or a folder holding one of them):

- **LGL / TR-News XML** (``lgl.xml``, ``TR-News.xml``): ``<article><text>`` with ``<toponyms><toponym>``
  holding ``start``/``end``/``phrase`` and, when resolved, ``<gaztag>`` with ``lat``/``lon``. Offsets that
  do not point at their phrase (TR-News has some) are re-aligned to the nearest occurrence of the phrase.
- **GeoVirus XML** (``<locations><location>`` with ``name``/``start``/``end``/``lat``/``lon``): offsets are
  shifted by one (``text[start-1:end-1]``); the shift is detected, not assumed.
- **GeoWebNews** (a folder with ``GWN.xml`` and ``Geocoding/gwn_full.txt``): texts from the XML, gold
  coordinates and offsets from ``gwn_full.txt`` (Gritta format, one line per article in XML order); when
  that file is absent, the XML toponyms that carry a GeoNames id and coordinates.
- **Gritta format** (peer outputs, ``lgl_gold.txt``): one line per document, records
  ``name,,phrase,,lat,,lon,,start,,end[,,extra]||``. A peer record whose offsets do not point at its
  phrase is moved to the nearest occurrence of the phrase in the document (some published outputs
  count offsets from elsewhere); one that cannot be placed is dropped.

Scoring (the same code for sitrep and for peers):

- Gold is the resolved toponyms (those with coordinates), as in Gritta et al.'s published gold files
  (``lgl_gold.txt``: 4,462 of LGL's 5,088 annotations). A prediction on an unresolved annotation (a street,
  a building) counts as a false alarm, as it does in their scoring.
- Geotagging: a predicted mention matches a gold toponym when their character spans overlap; pairs are
  matched one-to-one, greedily by largest overlap, then nearest start. Precision, recall and F1 over
  mentions.
- Geocoding, over the matched pairs: great-circle error in km; ``acc161`` is the share of errors
  ≤ 161 km (100 miles); ``median_km``; ``auc`` is the area under the curve of the scaled log error
  (Gritta et al. 2018, "What's missing in geoparsing?"): errors sorted ascending, each mapped to
  ``ln(1 + km) / ln(20039)`` (20,039 km is half the Earth's circumference, the largest possible error),
  integrated with the trapezoidal rule over unit steps and divided by ``n - 1``, so 0 is perfect and
  1 is every toponym on the antipode. Lower is better. A matched prediction without coordinates counts
  as the largest error.
"""

from __future__ import annotations

import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.eval import table
from sitrep.gazetteer import distance_km

MAX_KM = 20039.0
ACC_KM = 161  # accuracy@161 km: within 100 miles
FAR_SHOWN = 20  # the most frequent far misses the table lists
PEER_NAMES = {"edin": "Edinburgh", "geo": "GeoTxt", "geotxt": "GeoTxt", "topo": "Topocluster",
              "clavin": "CLAVIN", "yahoo": "Yahoo", "emm": "EMM", "google": "Google"}
COLUMNS = ["system", "precision", "recall", "f1", "acc161", "auc", "median_km", "matched", "gold", "predicted"]


@dataclass
class Toponym:
    start: int
    end: int
    phrase: str
    lat: float | None = None  # None: annotated but not resolved (not part of the gold)
    lon: float | None = None

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GoldDoc:
    id: str
    text: str
    toponyms: list[Toponym] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

def _float(value: str | None) -> float | None:
    try:
        f = float((value or "").strip())
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _int(value: str | None) -> int | None:
    try:
        return int(float((value or "").strip()))
    except ValueError:
        return None


def align(text: str, phrase: str, start: int, end: int, window: int = 400) -> tuple[int, int] | None:
    """The span of ``phrase`` in ``text``: as given when it matches, else the nearest occurrence.

    Tries the exact phrase, then case-insensitively, then with whitespace runs collapsed; ``None`` when
    the phrase is nowhere within ``window`` characters of ``start``.
    """
    phrase = phrase.strip()
    if not phrase:
        return (start, end) if 0 <= start < end <= len(text) else None
    if text[start:end] == phrase:
        return start, end
    lo, hi = max(0, start - window), min(len(text), end + window)
    region = text[lo:hi]
    pattern = r"\s+".join(re.escape(part) for part in phrase.split())
    for flags in (0, re.IGNORECASE):
        best: tuple[int, int] | None = None
        for m in re.finditer(pattern, region, flags):
            s, e = lo + m.start(), lo + m.end()
            if best is None or abs(s - start) < abs(best[0] - start):
                best = (s, e)
        if best is not None:
            return best
    return None


def _aligned(doc: GoldDoc, raw: Iterable[Toponym]) -> GoldDoc:
    for t in raw:
        span = align(doc.text, t.phrase, t.start, t.end)
        if span is None:
            continue  # an offset we cannot place is dropped, never guessed
        t.start, t.end = span
        doc.toponyms.append(t)
    return doc


def read_lgl(path: Path) -> list[GoldDoc]:
    """LGL and TR-News: ``article/text`` and ``toponyms/toponym`` with an optional ``gaztag``."""
    docs = []
    for i, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        raw = []
        for t in art.iter("toponym"):
            start, end = _int(t.findtext("start")), _int(t.findtext("end"))
            if start is None or end is None:
                continue
            gaz = t.find("gaztag")
            lat = _float(gaz.findtext("lat")) if gaz is not None else None
            lon = _float(gaz.findtext("lon")) if gaz is not None else None
            raw.append(Toponym(start, end, t.findtext("phrase") or text[start:end], lat, lon))
        docs.append(_aligned(GoldDoc(art.get("docid") or str(i), text, []), raw))
    return docs


def _offset_shift(text_and_spans: list[tuple[str, list[tuple[str, int, int]]]]) -> int:
    """The offset correction (0, -1 or +1) under which most names sit at their offsets."""
    hits = {0: 0, -1: 0, 1: 0}
    for text, spans in text_and_spans:
        for name, s, e in spans:
            for k in hits:
                if text[s + k:e + k] == name:
                    hits[k] += 1
    return max(hits, key=lambda k: (hits[k], k == 0))


def read_geovirus(path: Path) -> list[GoldDoc]:
    """GeoVirus: ``article/text`` and ``locations/location`` (offsets shifted by +1)."""
    arts = []
    for i, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        spans = []
        for loc in art.iter("location"):
            s, e = _int(loc.findtext("start")), _int(loc.findtext("end"))
            if s is not None and e is not None:
                spans.append((loc.findtext("name") or "", s, e, _float(loc.findtext("lat")),
                              _float(loc.findtext("lon"))))
        arts.append((art.findtext("source") or str(i), text, spans))
    shift = _offset_shift([(text, [(n, s, e) for n, s, e, _, _ in spans]) for _, text, spans in arts])
    docs = []
    for i, (source, text, spans) in enumerate(arts):
        raw = [Toponym(s + shift, e + shift, name, lat, lon) for name, s, e, lat, lon in spans]
        docs.append(_aligned(GoldDoc(f"{i}:{source}", text, []), raw))
    return docs


def read_gritta(path: Path) -> list[list[Toponym]]:
    """One list of records per line (document): ``name,,phrase,,lat,,lon,,start,,end||``."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "" and text.endswith("\n"):
        lines.pop()
    docs = []
    for line in lines:
        records = []
        for rec in line.rstrip("\r").split("||"):
            parts = rec.split(",,")
            if len(parts) < 6:
                continue
            start, end = _int(parts[4]), _int(parts[5])
            if start is None or end is None:
                continue
            records.append(Toponym(start, end, parts[1], _float(parts[2]), _float(parts[3])))
        docs.append(records)
    return docs


def _gwn_files(path: Path) -> tuple[Path, Path | None]:
    folder = path if path.is_dir() else path.parent
    xml = path if path.is_file() else next(iter(sorted(folder.glob("*.xml"))), folder / "GWN.xml")
    for cand in (folder / "Geocoding" / "gwn_full.txt", folder / "gwn_full.txt",
                 folder.parent / "Geocoding" / "gwn_full.txt"):
        if cand.is_file():
            return xml, cand
    return xml, None


def read_gwn(path: Path) -> list[GoldDoc]:
    """GeoWebNews: texts from ``GWN.xml``; gold from ``Geocoding/gwn_full.txt`` when present."""
    xml, full = _gwn_files(path)
    arts = list(ET.parse(xml).getroot().iter("article"))
    gold = read_gritta(full) if full is not None else None
    if gold is not None and len(gold) != len(arts):
        raise SitrepError(f"{full}: {len(gold)} lines for {len(arts)} articles in {xml}", "E402")
    docs = []
    for i, art in enumerate(arts):
        text = art.findtext("text") or ""
        files = xml.parent / "Geocoding" / "files" / str(i)
        if files.is_file():  # the plain text the offsets were computed on
            text = files.read_text(encoding="utf-8")
        doc = GoldDoc(art.get("file") or str(i), text, [])
        if gold is not None:
            _aligned(doc, gold[i])
        else:
            resolved = []
            for t in art.iter("toponym"):
                s, e = _int(t.findtext("start")), _int(t.findtext("end"))
                lat, lon = _float(t.findtext("latitude")), _float(t.findtext("longitude"))
                if s is not None and e is not None and (t.findtext("geonamesID") or "").strip():
                    resolved.append(Toponym(s, e, t.findtext("extractedName") or "", lat, lon))
            _aligned(doc, resolved)
        docs.append(doc)
    return docs


def read(path: Path) -> list[GoldDoc]:
    """Any supported gold set, by its layout."""
    if path.is_dir():
        xmls = sorted(path.glob("*.xml"))
        if (path / "GWN.xml").is_file() or (path / "Geocoding").is_dir():
            return read_gwn(path)
        if len(xmls) == 1:
            return read(xmls[0])
        raise SitrepError(f"{path}: expected one gold XML file or a GeoWebNews folder", "E402")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise SitrepError(f"{path}: not a readable gold XML file ({exc})", "E402") from None
    first = next(root.iter("article"), None)
    if first is None:
        raise SitrepError(f"{path}: no <article> elements", "E402")
    if first.find("locations") is not None or first.find(".//location") is not None:
        return read_geovirus(path)
    if first.find(".//extractedName") is not None or path.name.lower().startswith("gwn"):
        return read_gwn(path)
    return read_lgl(path)


# -- scoring ---------------------------------------------------------------------------------------

def match(gold: list[Toponym], predicted: list[Toponym]) -> list[tuple[Toponym, Toponym]]:
    """One-to-one greedy matching by span overlap: largest overlap first, then nearest start."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                cands.append((-overlap, abs(g.start - p.start), gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def auc(errors_km: list[float]) -> float | None:
    """Area under the sorted, scaled log-error curve (0 best, 1 worst); see the module docstring."""
    if not errors_km:
        return None
    scaled = sorted(math.log1p(e) / math.log(MAX_KM) for e in errors_km)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2 for a, b in zip(scaled, scaled[1:], strict=False))
    return area / (len(scaled) - 1)


def score(pairs_by_doc: Iterable[tuple[list[Toponym], list[Toponym]]], system: str) -> dict[str, Any]:
    """A table row from (gold, predicted) per document."""
    matched = n_pred = n_gold = 0
    errors: list[float] = []
    for gold, predicted in pairs_by_doc:
        gold = [g for g in gold if g.resolved]
        pairs = match(gold, predicted)
        matched += len(pairs)
        n_pred += len(predicted)
        n_gold += len(gold)
        for g, p in pairs:
            if p.resolved:
                errors.append(distance_km((g.lat, g.lon), (p.lat, p.lon)))  # type: ignore[arg-type]
            else:
                errors.append(MAX_KM)
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "system": system, "precision": precision, "recall": recall, "f1": f1,
        "acc161": sum(e <= ACC_KM for e in errors) / len(errors) if errors else None,
        "auc": auc(errors),
        "median_km": float(statistics.median(errors)) if errors else None,
        "matched": matched, "gold": n_gold, "predicted": n_pred,
    }


# -- systems ---------------------------------------------------------------------------------------

def sitrep_predictions(docs: list[GoldDoc], extractor: Any = None) -> list[list[Toponym]]:
    """Every place mention sitrep finds, with its place's coordinates."""
    from sitrep.api import Extractor
    from sitrep.sources import Article, Failure

    extractor = extractor or Extractor()
    articles = [Article(id=f"{i}", text=d.text, layout="body") for i, d in enumerate(docs)]
    out: list[list[Toponym]] = [[] for _ in docs]
    for result in extractor.run(articles):
        if isinstance(result, Failure):
            continue  # not read (e.g. too short): no predictions
        i = int(result["article"]["id"])
        for place in result["places"]:
            for m in place["mentions"]:
                out[i].append(Toponym(m["start"], m["end"], m["text"], place.get("lat"), place.get("lon")))
    return out


def peer_files(folder: Path) -> list[Path]:
    gold_like = re.compile(r"(_gold|_full)\.txt$|^gold", re.IGNORECASE)
    return [p for p in sorted(folder.glob("*.txt")) if not gold_like.search(p.name)]


def peer_name(path: Path) -> str:
    stem = path.stem.lower()
    key = stem.split("_", 1)[1] if "_" in stem else stem
    return PEER_NAMES.get(key, key)


def on_text(text: str, records: list[Toponym]) -> list[Toponym]:
    """Records placed on the document's text (see :func:`align`); those that cannot be placed are dropped."""
    out = []
    for t in records:
        span = align(text, t.phrase, t.start, t.end, window=len(text))
        if span is not None:
            out.append(Toponym(span[0], span[1], t.phrase, t.lat, t.lon))
    return out


def check_alignment(folder: Path, docs: list[GoldDoc]) -> None:
    """A Gritta-format gold beside the peers must list the same resolved spans, document by document."""
    for gold_file in sorted(folder.glob("*_gold.txt")) + sorted(folder.glob("*_full.txt")):
        lines = read_gritta(gold_file)
        if len(lines) < len(docs):
            raise SitrepError(f"{gold_file}: {len(lines)} lines for {len(docs)} documents", "E402")
        bad = [i for i, (d, recs) in enumerate(zip(docs, lines, strict=False))
               if sorted((t.start, t.end) for t in d.toponyms if t.resolved) != sorted((t.start, t.end) for t in recs)]
        if len(bad) > max(2, len(docs) // 50):
            raise SitrepError(f"{gold_file}: document order differs from the gold set (first at line {bad[0] + 1})",
                              "E402")


def evaluate(data: Path, *, limit: int | None = None, peers: Path | None = None, extractor: Any = None) -> dict:
    docs = read(Path(data))
    if limit is not None:
        docs = docs[:limit]
    predicted = sitrep_predictions(docs, extractor)
    rows = [score(((d.toponyms, p) for d, p in zip(docs, predicted, strict=True)), "sitrep")]
    far = far_misses((d.toponyms, p) for d, p in zip(docs, predicted, strict=True))
    if peers is not None:
        folder = Path(peers)
        check_alignment(folder, docs)
        for path in peer_files(folder):
            outputs = [on_text(d.text, recs) for d, recs in zip(docs, read_gritta(path), strict=False)]
            outputs += [[] for _ in range(len(docs) - len(outputs))]
            rows.append(score(((d.toponyms, p) for d, p in zip(docs, outputs, strict=False)), peer_name(path)))
    return {"task": "places", "data": str(data), "n": len(docs), "rows": rows, "far": far}


def far_misses(pairs_by_doc: Iterable[tuple[list[Toponym], list[Toponym]]]) -> list[dict[str, Any]]:
    """Matched toponyms placed more than 161 km from the gold, grouped by phrase, gold point and our point
    (rounded to 0.01 degree), most frequent first: where the accuracy is lost, and whether a miss is a
    wrong place or another reference point for the same one."""
    counts: Counter[tuple[str, float, float, float | None, float | None]] = Counter()
    km: dict[tuple[str, float, float, float | None, float | None], float] = {}
    for gold, predicted in pairs_by_doc:
        for g, p in match([g for g in gold if g.resolved], predicted):
            error = distance_km((g.lat, g.lon), (p.lat, p.lon)) if p.resolved else MAX_KM  # type: ignore[arg-type]
            if error > ACC_KM:
                key = (g.phrase, round(g.lat, 2), round(g.lon, 2),  # type: ignore[arg-type]
                       round(p.lat, 2) if p.lat is not None else None, round(p.lon, 2) if p.lon is not None else None)
                counts[key] += 1
                km[key] = error
    return [{"phrase": k[0], "gold": [k[1], k[2]], "ours": [k[3], k[4]] if k[3] is not None else None,
             "km": round(km[k]), "count": n} for k, n in counts.most_common()]


def format_table(result: dict) -> str:
    head = f"places: {result['data']} ({result['n']} articles)"
    out = head + "\n" + table(result["rows"], COLUMNS)
    far = result.get("far") or []
    if far:
        total = sum(f["count"] for f in far)
        out += f"\nsitrep's matched toponyms more than {ACC_KM} km off: {total}; most frequent (count, phrase, gold, ours, km):"
        for f in far[:FAR_SHOWN]:
            ours = "unresolved" if f["ours"] is None else f"{f['ours'][0]},{f['ours'][1]}"
            out += f"\n  {f['count']:4d}  {f['phrase']}  gold {f['gold'][0]},{f['gold'][1]}  ours {ours}  {f['km']} km"
    return out
