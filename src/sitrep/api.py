"""The Python API; the CLI calls the same functions.

>>> import sitrep
>>> result = sitrep.extract_text("Floods kill 12\\nStandfirst\\nAt least 12 people were killed.", published="2024-05-01")
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language

from sitrep import settings
from sitrep.errors import InputError
from sitrep.pipeline import load
from sitrep.pipeline.lexicon import default_lexicon, set_shared_lexicon
from sitrep.sources import Article, Failure, Item, iter_inputs
from sitrep.sources.language import check_english
from sitrep.sources.text import read_text
from sitrep.textutil import normalize_newlines

Result = dict[str, Any]


class Extractor:
    """Loads the model once and turns articles into contract objects."""

    def __init__(self, model: str | None = None, aliases: list[str] | None = None,
                 batch_size: int | None = None) -> None:
        if aliases:
            set_shared_lexicon(default_lexicon(aliases))
        self.nlp: Language = load(model)
        self.batch_size = batch_size or int(settings.get("batch_size"))

    def run(self, items: Iterable[Item]) -> Iterator[Result | Failure]:
        """Yield a contract dict per article, or the :class:`Failure` of a bad input, in input order."""
        from sitrep.output import to_dict

        pending: list[Article] = []

        def flush() -> Iterator[Result]:
            docs = []
            for article in pending:
                doc = self.nlp.make_doc(article.text)
                doc._.meta = {"layout": article.layout, "published": article.published, "id": article.id}
                docs.append(doc)
            for article, doc in zip(pending, self.nlp.pipe(docs, batch_size=self.batch_size), strict=True):
                result = to_dict(doc, article)
                result["article"]["input"] = str(article.extra.get("retry", article.id))
                yield result
            pending.clear()

        for item in items:
            if isinstance(item, Failure):
                yield from flush()
                yield item
                continue
            try:
                check_english(item)
            except InputError as exc:
                yield from flush()
                yield Failure(item.id, exc.code, str(exc.args[0]).split(": ", 1)[-1],
                              str(item.extra.get("retry", item.id)))
                continue
            pending.append(item)
            if len(pending) >= self.batch_size:
                yield from flush()
        yield from flush()


@functools.cache
def _extractor() -> Extractor:
    """The process's default extractor: the model loads once."""
    return Extractor()


def extract(paths: Iterable[str], published: str | None = None) -> Iterator[Result | Failure]:
    """Read paths (files, directories, JSONL, ``-``) and yield one contract dict per article, or a Failure."""
    yield from _extractor().run(iter_inputs(paths, published))


def extract_text(text: str, *, id: str = "<text>", title: str | None = None, published: str | None = None,
                 layout: str = "plain") -> Result:
    """Extract from one text; raises :class:`~sitrep.errors.InputError` for bad input."""
    text = normalize_newlines(text)
    if layout == "plain":
        article = read_text(text, id, published)
        article.title = title or article.title
    else:
        article = Article(id=id, text=text, title=title, published=published, layout=layout)
    for result in _extractor().run([article]):
        if isinstance(result, Failure):
            raise InputError(str(result), result.code)
        return result
    raise InputError(f"{id}: nothing extracted", "E105")
