"""Offline language check (py3langid), so non-English input fails with a clear reason."""

from __future__ import annotations

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article

MIN_LETTERS = 8
DETECT_FROM = 60
# English function words; a text this full of them is English whatever the guess says (short news notes full
# of local names get taken for Nigerian Pidgin or Bikol).
FUNCTION_WORDS = frozenset("the of and to were by on at for with from that this are has have been his her their "
                           "its they he she it after into who which as".split())  # not 'in', 'is', 'was' (Dutch)
FUNCTION_SHARE = 0.1


def check_english(article: Article) -> None:
    import py3langid

    sample = article.text[:3000]
    letters = sum(map(str.isalpha, sample))
    if letters < MIN_LETTERS:
        raise InputError(f"{article.id}: too little text to read ({letters} letters)", errors.NO_TEXT)
    if letters < DETECT_FROM:
        return  # a line or two: too short for a reliable language guess, so it is read as English
    lang, _score = py3langid.classify(sample)
    if lang != "en" and _function_share(sample) < FUNCTION_SHARE:
        raise InputError(f"{article.id}: language is '{lang}', not English", errors.NOT_ENGLISH)


def _function_share(text: str) -> float:
    words = [w.strip(".,;:()[]\"'").lower() for w in text.split()]
    words = [w for w in words if w.isalpha()]
    return sum(w in FUNCTION_WORDS for w in words) / len(words) if words else 0.0
