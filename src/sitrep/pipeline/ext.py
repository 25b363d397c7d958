"""``Doc._`` extensions shared by the sitrep components."""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS = ("meta", "blocks", "dates", "places", "actors", "quotes", "figures", "events")


def register() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()
