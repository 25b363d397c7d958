"""Attribution (who said what) against PolNeAR (Newell, Margolin & Ruths 2018), brat standoff.

Data: a split folder holding ``text/<article>.txt`` and ``attributions/<article>_<annotator>.ann`` (or the
PolNeAR root, then ``split`` picks the folder). Several annotators may have read one article; the first
``.ann`` file in alphabetical order is the gold. Brat offsets are Python string indexes into the ``.txt``.
Each ``E`` relation (``Attribution`` or ``Attribution-no-source``) with a ``Content`` role is one gold
attribution: its content spans (discontinuous spans and ``Content2`` roles are unions of pieces), cue spans
and source spans (none for ``Attribution-no-source``).

Scoring, identical for every system:

- **overlap** of two spans is character overlap over the longer one, counting non-whitespace characters
  only: ``|P & G| / max(|P|, |G|)``. A predicted content *matches* a gold content at overlap >= 0.3; pairs
  are matched one-to-one, best overlap first. ``p``/``r``/``f1`` count matches over predicted / gold.
- **exact**: a prediction and a gold content (one-to-one) cover the same characters once whitespace and
  punctuation (quote marks, commas, full stops) at the edges of each piece are trimmed.
- **speaker_acc**, over matched pairs whose gold has a source: our ``speaker_mention`` overlaps a gold
  source span, or a mention of the actor named as our ``speaker`` does (coreference counts).
- **cue_acc**, over matched pairs: the occurrence of our cue word nearest to our content overlaps a gold
  cue span (the output gives the cue as text; its position is found that way).

``peers``: a folder of brat ``.ann`` outputs of another system, one per article (``<article>.ann`` or
``<article>_<suffix>.ann``), or a folder of such folders, one per system; each is scored the same way.
If ``textacy`` is installed, its rule-based direct-quotation extractor runs on the bare spaCy model as a
reference row (it finds direct quotations only).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.eval import table

Spans = list[tuple[int, int]]
THRESHOLD = 0.3
EDGE = set(string.whitespace + string.punctuation + "\u201c\u201d\u2018\u2019\u2014\u2013\u2026")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t", re.M)
_E_LINE = re.compile(r"^(E\d+)\t(.+)$", re.M)
_ANNOTATOR = re.compile(r"_[0-9a-zA-Z]+$")


@dataclass
class Attribution:
    content: Spans
    cue: Spans = field(default_factory=list)
    source: Spans = field(default_factory=list)
    speaker: Spans = field(default_factory=list)  # predictions: every span naming the speaker
    cue_text: str | None = None


@dataclass
class GoldArticle:
    id: str
    text: str
    gold: list[Attribution]
    ann: str


# -- reading --------------------------------------------------------------------------------------

def parse_ann(raw: str) -> list[Attribution]:
    """Attributions of one brat ``.ann`` text (span text may run over several lines; only ids matter)."""
    spans: dict[str, Spans] = {}
    for m in _T_LINE.finditer(raw):
        spans[m.group(1)] = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
    out: list[Attribution] = []
    for m in _E_LINE.finditer(raw):
        roles: dict[str, Spans] = {}
        for arg in m.group(2).split():
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789") or role
            roles.setdefault(role, []).extend(spans.get(ref, []))
        if roles.get("Content"):
            out.append(Attribution(sorted(roles["Content"]), sorted(roles.get("Cue", [])),
                                   sorted(roles.get("Source", []))))
    return out


def split_folder(data: Path, split: str = "dev") -> Path:
    if (data / "text").is_dir():
        return data
    if (data / split / "text").is_dir():
        return data / split
    from sitrep.errors import SitrepError

    raise SitrepError(f"{data}: expected a PolNeAR split folder (text/, attributions/) or the PolNeAR root", "E403")


def load(data: Path, *, limit: int | None = None, split: str = "dev") -> list[GoldArticle]:
    folder = split_folder(data, split)
    first: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        first.setdefault(_ANNOTATOR.sub("", ann.stem), ann)
    articles: list[GoldArticle] = []
    for txt in sorted((folder / "text").glob("*.txt")):
        ann = first.get(txt.stem)
        if ann is None:
            continue
        text = txt.read_text(encoding="utf-8")
        articles.append(GoldArticle(txt.stem, text, parse_ann(ann.read_text(encoding="utf-8")), ann.name))
        if limit and len(articles) >= limit:
            break
    return articles


# -- scoring --------------------------------------------------------------------------------------

class _Chars:
    """Counts of non-whitespace characters in any span of one text, in O(1)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefix = [0]
        n = 0
        for c in text:
            n += not c.isspace()
            self.prefix.append(n)

    def size(self, spans: Spans) -> int:
        return sum(self.prefix[e] - self.prefix[s] for s, e in spans if e > s)

    def common(self, a: Spans, b: Spans) -> int:
        total = 0
        for s1, e1 in a:
            for s2, e2 in b:
                s, e = max(s1, s2), min(e1, e2)
                if e > s:
                    total += self.prefix[e] - self.prefix[s]
        return total

    def overlap(self, a: Spans, b: Spans) -> float:
        longer = max(self.size(a), self.size(b))
        return self.common(a, b) / longer if longer else 0.0

    def trimmed(self, spans: Spans) -> tuple[tuple[int, int], ...]:
        out = []
        for s, e in sorted(spans):
            while s < e and self.text[s] in EDGE:
                s += 1
            while e > s and self.text[e - 1] in EDGE:
                e -= 1
            if e > s:
                if out and s <= out[-1][1]:
                    out[-1] = (out[-1][0], max(e, out[-1][1]))
                else:
                    out.append((s, e))
        return tuple(out)


def _touches(a: Spans, b: Spans) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def cue_position(text: str, cue: str | None, near: Spans, lowered: str | None = None) -> Spans:
    """Where the cue word of a prediction is: its occurrence nearest to the prediction's content
    (``lowered``: ``text.lower()``, when the caller has it)."""
    if not cue:
        return []
    low, word = lowered if lowered is not None else text.lower(), cue.lower()
    lo, hi = min(s for s, _ in near), max(e for _, e in near)
    best: tuple[int, int] | None = None
    i = low.find(word, max(0, lo - 400))
    while 0 <= i <= hi + 400:
        dist = 0 if lo <= i < hi else min(abs(i - lo), abs(i - hi))
        if best is None or dist < best[0]:
            best = (dist, i)
        i = low.find(word, i + 1)
    return [(best[1], best[1] + len(cue))] if best else []


def score(text: str, gold: list[Attribution], pred: list[Attribution]) -> dict[str, int]:
    """Counts for one article; sum them over articles and call :func:`metrics`."""
    chars = _Chars(text)
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            ov = chars.overlap(g.content, p.content)
            if ov >= THRESHOLD:
                pairs.append((ov, i, j))
    pairs.sort(key=lambda x: -x[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    counts = {"gold": len(gold), "pred": len(pred), "match": 0, "exact": _exact(chars, gold, pred),
              "speaker_n": 0, "speaker_ok": 0, "cue_n": 0, "cue_ok": 0}
    for _ov, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        g, p = gold[i], pred[j]
        counts["match"] += 1
        if g.source:
            counts["speaker_n"] += 1
            counts["speaker_ok"] += _touches(g.source, p.speaker)
        if g.cue:
            counts["cue_n"] += 1
            counts["cue_ok"] += _touches(g.cue, p.cue)
    return counts


def _exact(chars: _Chars, gold: list[Attribution], pred: list[Attribution]) -> int:
    """Predictions with the same characters as a gold content (up to edge punctuation), one-to-one."""
    want: dict[tuple[tuple[int, int], ...], int] = {}
    for g in gold:
        key = chars.trimmed(g.content)
        want[key] = want.get(key, 0) + 1
    hits = 0
    for p in pred:
        key = chars.trimmed(p.content)
        if want.get(key):
            want[key] -= 1
            hits += 1
    return hits


def metrics(counts: dict[str, int]) -> dict[str, Any]:
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    def f1(p: float | None, r: float | None) -> float | None:
        return 2 * p * r / (p + r) if p and r else 0.0 if p is not None and r is not None else None

    p, r = ratio(counts["match"], counts["pred"]), ratio(counts["match"], counts["gold"])
    ep, er = ratio(counts["exact"], counts["pred"]), ratio(counts["exact"], counts["gold"])
    return {"gold": counts["gold"], "pred": counts["pred"], "p": p, "r": r, "f1": f1(p, r),
            "exact_p": ep, "exact_r": er, "exact_f1": f1(ep, er),
            "speaker_acc": ratio(counts["speaker_ok"], counts["speaker_n"]),
            "cue_acc": ratio(counts["cue_ok"], counts["cue_n"])}


# -- systems --------------------------------------------------------------------------------------

def sitrep_predictions(articles: list[GoldArticle], extractor: Any = None,
                       failures: list[str] | None = None) -> list[list[Attribution]]:
    """Run sitrep on all articles in one batch; an article that fails gets no predictions."""
    from sitrep.api import Extractor
    from sitrep.sources import Article, Failure

    extractor = extractor or Extractor()
    out: dict[str, list[Attribution]] = {}
    batch = [Article(id=a.id, text=a.text, layout="body") for a in articles]
    for result in extractor.run(batch):
        if isinstance(result, Failure):
            if failures is not None:
                failures.append(str(result))
            continue
        out[result["article"]["id"]] = from_result(result)
    return [out.get(a.id, []) for a in articles]


def from_result(result: dict[str, Any]) -> list[Attribution]:
    """Our quotes as attributions: speaker spans are the speaker mention plus the speaker actor's mentions."""
    text = result["article"]["text"]
    lowered = text.lower()
    mentions: dict[str, Spans] = {}
    for actor in result.get("actors", []):
        mentions[actor["name"]] = [(m["start"], m["end"]) for m in actor["mentions"]]
    preds = []
    for q in result.get("quotes", []):
        content = [(q["start"], q["end"])]
        speaker: Spans = []
        if q.get("speaker_mention"):
            speaker.append((q["speaker_mention"]["start"], q["speaker_mention"]["end"]))
        speaker += mentions.get(q.get("speaker") or "", [])
        preds.append(Attribution(content, cue_position(text, q.get("cue"), content, lowered), [], speaker,
                                 q.get("cue")))
    return preds


def textacy_predictions(articles: list[GoldArticle]) -> list[list[Attribution]] | None:
    direct_quotations = _import_textacy()
    if direct_quotations is None:
        return None
    import spacy

    from sitrep import settings

    nlp = spacy.load(settings.get("model"))
    out = []
    for doc in nlp.pipe([a.text for a in articles]):
        preds = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # an odd number of quotation marks: textacy gives up on the document
            triples = []
        for t in triples:
            sp, cue = t.speaker, t.cue
            preds.append(Attribution(
                [(t.content.start_char, t.content.end_char)],
                [(cue[0].idx, cue[-1].idx + len(cue[-1]))] if cue else [], [],
                [(sp[0].idx, sp[-1].idx + len(sp[-1]))] if sp else [], " ".join(c.text for c in cue)))
        out.append(preds)
    return out


def _import_textacy() -> Any:
    """textacy's ``direct_quotations``, importing textacy without letting it replace sitrep's ``Doc._.meta``."""
    import logging

    from spacy.tokens import Doc

    from sitrep.pipeline import ext

    saved = {name: Doc.get_extension(name) for name in ext.EXTENSIONS if Doc.has_extension(name)}
    logger = logging.getLogger("textacy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    finally:
        logger.setLevel(level)
        for name, (default, method, getter, setter) in saved.items():
            if Doc.get_extension(name) != (default, method, getter, setter):
                Doc.set_extension(name, default=default, method=method, getter=getter, setter=setter, force=True)
    return direct_quotations


def peer_predictions(folder: Path, articles: list[GoldArticle]) -> list[list[Attribution]]:
    """A peer's brat files, ``<article>.ann`` or the first ``<article>_<suffix>.ann``; Source spans name the speaker."""
    out = []
    for a in articles:
        path = folder / f"{a.id}.ann"
        if not path.exists():
            path = next(iter(sorted(folder.glob(f"{a.id}_*.ann"))), path)
        attrs = parse_ann(path.read_text(encoding="utf-8")) if path.exists() else []
        for x in attrs:
            x.speaker = x.source
        out.append(attrs)
    return out


def _row(system: str, articles: list[GoldArticle], preds: list[list[Attribution]]) -> dict[str, Any]:
    total: dict[str, int] = {}
    for art, pred in zip(articles, preds, strict=True):
        counts = score(art.text, art.gold, pred)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    if not total:
        total = dict.fromkeys(("gold", "pred", "match", "exact", "speaker_n", "speaker_ok", "cue_n",
                               "cue_ok"), 0)
    return {"system": system, **metrics(total)}


def evaluate(data: Path, *, limit: int | None = None, peers: Path | None = None, extractor: Any = None,
             split: str = "dev") -> dict[str, Any]:
    articles = load(Path(data), limit=limit, split=split)
    failures: list[str] = []
    rows = [_row("sitrep", articles, sitrep_predictions(articles, extractor, failures))]
    notes = [f"sitrep failed on {len(failures)} article(s), scored as finding nothing: {failures[:3]}"] \
        if failures else []
    if peers is not None:
        folders = [peers] if any(peers.glob("*.ann")) else sorted(d for d in peers.iterdir() if d.is_dir())
        for folder in folders:
            rows.append(_row(folder.name, articles, peer_predictions(folder, articles)))
    reference = textacy_predictions(articles)
    if reference is None:
        notes.append("textacy is not installed: no reference row (pip install textacy to add it)")
    else:
        rows.append(_row("textacy direct_quotations", articles, reference))
        notes.append("textacy: rule-based direct quotations only, on the bare spaCy model")
    return {"task": "attribution", "data": str(data), "n": len(articles), "rows": rows, "notes": notes,
            "gold": "first annotator's .ann per article", "overlap": THRESHOLD}


COLUMNS = ["system", "gold", "pred", "p", "r", "f1", "exact_p", "exact_r", "exact_f1", "speaker_acc", "cue_acc"]


def format_table(result: dict[str, Any]) -> str:
    lines = [f"attribution: {result['n']} article(s) from {result['data']} "
             f"(content overlap >= {result.get('overlap', THRESHOLD)} of the longer span; exact = same "
             f"characters up to edge punctuation)", table(result["rows"], COLUMNS)]
    lines += [f"note: {n}" for n in result.get("notes", [])]
    return "\n".join(lines)
