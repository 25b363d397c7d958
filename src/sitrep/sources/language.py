"""Offline language check (py3langid), so non-English input fails with a clear reason."""

from __future__ import annotations

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article

MIN_LETTERS = 8
DETECT_FROM = 60


def check_english(article: Article) -> None:
    import py3langid

    sample = article.text[:3000]
    letters = sum(map(str.isalpha, sample))
    if letters < MIN_LETTERS:
        raise InputError(f"{article.id}: too little text to read ({letters} letters)", errors.NO_TEXT)
    if letters < DETECT_FROM:
        return  # a line or two: too short for a reliable language guess, so it is read as English
    lang, _score = py3langid.classify(sample)
    if lang != "en":
        raise InputError(f"{article.id}: language is '{lang}', not English", errors.NOT_ENGLISH)
