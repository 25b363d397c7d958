"""Number phrases: digits and words ("half a million", "Ten million", "a dozen", "one-tenth"),
vague quantities ("dozens", "tens of thousands") and the hedges around them, as a range."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "bn": 1_000_000_000, "m": 1_000_000, "mn": 1_000_000, "k": 1_000, "lakh": 100_000}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25, "fifth": 0.2,
             "fifths": 0.2, "tenth": 0.1, "tenths": 0.1, "sixth": 1 / 6, "eighth": 0.125}
# ACLED's conservative reading of vague quantities.
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
         "tens": 10, "billions": 1_000_000_000}
HIGH_ONLY = [("up", "to"), ("as", "many", "as"), ("as", "much", "as"), ("under",), ("fewer", "than"),
             ("less", "than"), ("no", "more", "than"), ("not", "more", "than"), ("a", "maximum", "of"),
             ("at", "most"), ("below",), ("just", "under"), ("just", "below"), ("maximum", "of")]
HIGH_APPROX = [("almost",), ("nearly",), ("close", "to"), ("just", "short", "of"), ("approaching",)]
LOW_ONLY = [("at", "least"), ("more", "than"), ("over",), ("no", "fewer", "than"), ("no", "less", "than"),
            ("upwards", "of"), ("in", "excess", "of"), ("a", "minimum", "of"), ("minimum", "of"), ("above",),
            ("exceeding",), ("greater", "than"), ("well", "over"), ("just", "over"), ("not", "less", "than"),
            ("not", "fewer", "than"), ("well", "above"), ("beyond",)]
APPROX = [("about",), ("around",), ("some",), ("approximately",), ("roughly",), ("an", "estimated"),
          ("estimated",), ("approx",), ("circa",), ("an", "approximate"), ("round",), ("ca",), ("nearly", "")]
ZERO_NOUNS = {"casualty", "death", "fatality", "injury", "people", "civilian", "person", "victim", "one",
              "child", "resident", "survivor", "case"}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(bn|m|mn|k)$", re.I)
_GROUP_HEAD = re.compile(r"^\d{1,3}$")
_GROUP = re.compile(r"^\d{3}$")
_THIN_SPACES = {"\u00a0", "\u202f", "\u2009"}
# "2500–3000", "1,200–1,500" as one token
_DASHED_RANGE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[\u2013\u2014-](\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)$")


# every word a number phrase can start with (besides digits): the scan skips the rest at once
_STARTERS = set(VAGUE) | set(UNITS) | set(SCALES) | {"nobody", "no", "half", "a", "an"}


@dataclass
class Number:
    start: int  # token index, hedge words included
    end: int
    num_start: int  # the number words alone
    num_end: int
    low: float | None
    high: float | None
    approximate: bool
    share: bool = False  # a fraction or percentage
    vague: bool = False
    value: float | None = None


def is_number_word(token: Token) -> bool:
    low = token.lower_
    return bool(_DIGITS.match(low.replace(" ", ""))) or low in UNITS or low in SCALES and low not in {"m", "k"} \
        or bool(_SUFFIXED.match(low)) or (token.like_num and not low.isalpha() and not re.search("[a-z]", low))


def digit_groups(doc: Doc, j: int, end: int) -> tuple[str, int] | None:
    """Thousands written with spaces: '5 000', '14\u00a0000', '1 073 673', or a stray comma and space
    ('61, 000'): the digits joined and the index after them; None when doc[j] starts no such number."""
    if not _GROUP_HEAD.match(doc[j].text):
        return None
    text, k = doc[j].text, j + 1
    while k < end:
        prev, tok = doc[k - 1], doc[k]
        if _GROUP.match(tok.text) and prev.text[-1:].isdigit() and (prev.whitespace_ == " " or
                                                                   prev.whitespace_ in _THIN_SPACES):
            text, k = text + tok.text, k + 1
        elif tok.text in _THIN_SPACES and not prev.whitespace_ and k + 1 < end and _GROUP.match(doc[k + 1].text):
            text, k = text + doc[k + 1].text, k + 2
        elif tok.text == "," and tok.whitespace_ == " " and k + 1 < end and re.fullmatch(r"0\d\d", doc[k + 1].text):
            text, k = text + doc[k + 1].text, k + 2  # no count starts with 0: "61, 000" is 61000
        else:
            break
    return (text, k) if k > j + 1 else None


def _number_words(doc: Doc, j: int, end: int, *, extra: set[str]) -> tuple[list[str], int]:
    """The words of one number from doc[j] on ('1.2', 'million'; '5000' from '5 000') and the index after."""
    words: list[str] = []
    while j < end:
        grouped = digit_groups(doc, j, end) if not words or not words[-1][-1:].isdigit() else None
        if grouped is not None:
            words.append(grouped[0])
            j = grouped[1]
            continue
        low = doc[j].lower_
        if not (is_number_word(doc[j]) or low in extra or low in SCALES and low not in {"m", "k"}):
            break
        words.append(doc[j].text)
        j += 1
    return words, j


def parse_words(words: list[str]) -> float | None:
    """Value of a number phrase: ['half', 'a', 'million'] -> 500000; ['10,000'] -> 10000."""
    total, current = 0.0, 0.0
    seen = False
    for w in words:
        w = w.lower().replace(",", "")
        if w in {"-", "and", "a", "an"}:
            if w in {"a", "an"} and not current:
                current = 1.0
            continue
        m = _SUFFIXED.match(w)
        if m:
            current += float(m.group(1)) * SCALES[m.group(2).lower()]
            seen = True
            continue
        if re.fullmatch(r"\d+(\.\d+)?", w):
            current += float(w)
            seen = True
        elif w in UNITS:
            current += UNITS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w == "half":
            current = (current or 1) * 0.5 if current else 0.5
            seen = True
        elif w in SCALES:
            if w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * SCALES[w]
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _index(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Hedge phrases keyed by their last word, so a look-up checks only the phrases that can match."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        phrase = tuple(p for p in phrase if p)
        index.setdefault(phrase[-1], []).append(phrase)
    return index


_INDEXES: dict[int, dict[str, list[tuple[str, ...]]]] = {}


def _match_before(doc: Doc, i: int, phrases: list[tuple[str, ...]]) -> int | None:
    """Start index of the longest hedge phrase that ends right before token i."""
    if i <= 0:
        return None
    index = _INDEXES.get(id(phrases))
    if index is None:
        index = _INDEXES[id(phrases)] = _index(phrases)
    best = None
    for phrase in index.get(doc[i - 1].lower_, ()):
        n = len(phrase)
        if i - n < 0 or (best is not None and i - n >= best):
            continue
        if all(doc[i - n + k].lower_ == word for k, word in enumerate(phrase)):
            best = i - n
    return best


def scan(doc: Doc, start: int, end: int) -> list[Number]:
    """Every number phrase in doc[start:end]."""
    found: list[Number] = []
    i = start
    while i < end:
        tok = doc[i]
        low = tok.lower_
        if not (low in _STARTERS or low[:1].isdigit() or tok.like_num):
            i += 1  # most words start no number phrase
            continue
        # vague quantities: "dozens", "tens of thousands", "hundreds of thousands"
        if low in VAGUE and tok.tag_ in {"NNS", "NNPS", "CD", "NN"} or (low in VAGUE and tok.i == start):
            j = i + 1
            value = VAGUE[low]
            if j + 1 < end and doc[j].lower_ == "of" and doc[j + 1].lower_ in VAGUE:
                value *= VAGUE[doc[j + 1].lower_]
                j += 2
            found.append(_hedged(doc, i, j, value, value, True, vague=True))
            i = j
            continue
        # negated counts: "no one was killed", "nobody was hurt", "no casualties", "no deaths were reported"
        if low in {"nobody", "no"}:
            j = i + 1
            if low == "no":
                while j < end and doc[j].pos_ in {"ADJ", "VERB"} and doc[j].dep_ == "amod":
                    j += 1
                if not (j < end and (doc[j].lower_ == "one" or doc[j].lemma_ in ZERO_NOUNS)):
                    i += 1
                    continue
                j = j + 1 if doc[j].lower_ == "one" else i + 1
            found.append(Number(i, j, i, j, 0, 0, False, value=0))
            i = j
            continue
        # fractions: "one-tenth", "a third of", "half the territory", "two-thirds"
        frac = _fraction(doc, i, end)
        if frac is not None:
            j, value = frac
            found.append(_hedged(doc, i, j, value, value, False, share=True))
            i = j
            continue
        dashed = _DASHED_RANGE.match(tok.text) if low[:1].isdigit() else None
        if dashed:
            lo, hi = (float(g.replace(",", "")) for g in (tok.text[:dashed.end(1)], dashed.group(2)))
            if lo < hi:
                num = _hedged(doc, i, i + 1, lo, lo, False)
                num.low, num.high = lo, hi
                found.append(num)
                i += 1
                continue
        if is_number_word(tok) or (low in {"a", "an", "half"} and i + 1 < end and
                                   doc[i + 1].lower_ in {"dozen", "million", "thousand", "hundred", "billion",
                                                         "a"}):
            j = i
            words = []
            while j < end and (is_number_word(doc[j]) or doc[j].lower_ in {"dozen", "half", "-", "and", "a", "an"}
                               or doc[j].lower_ in SCALES and doc[j].lower_ not in {"m", "k"}):
                grouped = digit_groups(doc, j, end) if not (words and words[-1][-1:].isdigit()) else None
                if grouped is not None:  # "5 000", "61, 000"
                    words.append(grouped[0])
                    j = grouped[1]
                    continue
                if doc[j].lower_ in {"-", "and"} and not (words and words[-1].isalpha() and j + 1 < end
                                                          and doc[j + 1].lower_ in UNITS):
                    break  # "between 3,000 and 5,000", "3,000-5,000" are ranges; "two hundred and fifty" is one
                if doc[j].lower_ in {"a", "an"} and not (j + 1 < end and
                                                                   (is_number_word(doc[j + 1]) or
                                                                    doc[j + 1].lower_ in {"dozen", "million",
                                                                                          "thousand", "hundred",
                                                                                          "billion", "half"})):
                    break
                if doc[j].lower_ == "half" and words:
                    break
                words.append(doc[j].text)
                j += 1
            value = parse_words(words) if words else None
            if value is None:
                i += 1
                continue
            # percentages
            share = False
            if j < end and doc[j].lower_ in {"%", "percent", "pc"}:
                value, share, j = value / 100, True, j + 1
            elif j + 1 < end and doc[j].lower_ == "per" and doc[j + 1].lower_ == "cent":
                value, share, j = value / 100, True, j + 2
            num = _hedged(doc, i, j, value, value, False, share=share)
            # ranges: "between A and B", "A to B", "A-B", "A or B", "from A to B"
            rng = _range_tail(doc, j, end)
            if rng is not None:
                k, hi, hi_words = rng
                num.high, num.end = hi, k
                num.low = _scaled_low(words, value, hi_words, hi)
            found.append(num)
            i = max(j, num.end)
            continue
        i += 1
    return _merge_bounds(doc, found)


def _fraction(doc: Doc, i: int, end: int) -> tuple[int, float] | None:
    tok = doc[i]
    low = tok.lower_
    if low == "half" and not (i + 1 < end and doc[i + 1].lower_ in {"a", "an"} and i + 2 < end
                               and doc[i + 2].lower_ in SCALES):
        if i + 1 < end and doc[i + 1].lower_ in {"the", "of", "its", "their", "all"}:
            return i + 1, 0.5
        return None
    if low in UNITS or low in {"a", "an"}:
        k = i + 1
        if k < end and doc[k].text == "-":
            k += 1
        if k < end and doc[k].lower_ in FRACTIONS and doc[k].lower_ != "half":
            if doc[k].lower_ in {"sixth", "fifth", "tenth", "third", "eighth"} and not (
                    k + 1 < end and doc[k + 1].lower_ in {"of", "the"}):
                return None  # "the sixth year", "a third attack": ordinals
            n = 1 if low in {"a", "an"} else UNITS[low]
            return k + 1, n * FRACTIONS[doc[k].lower_]
    return None


def _range_tail(doc: Doc, j: int, end: int) -> tuple[int, float] | None:
    if j + 1 >= end:
        return None
    link = doc[j].lower_
    if link in {"to", "-", "or", "and", "\u2013"}:
        words, k = _number_words(doc, j + 1, end, extra=set())
        if not words:
            return None
        if link == "and" and not (j - 2 >= 0 and any(t.lower_ == "between" for t in doc[max(0, j - 4):j])):
            return None
        hi = parse_words(words)
        if hi is None:
            return None
        return k, hi, words
    return None


def _scaled_low(low_words: list[str], low: float, high_words: list[str], high: float) -> float:
    """The low end of a range borrows the high end's scale: 'two to three million' is 2,000,000-3,000,000;
    '10-15,000' is 10,000-15,000."""
    def scale(ws: list[str]) -> str | None:
        return next((w.lower() for w in reversed(ws) if w.lower() in SCALES and w.lower() not in {"m", "k"}),
                    None)

    hi_scale = scale(high_words)
    if hi_scale and not scale(low_words) and low < high / SCALES[hi_scale] * 10 and \
            low * SCALES[hi_scale] <= high:
        return low * SCALES[hi_scale]
    if len(high_words) == 1 and re.fullmatch(r"\d{1,3}(,?\d{3})+", high_words[0]) and \
            len(low_words) == 1 and re.fullmatch(r"\d{1,3}", low_words[0]):
        for mult in (1_000_000, 1_000):
            if low * mult <= high < low * mult * 10:
                return low * mult
    return low


def _hedged(doc: Doc, i: int, j: int, low: float, high: float, approx: bool, *, vague: bool = False,
            share: bool = False) -> Number:
    num = Number(i, j, i, j, low, high, approx, share=share, vague=vague, value=low)
    if vague:
        num.low, num.high, num.approximate = low, None, True
    # "the thousands": skip a determiner between hedge and number
    k = i
    if k > 0 and doc[k - 1].lower_ in {"the", "a"} and vague:
        k -= 1
    s = _match_before(doc, k, [("between",), ("from",)])
    if s is not None:
        num.start = s
        return num
    bounds = {name: _match_before(doc, k, phrases) for name, phrases in
              (("high_approx", HIGH_APPROX), ("high", HIGH_ONLY), ("low", LOW_ONLY))}
    found = [(s, name) for name, s in bounds.items() if s is not None]
    kind = min(found)[1] if found else None
    if kind == "high_approx":
        num.start, num.low, num.high, num.approximate = bounds[kind], None, num.value, True
        return num
    if kind == "high":
        num.start, num.low, num.high = bounds[kind], None, num.value
        return num
    s = bounds["low"] if kind == "low" else None
    if s is not None:
        num.start, num.low, num.high = s, num.value, None
        approx = _match_before(doc, s, APPROX)
        if approx is not None:
            num.start, num.approximate = approx, True
        return num
    s = _match_before(doc, k, APPROX)
    if s is not None:
        num.start, num.approximate = s, True
        bound = _match_before(doc, s, LOW_ONLY)
        if bound is not None:
            num.start, num.low, num.high = bound, num.value, None
        bound = _match_before(doc, s, HIGH_ONLY)
        if bound is not None:
            num.start, num.low, num.high = bound, None, num.value
    # "X or more", "X and above", "X-plus"
    if j + 1 < len(doc) and doc[j].lower_ in {"or", "and"} and doc[j + 1].lower_ in {"more", "above", "over"}:
        num.low, num.high, num.end = num.value, None, j + 2
    elif j < len(doc) and doc[j].lower_ in {"plus", "+"}:
        num.low, num.high, num.end = num.value, None, j + 1
    return num


def _merge_bounds(doc: Doc, found: list[Number]) -> list[Number]:
    """'in the thousands but probably under 10,000' -> one range; 'five or six' handled by the range tail."""
    out: list[Number] = []
    for num in found:
        if out:
            prev = out[-1]
            gap = [t.lower_ for t in doc[prev.end:num.start]]
            if prev.high is None and num.low is None and num.high is not None and len(gap) <= 3 and \
                    set(gap) <= {"but", "probably", "likely", "possibly", "perhaps", ",", "and", "though", "still"}:
                prev.high = num.high
                prev.end = num.end
                prev.num_end = num.num_end
                continue
        out.append(num)
    return out
