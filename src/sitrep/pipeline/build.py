"""Load the spaCy model once and add the sitrep components around it."""

from __future__ import annotations

import spacy
from spacy.language import Language

from sitrep import settings
from sitrep.errors import SitrepError
from sitrep.pipeline import actors, dates, events, figures, places, quotes, structure  # noqa: F401 - registers factories
from sitrep.pipeline.speed import use_fast_paths, use_matmul

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
    use_fast_paths(nlp, settings.get("fast_paths"))
    nlp.add_pipe("sitrep_structure_v1", first=True)
    for component in COMPONENTS:
        nlp.add_pipe(component, last=True)
    return nlp
