"""Load the spaCy model once and add the sitrep components around it."""

from __future__ import annotations

import spacy
from spacy.language import Language
from thinc.api import NumpyOps

from sitrep import settings
from sitrep.errors import SitrepError
from sitrep.pipeline import actors, dates, events, figures, places, quotes, structure  # noqa: F401 - registers factories

COMPONENTS = ("sitrep_dates_v1", "sitrep_places_v1", "sitrep_actors_v1", "sitrep_quotes_v1", "sitrep_figures_v1",
              "sitrep_events_v1")


def load(model: str | None = None) -> Language:
    """The English model plus sitrep's components. Never downloads anything."""
    name = model or settings.get("model")
    try:
        nlp = spacy.load(name, exclude=[])
    except OSError:
        raise SitrepError(
            f"spaCy model '{name}' is not installed; run `make run` (or pip install -c constraints.txt -e .)",
            "E001",
        ) from None
    use_matmul(nlp, settings.get("matmul"))
    nlp.add_pipe("sitrep_structure_v1", first=True)
    for component in COMPONENTS:
        nlp.add_pipe(component, last=True)
    return nlp


def use_matmul(nlp: Language, kind: str) -> None:
    """Choose how the model's layers multiply matrices; the results are the same either way.

    spaCy's default, blis, picks its kernel from the processor and falls back to a generic one it does
    not recognise (``BLIS_ARCH_DEBUG=1`` shows which); numpy's BLAS is then several times faster on the
    same products. ``numpy`` limits numpy's BLAS to one thread: the products are small, and the ingest
    workers already use every core. (The parser's own state loop calls blis directly either way.)
    """
    if kind == "blis":
        return
    if kind != "numpy":
        raise SitrepError(f"setting matmul={kind!r}: expected 'numpy' or 'blis'", "E002")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None:
            continue
        for node in model.walk():
            node.ops = ops
