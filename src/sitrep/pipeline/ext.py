"""``Doc._`` extensions shared by the sitrep components, and cached reads of the parsed document.

``Doc.text`` joins every token and ``Doc.ents`` builds a ``Span`` per entity on *every* access; the
components read both many times, so they go through :func:`text_of` and :func:`ents_of`, which build them
once per document (the NER has run before any sitrep component, and none of them changes ``doc.ents``);
likewise :func:`tokens_of` for loops over every token.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

EXTENSIONS = ("meta", "blocks", "dates", "places", "actors", "quotes", "figures", "events")
_TEXT = "sitrep.text"
_ENTS = "sitrep.ents"
_TOKENS = "sitrep.tokens"


def register() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def text_of(doc: Doc) -> str:
    """``doc.text``, built once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once."""
    ents = doc.user_data.get(_ENTS)
    if ents is None:
        ents = doc.user_data[_ENTS] = tuple(doc.ents)
    return ents


def sent_ents(doc: Doc, sent: Span) -> list[Span]:
    """The entities inside ``sent`` (``sent.ents`` without rebuilding every entity of the document)."""
    return [e for e in ents_of(doc) if e.start >= sent.start and e.end <= sent.end]


register()


def tokens_of(doc: Doc) -> list[Token]:
    """The tokens of ``doc`` as a list built once (iterating a ``Doc`` makes a new ``Token`` per step)."""
    tokens = doc.user_data.get(_TOKENS)
    if tokens is None:
        tokens = doc.user_data[_TOKENS] = list(doc)
    return tokens
